package org.seqlab.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqlab.data.TrainingBatch;
import org.seqlab.data.TrainingData;
import org.seqlab.layers.Mode;

/**
 * What {@link Trainer} trains: a model that runs one forward pass (and, in training mode, the
 * backward pass into its gradient buffer) over a batch of its kind, with its parameters and their
 * gradients in two flat arrays of one layout. A sequence model ({@code CompiledModel}, batches of
 * {@link org.seqlab.data.Batch}) and an encoder-decoder ({@code Seq2SeqGraph}, batches of
 * {@link org.seqlab.data.PairBatch}) are the two kinds; the trainer owns everything around the pass
 * (order, truncation, clipping, the update, events, validation, early stopping).
 *
 * @param <B> the batch type the model reads
 */
public interface Trainable<B extends TrainingBatch<B>> {

    /** The flat {@code [1, n]} parameter values the optimizer updates. */
    INDArray parameterValues();

    /** The flat gradient array, same layout; the pass assigns it (zeroes, then accumulates). */
    INDArray gradients();

    /** The model's seed (with the fit's seed, it seeds dropout and any sampling during training). */
    long seed();

    /**
     * Forward pass, loss and accuracy; when {@code mode.training()}, also the backward pass. With
     * {@code mode.carryState()} recurrent layers continue from the previous call (truncated BPTT).
     */
    Measured forwardBackward(B batch, Mode mode);

    /** Forgets carried recurrent state. */
    void resetState();

    /** Refuses data or options that do not fit this model, before any step runs; the message names the fix. */
    void checkCompatible(TrainingData<B> data, FitOptions options);

    /**
     * Scans real-valued data before training (refusing NaN, infinities and values that overflow the
     * model's number type) and returns its largest magnitude, so a divergence can say when the data is
     * unscaled; 0 for token data.
     */
    default double dataScale(TrainingData<B> data, int batchSize) {
        return 0;
    }

    /** True for next-token models (a softmax at every step): the history then reports perplexity. */
    default boolean reportsPerplexity() {
        return false;
    }
}
