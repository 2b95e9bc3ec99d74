package org.seqlab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Order, batch and split rules shared by every dataset: seeded shuffling with {@link Random}
 * (Fisher-Yates), batches of at most {@code batchSize} in that order with the last partial batch kept,
 * and validation splits that take the last {@code fraction} of a seeded shuffle.
 */
public final class Batcher {

    private Batcher() {
    }

    /** {@code 0..n-1} in order when {@code random} is null, shuffled by it otherwise. */
    public static int[] order(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (random != null) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        return order;
    }

    /** {@code order} cut into consecutive groups of {@code batchSize}; the last group may be smaller. */
    public static List<int[]> chunks(int[] order, int batchSize) {
        requireBatchSize(batchSize);
        List<int[]> chunks = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            chunks.add(Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize)));
        }
        return chunks;
    }

    public static void requireBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size is " + batchSize + "; use 1 or more");
        }
    }

    /**
     * Example indices for a validation split: {@code [train, validation]}, the validation part being the
     * last {@code round(n * fraction)} examples of a shuffle seeded with {@code seed}. Each part is
     * returned in ascending order so a split dataset keeps the original example order.
     */
    public static int[][] split(int n, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction is " + fraction
                    + "; use a value strictly between 0 and 1, e.g. 0.1");
        }
        int validation = (int) Math.round(n * fraction);
        if (validation < 1 || validation > n - 1) {
            throw new IllegalArgumentException("a validation fraction of " + fraction + " of " + n
                    + " examples leaves " + validation + " for validation and " + (n - validation)
                    + " for training; both need at least one example: change the fraction or add data");
        }
        int[] order = order(n, new Random(seed));
        int[] train = Arrays.copyOfRange(order, 0, n - validation);
        int[] valid = Arrays.copyOfRange(order, n - validation, n);
        Arrays.sort(train);
        Arrays.sort(valid);
        return new int[][] {train, valid};
    }
}
