package org.seqlab.data;

import java.util.List;
import java.util.Random;

/**
 * What the trainer iterates, whatever a batch holds: a fixed set of examples cut into batches
 * (seeded shuffling), and a seeded validation split. {@link SequenceDataset} (one input sequence
 * per example) and {@link ParallelText} (source and target sequence pairs) are the two kinds.
 *
 * @param <B> the batch type: {@link Batch} or {@link PairBatch}
 */
public interface TrainingData<B extends TrainingBatch<B>> {

    /** Number of examples. */
    int size();

    /**
     * The examples in batches of at most {@code batchSize}; shuffled with {@code random} when it is not
     * null, in order otherwise. Variable lengths are right-padded and masked within each batch.
     */
    List<B> batches(int batchSize, Random random);

    /** {@code [train, validation]}: the validation part is the last {@code fraction} of a seeded shuffle. */
    List<? extends TrainingData<B>> split(double fraction, long seed);

    /**
     * True when consecutive batches continue each other row by row (one long text cut into streams):
     * the trainer then carries the recurrent state from one batch to the next and does not shuffle.
     */
    default boolean contiguous() {
        return false;
    }
}
