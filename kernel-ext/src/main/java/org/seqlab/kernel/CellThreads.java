package org.seqlab.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The threads that cells start. The cell thread lives in its own thread group, and a new thread
 * joins the group of the thread that creates it, so every thread a cell starts (directly or
 * through an executor created in a cell) is found here.
 *
 * <p>Libraries also start service threads from the first cell that uses them (JavaCPP's and
 * ND4J's deallocators, fork/join workers); those are subclasses of {@link Thread} loaded with the
 * kernel, and are never touched. A plain {@code Thread}, or a subclass a cell defined, is the
 * user's.
 *
 * <p>An interrupt sets their interrupt flag; one that is still alive at the next interrupt is
 * stopped ({@code Thread.stop}, as a cell in a busy loop is).
 */
final class CellThreads {
    private final ThreadGroup group = new ThreadGroup("seqlab-cells");
    /** Threads already interrupted once: the next interrupt stops them. */
    private final Set<Thread> interruptedOnce = Collections.newSetFromMap(new WeakHashMap<>());

    /** What an interrupt did to the threads cells started. */
    record Outcome(List<String> interrupted, List<String> stopped) {
        boolean isEmpty() {
            return interrupted.isEmpty() && stopped.isEmpty();
        }
    }

    Thread newCellThread(Runnable r, String name) {
        Thread t = new Thread(group, r, name);
        t.setDaemon(true);
        return t;
    }

    /** Live threads started by cells (not the cell thread itself). */
    List<Thread> startedByCells(Thread cellThread) {
        Thread[] all = new Thread[group.activeCount() + 16];
        int n = group.enumerate(all, true);
        List<Thread> mine = new ArrayList<>();
        for (Thread t : Arrays.asList(all).subList(0, n)) {
            if (t != cellThread && t.isAlive() && isUsers(t)) {
                mine.add(t);
            }
        }
        return mine;
    }

    static boolean isUsers(Thread t) {
        if (KernelThreads.isKernels(t)) {
            return false;
        }
        Class<?> c = t.getClass();
        if (c == Thread.class) {
            return true;
        }
        ClassLoader l = c.getClassLoader();
        // loaded by JShell's class loader (defined in a cell, or from a jar a cell added)
        return l != null && l != ClassLoader.getSystemClassLoader() && l != ClassLoader.getPlatformClassLoader();
    }

    /** Interrupts the threads cells started; stops those an earlier interrupt did not end. */
    @SuppressWarnings({"removal", "deprecation"})
    synchronized Outcome interruptAll(Thread cellThread) {
        List<String> interrupted = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        for (Thread t : startedByCells(cellThread)) {
            if (interruptedOnce.contains(t)) {
                InterruptShield.signal(t::stop); // deprecated, still effective on 17: it ignored the interrupt
                stopped.add(t.getName());
            } else {
                InterruptShield.signal(t::interrupt);
                interruptedOnce.add(t);
                interrupted.add(t.getName());
            }
        }
        return new Outcome(interrupted, stopped);
    }

    /** Of the named threads, those still alive. */
    List<String> stillAlive(Thread cellThread, List<String> names) {
        return startedByCells(cellThread).stream().map(Thread::getName).filter(names::contains).toList();
    }
}
