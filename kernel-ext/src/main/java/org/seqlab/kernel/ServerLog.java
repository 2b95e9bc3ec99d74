package org.seqlab.kernel;

import java.io.PrintStream;

/**
 * The kernel's own log: the process's stderr as it was at start-up, which Jupyter writes to the
 * server's console. Cells never write here (their System.err goes to the notebook), and the kernel
 * never writes its own notices into a cell.
 */
public final class ServerLog {
    private static final PrintStream STDERR = System.err;
    private static final PrintStream STDOUT = System.out;

    private ServerLog() {}

    /** Call first thing in main, before anything replaces System.out/err. */
    static void init() {
        // class initialisation captures the streams
    }

    public static void warn(String message) {
        STDERR.println("seqlab: " + message);
        STDERR.flush();
    }

    static PrintStream err() {
        return STDERR;
    }

    static PrintStream out() {
        return STDOUT;
    }
}
