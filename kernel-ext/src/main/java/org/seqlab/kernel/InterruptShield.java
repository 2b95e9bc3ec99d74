package org.seqlab.kernel;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps interrupts away from Jupyter messages. JeroMQ fails a send with EINTR when the sending
 * thread is interrupted, possibly after some frames of a multipart message went out (which
 * corrupts the next message on the socket). The cell thread publishes (print, display, a live
 * training display) and is the thread we interrupt, so the two are made mutually exclusive: a
 * publish runs with the flag cleared and restored after, and the interrupt waits for it to end.
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

    /** {@code target} as a print stream whose writes and flushes (which publish) are shielded. */
    static PrintStream shielded(PrintStream target) {
        OutputStream shielded = new OutputStream() {
            @Override
            public void write(int b) {
                publishing(() -> target.write(b));
            }

            @Override
            public void write(byte[] b, int off, int len) {
                publishing(() -> target.write(b, off, len));
            }

            @Override
            public void flush() {
                publishing(target::flush);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
        return new PrintStream(shielded, true, StandardCharsets.UTF_8);
    }
}
