package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link StepBuffers}: what a step frees the next step reuses, and nothing a caller still holds is ever handed out again. */
class StepBuffersTest {
    private static final long ROWS = 64, COLS = 512; // 128 KiB of floats: pooled

    @AfterEach
    void drain() {
        StepBuffers.drain(); // every test closes the steps it opens
    }

    @Test
    void aFreedBufferIsReusedByTheNextStep() {
        StepBuffers.openStep();
        INDArray first = StepBuffers.uninitialized(DataType.FLOAT, ROWS, COLS);
        StepBuffers.free(first);
        StepBuffers.closeStep();
        StepBuffers.openStep();
        INDArray second = StepBuffers.uninitialized(DataType.FLOAT, COLS, ROWS); // same length, other shape
        assertSame(first.data(), second.data(), "the freed buffer comes back");
        assertEquals(COLS, second.rows());
        second.assign(3);
        assertEquals(3f, second.getFloat(ROWS * COLS - 1));
        StepBuffers.free(second);
        StepBuffers.closeStep();
    }

    @Test
    void aSecondFreeOfAnArrayDoesNotHandItsBufferOutTwice() {
        StepBuffers.openStep();
        INDArray a = StepBuffers.uninitialized(DataType.FLOAT, ROWS, COLS);
        StepBuffers.free(a);
        INDArray b = StepBuffers.uninitialized(DataType.FLOAT, ROWS, COLS);
        assertSame(a.data(), b.data());
        StepBuffers.free(a); // stale: b holds that buffer now
        INDArray c = StepBuffers.uninitialized(DataType.FLOAT, ROWS, COLS);
        assertNotSame(b.data(), c.data(), "a stale free must not lend b's buffer to c");
        b.assign(1);
        c.assign(2);
        assertEquals(1f, b.getFloat(0));
        StepBuffers.closeStep();
    }

    @Test
    void whatAStepKeepsStaysIntactAfterIt() {
        StepBuffers.openStep();
        INDArray kept = StepBuffers.uninitialized(DataType.FLOAT, ROWS, COLS).assign(7);
        StepBuffers.closeStep();
        for (int step = 0; step < 3; step++) {
            StepBuffers.openStep();
            INDArray other = StepBuffers.uninitialized(DataType.FLOAT, ROWS, COLS).assign(-1);
            assertNotSame(kept.data(), other.data());
            StepBuffers.free(other);
            StepBuffers.closeStep();
        }
        assertEquals(7f, kept.getFloat(ROWS * COLS - 1));
        StepBuffers.free(kept); // an ordinary array now: closed
        assertTrue(kept.wasClosed());
    }

    @Test
    void outsideAStepNothingIsPooledAndFreeCloses() {
        int before = StepBuffers.ownedCount();
        INDArray a = StepBuffers.uninitialized(DataType.FLOAT, ROWS, COLS);
        assertEquals(before, StepBuffers.ownedCount());
        StepBuffers.free(a);
        assertTrue(a.wasClosed());
    }

    @Test
    void idleBuffersAreFreedAfterAStepThatDidNotNeedThemAndByDrain() {
        StepBuffers.openStep();
        INDArray big = StepBuffers.uninitialized(DataType.FLOAT, ROWS, COLS);
        INDArray small = StepBuffers.uninitialized(DataType.FLOAT, ROWS, COLS / 2);
        StepBuffers.free(big);
        StepBuffers.free(small);
        StepBuffers.closeStep();
        assertEquals(2, StepBuffers.ownedCount());
        StepBuffers.openStep();
        StepBuffers.free(StepBuffers.uninitialized(DataType.FLOAT, ROWS, COLS));
        StepBuffers.closeStep();
        assertEquals(1, StepBuffers.ownedCount(), "the half-size buffer no step asked for is freed");
        assertFalse(big.data().wasClosed());
        StepBuffers.drain();
        assertEquals(0, StepBuffers.ownedCount());
        assertTrue(big.data().wasClosed());
    }
}
