package org.seqlab.kernel;

/**
 * Keeps interrupts away from Jupyter messages. JeroMQ fails a send with EINTR when the sending
 * thread is interrupted, possibly after some frames of a multipart message went out (which
 * corrupts the next message on the socket). The cell thread publishes (print, display, a live
 * training display) and is the thread we interrupt, so the two are made mutually exclusive: a
 * publish runs with the flag cleared and restored after, and the interrupt waits for it to end.
 * Printed output is published by {@link CellOutput}, displays by {@link Notebook}, both through here.
 */
final class InterruptShield {
    private static final Object LOCK = new Object();

    private InterruptShield() {}

    /** Runs a publish from any thread; the interrupt flag is hidden from it and kept. */
    static void publishing(Runnable publish) {
        synchronized (LOCK) {
            boolean interrupted = Thread.interrupted();
            try {
                publish.run();
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Interrupts (or otherwise signals) {@code t} between publishes, never during one. */
    static void signal(Runnable interrupt) {
        synchronized (LOCK) {
            interrupt.run();
        }
    }
}
