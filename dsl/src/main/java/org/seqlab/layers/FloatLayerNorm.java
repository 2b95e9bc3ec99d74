package org.seqlab.layers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link LayerNorm}'s forward and backward for float rows on the Java Vector API, one pass per row,
 * rows split over the compute threads. The equations are LayerNorm's; this class keeps {@code xhat}
 * and {@code 1/sqrt(var + eps)} of the last forward in Java arrays (reused while the shape stays).
 *
 * <p>Why: ND4J ran each row reduction and broadcast as an op over the whole {@code [T*B, D]} array
 * (about a dozen, with their temporaries), about 5% of the tiny GPT's step.
 */
final class FloatLayerNorm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows per thread below which splitting does not pay. */
    private static final int MIN_ROWS = 64;

    private final int width;
    private final float eps;
    private int rows;
    private float[] values = new float[0];
    private float[] normalized = new float[0];
    private float[] invStd = new float[0];
    /** Per team member: its partial sums of dL/dgamma and dL/dbeta. */
    private float[][] gammaGrads = new float[0][];
    private float[][] betaGrads = new float[0][];

    FloatLayerNorm(int width, double eps) {
        this.width = width;
        this.eps = (float) eps;
    }

    static boolean applies(INDArray x) {
        return x.dataType() == DataType.FLOAT;
    }

    /** {@code y = gamma * xhat + beta} for rows {@code x [N, D]}, a new array. */
    INDArray forward(INDArray x, INDArray gamma, INDArray beta) {
        rows = (int) x.rows();
        values = FlatView.read(x, values);
        if (normalized.length != values.length) normalized = new float[values.length];
        if (invStd.length != rows) invStd = new float[rows];
        float[] g = FlatView.read(gamma, null), b = FlatView.read(beta, null);
        float[] out = new float[values.length];
        StepTeam.forRanges(rows, MIN_ROWS, (member, from, to) -> {
            for (int r = from; r < to; r++) normalizeRow(r, g, b, out);
        });
        return FlatView.write(out, rows, width);
    }

    private void normalizeRow(int r, float[] gamma, float[] beta, float[] out) {
        int o = r * width;
        float mean = sum(values, o) / width;
        int d = 0;
        FloatVector m = FloatVector.broadcast(S, mean), acc = FloatVector.zero(S);
        for (; d + L <= width; d += L) {
            FloatVector c = FloatVector.fromArray(S, values, o + d).sub(m);
            acc = c.fma(c, acc);
        }
        float var = acc.reduceLanes(VectorOperators.ADD);
        for (; d < width; d++) var += (values[o + d] - mean) * (values[o + d] - mean);
        float s = (float) (1 / Math.sqrt(var / width + eps));
        invStd[r] = s;
        for (d = 0; d + L <= width; d += L) {
            FloatVector xhat = FloatVector.fromArray(S, values, o + d).sub(m).mul(s);
            xhat.intoArray(normalized, o + d);
            xhat.fma(FloatVector.fromArray(S, gamma, d), FloatVector.fromArray(S, beta, d)).intoArray(out, o + d);
        }
        for (; d < width; d++) {
            normalized[o + d] = (values[o + d] - mean) * s;
            out[o + d] = normalized[o + d] * gamma[d] + beta[d];
        }
    }

    /**
     * dL/dx for {@code grad [N, D]} after {@link #forward}, a new array; adds dL/dgamma and dL/dbeta
     * into {@code gammaGrad} and {@code betaGrad}.
     */
    INDArray backward(INDArray grad, INDArray gamma, INDArray gammaGrad, INDArray betaGrad) {
        float[] dy = FlatView.read(grad, null), g = FlatView.read(gamma, null);
        float[] dx = new float[dy.length];
        int members = Math.max(1, Blas.threads());
        if (gammaGrads.length < members) {
            gammaGrads = new float[members][width];
            betaGrads = new float[members][width];
        }
        for (int k = 0; k < gammaGrads.length; k++) {
            java.util.Arrays.fill(gammaGrads[k], 0f);
            java.util.Arrays.fill(betaGrads[k], 0f);
        }
        StepTeam.forRanges(rows, MIN_ROWS, (member, from, to) -> {
            for (int r = from; r < to; r++) backwardRow(r, dy, g, dx, gammaGrads[member], betaGrads[member]);
        });
        float[] dGamma = new float[width], dBeta = new float[width];
        for (int k = 0; k < gammaGrads.length; k++) {
            for (int d = 0; d < width; d++) {
                dGamma[d] += gammaGrads[k][d];
                dBeta[d] += betaGrads[k][d];
            }
        }
        addInto(gammaGrad, dGamma);
        addInto(betaGrad, dBeta);
        return FlatView.write(dx, rows, width);
    }

    /** One row: {@code d = dy * gamma}, {@code dx = s * (d - mean(d) - xhat * mean(d * xhat))}. */
    private void backwardRow(int r, float[] dy, float[] gamma, float[] dx, float[] dGamma, float[] dBeta) {
        int o = r * width, d = 0;
        FloatVector sumD = FloatVector.zero(S), sumDX = FloatVector.zero(S);
        for (; d + L <= width; d += L) {
            FloatVector gy = FloatVector.fromArray(S, dy, o + d), xhat = FloatVector.fromArray(S, normalized, o + d);
            gy.fma(xhat, FloatVector.fromArray(S, dGamma, d)).intoArray(dGamma, d);
            gy.add(FloatVector.fromArray(S, dBeta, d)).intoArray(dBeta, d);
            FloatVector dd = gy.mul(FloatVector.fromArray(S, gamma, d));
            sumD = sumD.add(dd);
            sumDX = dd.fma(xhat, sumDX);
        }
        float meanD = sumD.reduceLanes(VectorOperators.ADD), meanDX = sumDX.reduceLanes(VectorOperators.ADD);
        for (int t = d; t < width; t++) {
            dGamma[t] += dy[o + t] * normalized[o + t];
            dBeta[t] += dy[o + t];
            float dd = dy[o + t] * gamma[t];
            meanD += dd;
            meanDX += dd * normalized[o + t];
        }
        meanD /= width;
        meanDX /= width;
        float s = invStd[r];
        FloatVector mD = FloatVector.broadcast(S, meanD), mDX = FloatVector.broadcast(S, meanDX);
        for (d = 0; d + L <= width; d += L) {
            FloatVector dd = FloatVector.fromArray(S, dy, o + d).mul(FloatVector.fromArray(S, gamma, d));
            FloatVector xhat = FloatVector.fromArray(S, normalized, o + d);
            dd.sub(mD).sub(xhat.mul(mDX)).mul(s).intoArray(dx, o + d);
        }
        for (; d < width; d++) dx[o + d] = (dy[o + d] * gamma[d] - meanD - normalized[o + d] * meanDX) * s;
    }

    /** {@code sum over d of a[o + d]}. */
    private float sum(float[] a, int o) {
        FloatVector acc = FloatVector.zero(S);
        int d = 0;
        for (; d + L <= width; d += L) acc = acc.add(FloatVector.fromArray(S, a, o + d));
        float total = acc.reduceLanes(VectorOperators.ADD);
        for (; d < width; d++) total += a[o + d];
        return total;
    }

    private static void addInto(INDArray target, float[] values) {
        INDArray add = FlatView.write(values, target.shape());
        target.addi(add);
        StepBuffers.free(add);
    }
}
