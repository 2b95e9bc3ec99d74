package org.seqlab.data;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

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
public record Batch(INDArray inputs, INDArray targets, INDArray mask) implements TrainingBatch<Batch> {

    public int size() {
        return (int) inputs.size(0);
    }

    public int time() {
        return (int) inputs.size(1);
    }

    /** Number of real (unmasked) input steps, for tokens/s. */
    @Override
    public long tokens() {
        return mask == null ? (long) size() * time() : mask.sumNumber().longValue();
    }

    /** Consecutive time chunks of inputs, targets and mask (per-step targets). */
    @Override
    public List<Batch> chunks(int k) {
        int t = time();
        if (k <= 0 || t <= k) return List.of(this);
        List<Batch> chunks = new ArrayList<>();
        for (int from = 0; from < t; from += k) {
            int to = Math.min(t, from + k);
            INDArray m = mask == null ? null : timeSlice(mask, from, to);
            if (m != null && m.sumNumber().doubleValue() == 0) break; // only padding left
            chunks.add(new Batch(timeSlice(inputs, from, to), timeSlice(targets, from, to), m));
        }
        return chunks;
    }

    /** Steps {@code from..to-1} of a batch-first array (dimension 1), as a fresh array. */
    static INDArray timeSlice(INDArray batchFirst, int from, int to) {
        INDArrayIndex[] idx = new INDArrayIndex[batchFirst.rank()];
        idx[0] = NDArrayIndex.all();
        idx[1] = NDArrayIndex.interval(from, to);
        for (int d = 2; d < idx.length; d++) idx[d] = NDArrayIndex.all();
        return batchFirst.get(idx).dup('c');
    }
}
