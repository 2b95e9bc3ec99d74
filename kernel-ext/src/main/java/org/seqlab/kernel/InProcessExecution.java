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

    private final CellThreads threads;
    private final Runnable onSnippetStart;
    private final ExecutorService worker;
    /** The thread that runs cells (created on the first snippet). */
    private volatile Thread cellThread;
    /** JShell's class loader: the one that loaded the snippets, and sees jars added to the session. */
    private volatile ClassLoader snippetLoader;
    private final ScheduledExecutorService watchdog = KernelThreads.scheduler("seqlab-interrupt");
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

    /**
     * @param threads        where the cell thread is created, so the threads cells start can be found
     * @param onSnippetStart runs on the cell thread before each snippet (binds its output to the cell)
     */
    InProcessExecution(CellThreads threads, Runnable onSnippetStart) {
        this.threads = threads;
        this.onSnippetStart = onSnippetStart;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = threads.newCellThread(r, "seqlab-cell");
            cellThread = t;
            return t;
        });
    }

    InProcessExecution() {
        this(new CellThreads(), () -> {});
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

    /** Cell classes are rewritten so that they cannot end the kernel; see {@link ExitGuard}. */
    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        super.load(guarded(cbcs));
    }

    @Override
    public void redefine(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        super.redefine(guarded(cbcs));
    }

    private static ClassBytecodes[] guarded(ClassBytecodes[] cbcs) {
        ClassBytecodes[] out = new ClassBytecodes[cbcs.length];
        for (int i = 0; i < cbcs.length; i++) {
            out[i] = new ClassBytecodes(cbcs[i].name(), ExitGuard.rewrite(cbcs[i].bytecodes()));
        }
        return out;
    }

    /** The text JShell shows for a declared variable; a toString that throws must not fail the cell. */
    @Override
    public String varValue(String className, String varName) throws RunException, EngineTerminationException, InternalException {
        try {
            return super.varValue(className, varName);
        } catch (RuntimeException | LinkageError e) {
            return "(toString() failed: " + e + ")";
        }
    }

    Thread cellThread() {
        return cellThread;
    }

    CellThreads threads() {
        return threads;
    }

    /** The loader cells' classes come from; null before the first snippet ran. */
    ClassLoader snippetLoader() {
        return snippetLoader;
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        lastValue = null;
        snippetLoader = doit.getDeclaringClass().getClassLoader();
        long run = runs.incrementAndGet();
        Future<Object> result = worker.submit(() -> {
            Thread.interrupted(); // a stale interrupt from an earlier cell must not hit this one
            onSnippetStart.run();
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
            try {
                return valueString(value);
            } catch (RuntimeException | LinkageError e) {
                // a toString that throws must not break the cell: the renderer shows the value or says why not
                return value.getClass().getName();
            }
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
