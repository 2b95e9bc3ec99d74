package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.graph.ParameterBuffer;

/** Small helpers for the layer tests: masks, layout conversion from PyTorch's batch-first arrays, comparisons. */
final class LayerTestSupport {
    /** Tolerances for PyTorch parity. */
    static final double DOUBLE_TOL = 1e-5;
    static final double FLOAT_TOL = 1e-4;

    private LayerTestSupport() {
    }

    static double tolerance(DataType type) {
        return type == DataType.DOUBLE ? DOUBLE_TOL : FLOAT_TOL;
    }

    /** Time-major {@code [T*B, 1]} mask with the given real lengths (padding on the right). */
    static INDArray mask(int time, int... lengths) {
        int batch = lengths.length;
        double[] m = new double[time * batch];
        for (int t = 0; t < time; t++) for (int b = 0; b < batch; b++) m[t * batch + b] = t < lengths[b] ? 1 : 0;
        return Nd4j.create(m, new long[] {(long) time * batch, 1}, DataType.DOUBLE);
    }

    /** Batch-first {@code [B, T, D]} to time-major rows {@code [T*B, D]}. */
    static INDArray toRows(INDArray btd) {
        long b = btd.size(0), t = btd.size(1), d = btd.size(2);
        return btd.permute(1, 0, 2).dup('c').reshape('c', t * b, d);
    }

    /** Batch-first {@code [B, T]} to a time-major column {@code [T*B, 1]}. */
    static INDArray toColumn(INDArray bt) {
        return bt.transpose().dup('c').reshape('c', bt.length(), 1);
    }

    /** Binds a single layer to a fresh parameter buffer of the given type (values zero until assigned). */
    static ParameterBuffer bind(Layer layer, DataType type) {
        return new ParameterBuffer(List.of(layer), type);
    }

    /** |actual - expected| <= tol * max(1, |expected|) everywhere, with the same shape. */
    static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        INDArray e = expected.castTo(DataType.DOUBLE), a = actual.castTo(DataType.DOUBLE);
        double[] ev = e.dup('c').data().asDouble(), av = a.dup('c').data().asDouble();
        for (int i = 0; i < ev.length; i++) {
            double err = Math.abs(av[i] - ev[i]);
            if (!(err <= tol * Math.max(1, Math.abs(ev[i])))) {
                fail(String.format("%s: element %d expected %.10g but was %.10g (tolerance %.1g)", what, i, ev[i], av[i], tol));
            }
        }
    }

    /** Rows of {@code rows} where {@code mask} is 1 (all rows when mask is null). */
    static INDArray realRows(INDArray rows, INDArray mask) {
        if (mask == null) return rows;
        double[] m = mask.dup('c').data().asDouble();
        int n = 0;
        for (double v : m) if (v != 0) n++;
        int[] keep = new int[n];
        for (int r = 0, k = 0; r < m.length; r++) if (m[r] != 0) keep[k++] = r;
        return Nd4j.pullRows(rows.dup('c'), 1, keep);
    }
}
