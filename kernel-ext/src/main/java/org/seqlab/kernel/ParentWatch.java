package org.seqlab.kernel;

import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Ends the kernel when the process that started it is gone, as ipykernel does: Jupyter names
 * itself in {@code JPY_PARENT_PID}. Without this a kernel whose server was killed (or crashed)
 * runs on forever, adopted by init, holding its memory.
 *
 * <p>The parent is checked once a second. It counts as gone when that pid no longer runs, or runs
 * a process started later than the one we saw (the pid was reused), or when our own parent
 * changed (we were re-parented).
 */
final class ParentWatch {
    static final long POLL_MILLIS = 1000;

    private ParentWatch() {}

    /**
     * Starts the watch if {@code JPY_PARENT_PID} names a live process; {@code onGone} runs once, on
     * the watch thread, unless the kernel is already shutting down (a console that asked for the
     * shutdown often exits before the kernel has).
     */
    static void start(String parentPid, BooleanSupplier shuttingDown, Runnable onGone) {
        if (parentPid == null || parentPid.isBlank()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(parentPid.strip());
        } catch (NumberFormatException e) {
            ServerLog.warn("JPY_PARENT_PID is not a process id (" + parentPid + "); the kernel will not follow its parent");
            return;
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(pid);
        if (parent.isEmpty() || pid <= 1) {
            return;
        }
        Optional<Instant> started = parent.get().info().startInstant();
        Optional<Long> ourParent = ProcessHandle.current().parent().map(ProcessHandle::pid);
        Thread t = KernelThreads.daemon(() -> {
            while (true) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                if (isGone(pid, started, ourParent)) {
                    if (shuttingDown.getAsBoolean()) {
                        return;
                    }
                    ServerLog.warn("the process that started this kernel (pid " + pid + ") is gone; the kernel exits."
                            + " Start a new kernel from Jupyter.");
                    onGone.run();
                    return;
                }
            }
        }, "seqlab-parent-watch");
        t.start();
    }

    static boolean isGone(long pid, Optional<Instant> started, Optional<Long> ourParent) {
        Optional<ProcessHandle> now = ProcessHandle.of(pid);
        if (now.isEmpty() || !now.get().isAlive()) {
            return true;
        }
        if (started.isPresent() && !started.equals(now.get().info().startInstant())) {
            return true;
        }
        Optional<Long> parentNow = ProcessHandle.current().parent().map(ProcessHandle::pid);
        return ourParent.isPresent() && !ourParent.equals(parentNow);
    }
}
