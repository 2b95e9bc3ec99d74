package org.seqlab.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One mini-batch, batch-first as in Keras and PyTorch ({@code batch_first=True}).
 *
 * <ul>
 *   <li>{@code inputs}: {@code [batch, time]} token ids, or {@code [batch, time, features]} values</li>
 *   <li>{@code targets}: {@code [batch, time]} class ids per step, {@code [batch]} one class per
 *       sequence, {@code [batch, time, n]} values per step or {@code [batch, n]} values per sequence</li>
 *   <li>{@code mask}: {@code [batch, time]} with 1 for real steps and 0 for padding, or null when every
 *       sequence has the full length. Padding is on the right.</li>
 * </ul>
 */
public record Batch(INDArray inputs, INDArray targets, INDArray mask) {

    public int size() {
        return (int) inputs.size(0);
    }

    public int time() {
        return (int) inputs.size(1);
    }

    /** Number of real (unmasked) input steps, for tokens/s. */
    public long tokens() {
        return mask == null ? (long) size() * time() : mask.sumNumber().longValue();
    }
}
