package org.seqlab.kernel;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * System.out and System.err for the whole kernel process, installed once: every write goes to
 * the cell whose code made it.
 *
 * <ul>
 *   <li>The cell thread, and every thread started from it (directly or by a pool created there),
 *       write to that cell: the owner is an {@link InheritableThreadLocal}, so a thread keeps the
 *       cell that started it. Output after that cell ended still lands under it, with a note, and
 *       never in a later cell.</li>
 *   <li>Fork/join common-pool workers (parallel streams) serve whoever calls: they write to the
 *       running cell.</li>
 *   <li>Everything else (the kernel's own threads, libraries' service threads) writes to the
 *       server log, as before the kernel started.</li>
 * </ul>
 */
final class OutputRouter {
    private static final InheritableThreadLocal<CellOutput> OWNER = new InheritableThreadLocal<>();

    private final PrintStream logOut;
    private final PrintStream logErr;
    private volatile CellOutput running;
    private volatile CellOutput last;

    final PrintStream out;
    final PrintStream err;

    OutputRouter(PrintStream logOut, PrintStream logErr) {
        this.logOut = logOut;
        this.logErr = logErr;
        this.out = new PrintStream(new Routed(false), true, StandardCharsets.UTF_8);
        this.err = new PrintStream(new Routed(true), true, StandardCharsets.UTF_8);
    }

    void cellStarted(CellOutput output) {
        running = output;
        last = output;
    }

    void cellEnded(CellOutput output) {
        if (running == output) {
            running = null;
        }
    }

    /** Called on the cell thread before each snippet: it, and the threads it starts, belong to the running cell. */
    void adoptCurrentThread() {
        OWNER.set(running);
    }

    /** The running cell, else the last one that ran (where a notice about the kernel's state is seen); may be null. */
    CellOutput runningOrLast() {
        CellOutput r = running;
        return r != null ? r : last;
    }

    /** The cell output of the calling thread; null when it writes to the server log. */
    CellOutput target() {
        Thread t = Thread.currentThread();
        if (t instanceof ForkJoinWorkerThread) {
            return running;
        }
        return OWNER.get();
    }

    private final class Routed extends OutputStream {
        private final boolean stderr;

        Routed(boolean stderr) {
            this.stderr = stderr;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            CellOutput target = target();
            if (target != null) {
                target.write(stderr, b, off, len);
            } else {
                (stderr ? logErr : logOut).write(b, off, len);
            }
        }

        @Override
        public void flush() {
            // cell output is sent by time and size (CellOutput); println's autoflush must not send a message per line
            if (target() == null) {
                (stderr ? logErr : logOut).flush();
            }
        }
    }
}
