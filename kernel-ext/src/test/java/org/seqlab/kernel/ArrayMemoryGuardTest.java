package org.seqlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ND4J's arrays held to a budget: a clear error beyond it, garbage collected before giving up. */
class ArrayMemoryGuardTest {
    private static final long MB = 1L << 20;

    private static MemoryPlan plan(long arrays) {
        return new MemoryPlan(new AvailableMemory(2048 * MB, "SEQLAB_MEMORY=2g"), 512 * MB, arrays, 1984 * MB);
    }

    @Test
    void anArrayBeyondTheBudgetIsAClearErrorAndTheNextOneWorks() throws Exception {
        try (ArrayMemoryGuard guard = ArrayMemoryGuard.install(plan(300 * MB))) {
            OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> Nd4j.create(DataType.FLOAT, 100_000_000L));
            assertTrue(e.getMessage().startsWith("an array of 381 MB does not fit: the kernel's arrays may use 300 MB"), e.getMessage());
            assertTrue(e.getMessage().contains("SEQLAB_MEMORY=2g") && e.getMessage().contains("set its variable to null"), e.getMessage());
            INDArray small = Nd4j.ones(DataType.FLOAT, 1000).muli(2);
            assertEquals(2000.0, small.sumNumber().doubleValue());
        }
    }

    @Test
    void arraysKeptAliveFillTheBudgetThenFail() throws Exception {
        try (ArrayMemoryGuard guard = ArrayMemoryGuard.install(plan(300 * MB))) {
            List<INDArray> kept = new ArrayList<>();
            OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> {
                for (int i = 0; i < 20; i++) {
                    kept.add(Nd4j.create(DataType.FLOAT, 10_000_000L)); // 38 MB each
                }
            });
            assertTrue(kept.size() >= 5 && kept.size() <= 8, "kept " + kept.size());
            assertTrue(e.getMessage().contains("are in use"), e.getMessage());
        }
    }

    @Test
    void garbageNotYetCollectedDoesNotCountAgainstTheBudget() throws Exception {
        // ND4J runs the GC and retries a refused allocation (OpaqueDataBuffer.allocateDataBuffer);
        // the kernel relies on that: without it, this allocation would fail
        try (ArrayMemoryGuard guard = ArrayMemoryGuard.install(plan(300 * MB))) {
            List<INDArray> old = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                old.add(Nd4j.create(DataType.FLOAT, 20_000_000L)); // 3 x 76 MB of the 300
            }
            old.clear(); // garbage now, but ND4J frees it only once the GC has seen that
            INDArray next = Nd4j.create(DataType.FLOAT, 30_000_000L); // 114 MB: fits only after a collection
            assertEquals(30_000_000L, next.length());
        }
    }
}
