package org.seqlab.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell execution engine that runs snippets in this JVM, on one worker thread we own.
 *
 * <p>Why not the stock {@code LocalExecutionControl#invoke}: it starts a new thread per snippet,
 * waits for every thread the snippet started (a background thread hangs the cell), installs a
 * JVM-wide uncaught-exception handler, and returns only the value's string. We keep the real
 * value (renderers need the object), keep one long-lived thread (ND4J keeps per-thread state),
 * and stop cooperatively first: interrupt, then {@code Thread.stop} after a grace period.
 */
final class InProcessExecution extends LocalExecutionControl {

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> daemon(r, "seqlab-cell"));
    private final ScheduledExecutorService watchdog =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "seqlab-interrupt"));
    /** Identifies one snippet run, so a late escalation never stops the next snippet. */
    private final AtomicLong runs = new AtomicLong();
    private volatile long currentRun = -1;
    private volatile Thread runningThread;
    private volatile Object lastValue;
    /**
     * An interrupt that arrived while no snippet ran (JShell was still compiling the cell, which
     * takes a second on a busy machine). The next snippet of the same cell starts interrupted.
     */
    private volatile boolean pendingInterrupt;
    private volatile long pendingGraceMillis;
    /**
     * Until when (System.nanoTime) the running snippet has promised to check its interrupt flag:
     * a fit does so between steps, so it gets the time a step takes instead of the fixed grace.
     */
    private volatile long checkPromisedByNanos;
    /** However long the promises, a snippet that ignores an interrupt is stopped after this. */
    static final long MAX_COOPERATIVE_MILLIS = 30_000;

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    ExecutionControlProvider provider() {
        InProcessExecution self = this;
        return new ExecutionControlProvider() {
            @Override public String name() { return "seqlab-in-process"; }
            @Override public ExecutionControl generate(ExecutionEnv env, Map<String, String> params) { return self; }
        };
    }

    /** The value the last snippet computed (boxed if primitive); null when none. */
    Object takeLastValue() {
        Object v = lastValue;
        lastValue = null;
        return v;
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        lastValue = null;
        long run = runs.incrementAndGet();
        Future<Object> result = worker.submit(() -> {
            Thread.interrupted(); // a stale interrupt from an earlier cell must not hit this one
            runningThread = Thread.currentThread();
            checkPromisedByNanos = 0;
            currentRun = run;
            if (pendingInterrupt) { // read after publishing the thread: interrupt() sees one or the other
                Thread.currentThread().interrupt();
                Thread self = Thread.currentThread();
                long giveUpAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_COOPERATIVE_MILLIS);
                watchdog.schedule(() -> forceStop(self, run, giveUpAt), pendingGraceMillis, TimeUnit.MILLISECONDS);
            }
            try {
                return doit.invoke(null);
            } finally {
                currentRun = -1;
                runningThread = null;
            }
        });
        try {
            Object value = result.get();
            lastValue = value;
            return valueString(value);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (isStop(cause)) {
                throw new StoppedException();
            }
            if (cause instanceof Exception ex) {
                throw ex; // InvocationTargetException: JShell turns it into the user's exception
            }
            throw new InvocationTargetException(cause);
        } finally {
            Thread.interrupted(); // in case a stale escalation raced with completion
        }
    }

    private static boolean isStop(Throwable t) {
        return t instanceof ThreadDeath
                || (t instanceof InvocationTargetException && t.getCause() instanceof ThreadDeath);
    }

    /** True while user code runs on the worker thread. */
    boolean isRunning() {
        return currentRun != -1;
    }

    /** True when {@code t} is the thread running a snippet now (not a thread that snippet started). */
    boolean isCellThread(Thread t) {
        return t == runningThread && currentRun != -1;
    }

    /**
     * Interrupts the running snippet: sets the worker's interrupt flag at once (training loops and
     * blocking calls notice it), and stops the thread after {@code graceMillis} if it is still in
     * the same snippet (a busy loop that never checks the flag).
     */
    void interrupt(long graceMillis) {
        pendingGraceMillis = graceMillis;
        pendingInterrupt = true;
        Thread t = runningThread;
        long run = currentRun;
        if (t == null || run == -1) {
            return;
        }
        InterruptShield.signal(t::interrupt);
        long giveUpAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_COOPERATIVE_MILLIS);
        watchdog.schedule(() -> forceStop(t, run, giveUpAt), graceMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Called on the cell thread by code that checks the interrupt flag regularly (a fit, before
     * each step): it will check again within {@code millis}, so an interrupt waits that long
     * before falling back to stopping the thread. No effect on other threads.
     */
    void promiseInterruptCheckWithin(long millis) {
        if (Thread.currentThread() == runningThread) {
            checkPromisedByNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        }
    }

    /** Forgets an interrupt meant for an earlier cell; called when a cell starts. */
    void clearPendingInterrupt() {
        pendingInterrupt = false;
    }

    @SuppressWarnings({"removal", "deprecation"})
    private void forceStop(Thread t, long run, long giveUpAt) {
        if (currentRun != run || runningThread != t) {
            return;
        }
        long now = System.nanoTime();
        long promised = checkPromisedByNanos;
        if (promised - now > 0 && giveUpAt - now > 0) {
            watchdog.schedule(() -> forceStop(t, run, giveUpAt), Math.min(promised, giveUpAt) - now, TimeUnit.NANOSECONDS);
            return;
        }
        // deprecated, but still effective on Java 17: the only way out of `while(true){}`
        InterruptShield.signal(t::stop);
    }

    @Override
    public void stop() {
        interrupt(1000);
    }

    @Override
    public void close() {
        worker.shutdownNow();
        watchdog.shutdownNow();
        super.close();
    }
}
