package org.seqlab.kernel;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The kernel's own helper threads (output flushing, interrupt watchdog, notices). They live in a
 * group of their own under the JVM's root group and inherit no thread-locals, even when a cell's
 * write is what first starts them: so they are never taken for threads a cell started
 * ({@link CellThreads}), and never write into a cell by inheritance ({@link OutputRouter}).
 */
final class KernelThreads {
    private static final ThreadGroup GROUP = new ThreadGroup(root(), "seqlab-kernel");

    private KernelThreads() {}

    private static ThreadGroup root() {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g.getParent() != null) {
            g = g.getParent();
        }
        return g;
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(GROUP, r, name, 0, false);
        t.setDaemon(true);
        return t;
    }

    static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name));
    }

    static boolean isKernels(Thread t) {
        return t.getThreadGroup() == GROUP;
    }
}
