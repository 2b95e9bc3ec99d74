package org.seqlab.layers;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Native buffers that a training step's arrays borrow and the next step reuses. A step frees what its
 * layers passed and kept ({@link Layer#releaseStep}); freed to ND4J, a large buffer goes back to
 * the system and the next step's identical array comes back as fresh pages, which the kernel must
 * fault in and zero: the tiny GPT spent ~14% of its step in {@code allocateDataBuffer}
 * ({@code createUninitialized} of a [4096, 1024] float array took 0.5-12 ms; writing into a reused
 * one, none of that). libtorch keeps its freed blocks in the process the same way.
 *
 * <p>Only inside a step ({@link #openStep} .. {@link #closeStep}, which {@code forwardBackward}
 * brackets) does {@link #uninitialized} lend pooled buffers; elsewhere (prediction, generation) it
 * is a plain allocation, so nothing a caller keeps is ever reused. {@link #free} replaces
 * {@code close()}: a lent array's buffer returns to the pool, a stale second free of it is ignored,
 * and any other array is closed as before. Arrays still lent when the step closes are given up to
 * the garbage collector like any ND4J array (nothing reuses them). Buffers no step asked for in a
 * whole step are freed at its close, and {@link #drain} frees the rest (the end of a fit), so the
 * pool holds at most one step's arrays.
 */
public final class StepBuffers {
    /** Smaller arrays come from malloc's own free lists quickly enough. */
    static final long MIN_BYTES = 64 * 1024;

    private record Key(DataType type, long length) {
    }

    private static final Map<Key, ArrayDeque<DataBuffer>> idle = new HashMap<>();
    /** Every buffer the pool owns (idle or lent), with the number of the step that last took it. */
    private static final Map<DataBuffer, Long> owned = new IdentityHashMap<>();
    /** Arrays lent during the open step, and the buffer each one borrows. */
    private static final Map<INDArray, DataBuffer> lent = new IdentityHashMap<>();
    private static int openSteps;
    private static long step;

    private StepBuffers() {
    }

    /** Starts a training step (nested calls count: only the outermost closes it). */
    public static synchronized void openStep() {
        if (openSteps++ == 0) step++;
    }

    /** Ends the step: lent arrays no one freed become ordinary arrays; buffers idle all step are freed. */
    public static synchronized void closeStep() {
        if (openSteps == 0 || --openSteps > 0) return;
        for (DataBuffer kept : lent.values()) owned.remove(kept);
        lent.clear();
        for (Iterator<ArrayDeque<DataBuffer>> lists = idle.values().iterator(); lists.hasNext(); ) {
            ArrayDeque<DataBuffer> list = lists.next();
            list.removeIf(b -> {
                if (owned.get(b) == step) return false;
                owned.remove(b);
                b.close();
                return true;
            });
            if (list.isEmpty()) lists.remove();
        }
    }

    /** Frees every idle buffer (outside a step; a fit ends with this so a notebook does not keep them). */
    public static synchronized void drain() {
        if (openSteps > 0) return;
        for (ArrayDeque<DataBuffer> list : idle.values()) {
            for (DataBuffer b : list) {
                owned.remove(b);
                b.close();
            }
        }
        idle.clear();
    }

    /** A new c-order array of {@code shape} with undefined contents: a pooled buffer inside a step. */
    public static synchronized INDArray uninitialized(DataType type, long... shape) {
        long length = 1;
        for (long s : shape) length *= s;
        if (openSteps == 0 || length * type.width() < MIN_BYTES) return Nd4j.createUninitialized(type, shape, 'c');
        Key key = new Key(type, length);
        ArrayDeque<DataBuffer> list = idle.get(key);
        DataBuffer buffer = list == null ? null : list.poll();
        INDArray a = buffer == null ? Nd4j.createUninitialized(type, shape, 'c') : Nd4j.create(buffer, shape);
        lent.put(a, a.data());
        owned.put(a.data(), step);
        return a;
    }

    /** {@link #uninitialized} of {@code a}'s type and shape. */
    public static INDArray like(INDArray a) {
        return uninitialized(a.dataType(), a.shape());
    }

    /**
     * Gives {@code a} back: its buffer to the pool if it was lent, nothing if it is a pooled buffer
     * freed before (or lent to someone else since), else {@code close()} (views and freed arrays are skipped).
     */
    public static synchronized void free(INDArray a) {
        if (a == null) return;
        DataBuffer borrowed = lent.remove(a);
        if (borrowed != null) {
            idle.computeIfAbsent(new Key(a.dataType(), borrowed.length()), k -> new ArrayDeque<>()).push(borrowed);
            return;
        }
        if (a.isView() || owned.containsKey(a.data())) return;
        if (a.closeable()) a.close();
    }

    /** Buffers the pool holds now, idle and lent (for tests). */
    static synchronized int ownedCount() {
        return owned.size();
    }
}
