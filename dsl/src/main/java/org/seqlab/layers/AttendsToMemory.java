package org.seqlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A decoder layer that attends to an encoder's output (the memory): the encoder-decoder gives it the
 * memory before the decoder runs and collects dL/d(memory) after the backward pass.
 */
public interface AttendsToMemory extends RowSelectable {

    /** The memory for the following forward passes: time-major {@code [S*B, Dm]} rows with the source mask. */
    void attendTo(SeqTensor memory);

    /** The memory given last, or null. */
    SeqTensor memory();

    /** dL/d(memory) from the last backward pass ({@code [S*B, Dm]}, zero at padded steps), or null. */
    INDArray memoryGradient();

    /** The width of the memory rows this layer reads. */
    int memoryWidth();

    /** Keeps the memory (and anything derived from it) of sequences {@code rows}, in that order. */
    @Override
    void selectRows(int[] rows);

    /** Sequences {@code rows} (in that order, repeats allowed) of a time-major tensor. */
    static SeqTensor selectRows(SeqTensor x, int[] rows) {
        int time = x.time(), batch = x.batch(), k = rows.length;
        int[] pick = new int[time * k];
        for (int t = 0; t < time; t++) for (int i = 0; i < k; i++) pick[t * k + i] = t * batch + rows[i];
        INDArray data = Nd4j.pullRows(x.data(), 1, pick);
        INDArray mask = x.mask() == null ? null : Nd4j.pullRows(x.mask(), 1, pick);
        return new SeqTensor(data, time, k, mask);
    }
}
