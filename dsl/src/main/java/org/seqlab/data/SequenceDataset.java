package org.seqlab.data;

import java.util.List;
import java.util.Random;

/**
 * Examples ready for training: a fixed set of sequences with their targets, cut into batches on
 * demand. Implementations validate when they are built (empty data, ids outside the vocabulary,
 * ragged feature widths) so a model never sees bad input.
 */
public interface SequenceDataset extends TrainingData<Batch> {

    /** Number of examples (sequences or windows). */
    @Override
    int size();

    TargetKind targetKind();

    /** Input token vocabulary size, or 0 for real-valued inputs. */
    int vocabSize();

    /** Features per input step (1 for token ids). */
    int featureSize();

    /** Number of classes for class targets, or the width of value targets. */
    int targetSize();

    /** Longest sequence length. */
    int maxLength();

    /**
     * The examples in batches of at most {@code batchSize}; shuffled with {@code random} when it is not
     * null (seeded shuffling), in order otherwise. Variable-length sequences are right-padded and
     * masked within each batch.
     */
    @Override
    List<Batch> batches(int batchSize, Random random);

    /**
     * Splits off the last {@code fraction} of the examples, after a seeded shuffle, as a validation set:
     * returns {@code [train, validation]}.
     */
    @Override
    List<SequenceDataset> split(double fraction, long seed);

    /**
     * True when consecutive batches continue each other row by row (batch k+1, row r starts where
     * batch k, row r ended), as for truncated BPTT over a long text: the trainer then carries the
     * hidden state from one batch to the next instead of resetting it, and must not shuffle.
     */
    @Override
    default boolean contiguous() {
        return false;
    }

    /** The vocabulary of token inputs, or null for real-valued inputs. */
    default Vocab vocab() {
        return null;
    }
}
