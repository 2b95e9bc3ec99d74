package org.seqlab.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Helpers shared by the losses. */
final class Losses {
    private Losses() {
    }

    /** Column {@code [rows, 1]} of {@code 1 / (n * perRow)} on real rows and 0 on padded rows: mask and mean in one factor. */
    static INDArray rowWeights(boolean[] real, int n, int perRow, DataType type) {
        double w = n == 0 ? 0.0 : 1.0 / ((double) n * perRow);
        double[] col = new double[real.length];
        for (int r = 0; r < real.length; r++) col[r] = real[r] ? w : 0.0;
        return Nd4j.create(col, new long[] {real.length, 1}, type);
    }

    /**
     * Multiplies {@code a} in place by the row weights of {@link #rowWeights} and returns it; a scalar
     * multiply when no row is masked (cheaper than a broadcast over a [rows, C] array).
     */
    static INDArray weighRows(INDArray a, boolean[] real, int n, int perRow) {
        if (n == real.length) return a.muli(1.0 / ((double) n * perRow));
        return a.muliColumnVector(rowWeights(real, n, perRow, a.dataType()));
    }

    static int count(boolean[] real) {
        int n = 0;
        for (boolean r : real) if (r) n++;
        return n;
    }

    static void sameShape(String loss, INDArray outputs, INDArray targets) {
        if (!java.util.Arrays.equals(outputs.shape(), targets.shape())) {
            throw new IllegalArgumentException(loss + ": targets " + java.util.Arrays.toString(targets.shape())
                    + " must have the outputs' shape " + java.util.Arrays.toString(outputs.shape()));
        }
    }
}
