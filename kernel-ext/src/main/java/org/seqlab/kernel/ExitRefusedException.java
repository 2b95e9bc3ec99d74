package org.seqlab.kernel;

/** A cell called System.exit (or Runtime.exit/halt); see {@link ExitGuard}. */
public final class ExitRefusedException extends RuntimeException {
    public ExitRefusedException(String message) {
        super(message);
    }
}
