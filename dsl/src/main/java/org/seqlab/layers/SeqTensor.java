package org.seqlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batch of sequences as the layers see it: time-major rows.
 *
 * <p>{@code data} is a 2-D c-order array {@code [time * batch, width]} whose row {@code t * batch + b}
 * holds step {@code t} of sequence {@code b}. Time-major rows make one time step a contiguous
 * {@code [batch, width]} block (what a recurrent step multiplies), and every position-wise layer
 * (dense, layer norm, dropout, the loss) a single 2-D operation over all rows.
 *
 * <p>{@code mask} is {@code null} (every position is real) or a {@code [time * batch, 1]} column of
 * 1 for real positions and 0 for padding, in the same row order. A sequence-to-one tensor has
 * {@code time == 1}.
 */
public record SeqTensor(INDArray data, int time, int batch, INDArray mask) {

    public SeqTensor {
        if (data.rank() != 2 || data.rows() != (long) time * batch) {
            throw new IllegalArgumentException("SeqTensor data must be [time*batch, width] = ["
                    + time + "*" + batch + ", w], got " + java.util.Arrays.toString(data.shape()));
        }
        if (mask != null && (mask.rank() != 2 || mask.rows() != data.rows() || mask.columns() != 1)) {
            throw new IllegalArgumentException("SeqTensor mask must be [time*batch, 1], got "
                    + java.util.Arrays.toString(mask.shape()));
        }
    }

    public int width() {
        return (int) data.columns();
    }

    /** The {@code [batch, width]} block of step {@code t}; a view, not a copy. */
    public INDArray step(int t) {
        return stepOf(data, t, batch);
    }

    /** The {@code [batch, 1]} mask column of step {@code t}, or null when nothing is masked. */
    public INDArray maskStep(int t) {
        return mask == null ? null : stepOf(mask, t, batch);
    }

    /** Same shape and mask, other values (for gradients flowing back). */
    public SeqTensor withData(INDArray newData) {
        return new SeqTensor(newData, time, batch, mask);
    }

    /** Rows of step {@code t} of a time-major 2-D array; a view. */
    public static INDArray stepOf(INDArray rows, int t, int batch) {
        return rows.get(org.nd4j.linalg.indexing.NDArrayIndex.interval((long) t * batch, (long) (t + 1) * batch),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
    }
}
