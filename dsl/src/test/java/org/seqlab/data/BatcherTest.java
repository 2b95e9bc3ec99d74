package org.seqlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class BatcherTest {

    @Test
    void orderIsIdentityWithoutRandomAndSeededWithIt() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, Batcher.order(4, null));
        assertArrayEquals(Batcher.order(20, new Random(3)), Batcher.order(20, new Random(3)));
        assertFalse(Arrays.equals(Batcher.order(20, new Random(3)), Batcher.order(20, new Random(4))));
        int[] shuffled = Batcher.order(20, new Random(3)).clone();
        Arrays.sort(shuffled);
        assertArrayEquals(Batcher.order(20, null), shuffled);
    }

    @Test
    void chunksKeepTheLastPartialBatch() {
        var chunks = Batcher.chunks(Batcher.order(7, null), 3);
        assertEquals(3, chunks.size());
        assertArrayEquals(new int[] {6}, chunks.get(2));
    }

    @Test
    void splitSizes() {
        int[][] parts = Batcher.split(10, 0.3, 5);
        assertEquals(7, parts[0].length);
        assertEquals(3, parts[1].length);
        int[] all = new int[10];
        System.arraycopy(parts[0], 0, all, 0, 7);
        System.arraycopy(parts[1], 0, all, 7, 3);
        Arrays.sort(all);
        assertArrayEquals(Batcher.order(10, null), all);
    }

    @Test
    void paddingHelpers() {
        assertEquals(Nd4j.createFromArray(new float[][] {{3, 4}, {5, 0}}), Padding.ids(new int[][] {{3, 4}, {5}}));
        assertEquals(Nd4j.createFromArray(new float[][] {{1, 1}, {1, 0}}), Padding.mask(new int[] {2, 1}, 2));
        assertNull(Padding.mask(new int[] {2, 2}, 2));
        assertArrayEquals(new long[] {2, 2, 1}, Padding.values(new float[][][] {{{1}, {2}}, {{3}}}).shape());
    }
}
