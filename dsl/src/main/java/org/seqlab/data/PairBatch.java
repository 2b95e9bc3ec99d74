package org.seqlab.data;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One mini-batch of sentence pairs for an encoder-decoder, batch first, right-padded.
 *
 * <ul>
 *   <li>{@code source}: {@code [batch, S]} source token ids, each sequence ending in {@code </s>}</li>
 *   <li>{@code sourceMask}: {@code [batch, S]}, 1 for real steps and 0 for padding; null when every
 *       source has the full length</li>
 *   <li>{@code targetInputs}: {@code [batch, T]} what the decoder reads (teacher forcing): {@code <s>}
 *       then the target tokens</li>
 *   <li>{@code targets}: {@code [batch, T]} what it must predict at each step: the target tokens then
 *       {@code </s>} (the inputs shifted left by one)</li>
 *   <li>{@code targetMask}: {@code [batch, T]} for both target arrays, or null</li>
 *   <li>{@code targetOffset}: the target step this batch starts at: 0, or the start of a truncated-BPTT
 *       chunk ({@link #chunks}), whose decoder continues from the previous chunk's state</li>
 * </ul>
 */
public record PairBatch(INDArray source, INDArray sourceMask, INDArray targetInputs, INDArray targets,
                        INDArray targetMask, int targetOffset) implements TrainingBatch<PairBatch> {

    public int size() {
        return (int) source.size(0);
    }

    public int sourceTime() {
        return (int) source.size(1);
    }

    public int targetTime() {
        return (int) targets.size(1);
    }

    /** Real target tokens (what the decoder is scored on), for tokens/s. */
    @Override
    public long tokens() {
        return targetMask == null ? (long) size() * targetTime() : targetMask.sumNumber().longValue();
    }

    /**
     * Truncated BPTT along the target: consecutive chunks of at most {@code k} target steps, each
     * with the whole source (the encoder reads all of it for every chunk).
     */
    @Override
    public List<PairBatch> chunks(int k) {
        int t = targetTime();
        if (k <= 0 || t <= k) return List.of(this);
        List<PairBatch> chunks = new ArrayList<>();
        for (int from = 0; from < t; from += k) {
            int to = Math.min(t, from + k);
            INDArray m = targetMask == null ? null : Batch.timeSlice(targetMask, from, to);
            if (m != null && m.sumNumber().doubleValue() == 0) break; // only padding left
            chunks.add(new PairBatch(source, sourceMask, Batch.timeSlice(targetInputs, from, to),
                    Batch.timeSlice(targets, from, to), m, targetOffset + from));
        }
        return chunks;
    }
}
