package org.seqlab.layers;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A few threads that run one recurrent pass together, each on its own share of the hidden units,
 * meeting at a barrier once per time step (every step needs the whole previous state).
 *
 * <p>Why: a recurrent step is a skinny gemm ({@code [B, H] x [H, G*H]}) plus element-wise gate math.
 * Handing the gemm alone to a multi-threaded BLAS leaves the gate math and the copies on one thread
 * and pays the BLAS's fork and join twice per step; splitting the hidden units instead gives each
 * thread its own gemm (its columns of W_hh), its own gate math and its own writes, with one
 * barrier per step.
 *
 * <p>Member 0 is the calling thread; the others are daemon threads kept for the next pass. Waiting
 * spins briefly (a step is tens to hundreds of microseconds), then yields, so a loaded machine is
 * not held up by a spinning thread. A member that throws ends the pass for all: the others leave at
 * their next barrier, and {@link #run} rethrows the first failure on the calling thread.
 */
final class StepTeam {
    private static final int SPINS = 1 << 14;
    private static StepTeam shared;

    private final int size;
    private final Thread[] helpers;
    /** Bumped by {@link #run} to start a pass; helpers wait for it to change. */
    private volatile long pass;
    private volatile IntConsumer body;
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    // Barrier state: members that arrived in the current round, and the round number (sense).
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int round;

    private StepTeam(int size) {
        this.size = size;
        this.helpers = new Thread[size - 1];
        for (int k = 1; k < size; k++) {
            int member = k;
            Thread t = new Thread(() -> serve(member), "seqlab-step-" + k);
            t.setDaemon(true);
            helpers[k - 1] = t;
            t.start();
        }
    }

    /** The team of {@code size} members (size >= 2), made once and reused (one pass at a time: see {@link #run}). */
    static synchronized StepTeam of(int size) {
        if (shared == null || shared.size != size) {
            if (shared != null) shared.close();
            shared = new StepTeam(size);
        }
        return shared;
    }

    /** A piece of work on items {@code [from, to)}, run by team member {@code member}. */
    interface RangeWork {
        void run(int member, int from, int to);
    }

    /**
     * Runs {@code work} over items {@code [0, count)} split into contiguous ranges, on the compute
     * threads ({@link Blas#threads()}, at most one per {@code minItems} items); on the calling thread
     * alone when that is one. For element-wise and per-sequence work between the BLAS calls, which
     * would otherwise run on one core. The ranges are a few per thread, taken in turn by whichever
     * member is free: a helper starts tens of microseconds after the caller (it has to wake up), so
     * equal halves left the caller waiting for it.
     */
    static void forRanges(int count, int minItems, RangeWork work) {
        int size = Math.max(1, Math.min(Blas.threads(), count / Math.max(1, minItems)));
        if (size == 1) {
            work.run(0, 0, count);
            return;
        }
        int ranges = Math.min(count, size * RANGES_PER_MEMBER);
        AtomicInteger next = new AtomicInteger();
        of(size).run(member -> {
            for (int r; (r = next.getAndIncrement()) < ranges; ) {
                work.run(member, (int) ((long) count * r / ranges), (int) ((long) count * (r + 1) / ranges));
            }
        });
    }

    /** Ranges per member in {@link #forRanges}: small enough to even out a late start, few enough to cost nothing. */
    private static final int RANGES_PER_MEMBER = 8;

    int size() {
        return size;
    }

    /**
     * Runs {@code work.accept(k)} for every member k, k = 0 on the calling thread, and returns when
     * all are done. Synchronized: two models training on two threads take turns.
     */
    synchronized void run(IntConsumer work) {
        failure.set(null);
        finished.set(0);
        arrived.set(0);
        body = work;
        pass++;
        for (Thread t : helpers) LockSupport.unpark(t);
        try {
            work.accept(0);
        } catch (Throwable e) {
            fail(e);
        } finally {
            // Helpers leave at their next barrier once a failure is set; wait for all of them, so no
            // helper still writes into buffers when the caller moves on.
            while (finished.get() < size - 1) Thread.onSpinWait();
            body = null;
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException r) throw r;
        if (f instanceof Error e) throw e;
        if (f != null) throw new IllegalStateException(f);
    }

    /** Every member calls this at the same points; returns when all have arrived. */
    void await() {
        int r = round;
        if (arrived.incrementAndGet() == size) {
            arrived.set(0);
            round = r + 1;
            return;
        }
        for (int spins = 0; round == r; spins++) {
            if (failure.get() != null) throw new Cancelled();
            if (spins < SPINS) Thread.onSpinWait();
            else Thread.yield();
        }
    }

    /** Keeps the first failure (a {@link Cancelled} is only ever thrown after one). Not synchronized: run() holds the lock. */
    private void fail(Throwable e) {
        failure.compareAndSet(null, e);
    }

    private void serve(int member) {
        long seen = 0;
        while (true) {
            while (pass == seen || body == null) {
                if (closed) return;
                LockSupport.parkNanos(this, 100_000_000L); // run() unparks; the timeout only re-checks closed
            }
            seen = pass;
            try {
                body.accept(member);
            } catch (Throwable e) {
                fail(e);
            } finally {
                finished.incrementAndGet();
            }
        }
    }

    /** Set when a team of another size replaces this one: its helpers end. */
    private volatile boolean closed;

    private void close() {
        closed = true;
        for (Thread t : helpers) LockSupport.unpark(t);
    }

    /** Thrown in the members still working when another failed; never reaches the caller. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("another member of the step team failed", null, false, false);
        }
    }
}
