package org.seqlab.data;

import java.util.List;

/**
 * One mini-batch as the trainer sees it: how many real tokens it holds (for tokens/s) and how it
 * cuts into consecutive time chunks for truncated backpropagation through time.
 *
 * @param <B> the batch type itself
 */
public interface TrainingBatch<B extends TrainingBatch<B>> {

    /** Real (unmasked) steps, for tokens/s. */
    long tokens();

    /**
     * Consecutive chunks of at most {@code k} steps along the time axis that truncated BPTT cuts
     * (the target side of a pair); the batch itself when {@code k <= 0} or it is not longer than k.
     * Chunks that hold only padding are left out.
     */
    List<B> chunks(int k);
}
