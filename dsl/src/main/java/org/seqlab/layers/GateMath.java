package org.seqlab.layers;

/**
 * In-place sigmoid and tanh over ranges of a {@code double[]}, exact or fast.
 *
 * <p>Exact: through {@link Math#exp} (an intrinsic; {@link Math#tanh} is a slow native call on JDK
 * 17). Used in double precision, where gradient checks and parity tests need full accuracy.
 *
 * <p>Fast, for float storage: tanh(x) as a rational function of x, the convergent of Lambert's
 * continued fraction {@code tanh x = x / (1 + x^2 / (3 + x^2 / (5 + ... + x^2 / 25)))} written as
 * {@code x P(x^2) / Q(x^2)} with x clamped to [-9, 9]. Max abs error 3.7e-8 (below float resolution
 * near 1); only multiply-adds, one division and min/max, so the JIT can vectorize the loop, where
 * the exp intrinsic runs one element at a time. The gate math was ~60% of an LSTM forward pass
 * without it. sigmoid(x) = (1 + tanh(x/2)) / 2.
 */
final class GateMath {
    // Coefficients of P and Q (from the continued fraction with exact rationals, Q(0) = 1).
    private static final double P1 = 0.14666666666666667, P2 = 0.0052173913043478265, P3 = 6.625258799171843e-05,
            P4 = 3.2286836253274086e-07, P5 = 5.179706350792634e-10, P6 = 1.264885555749117e-13;
    private static final double Q1 = 0.48, Q2 = 0.03188405797101449, Q3 = 0.0006625258799171842,
            Q4 = 5.230467473030402e-06, Q5 = 1.5193805295658393e-08, Q6 = 1.1510458557316966e-11;
    private static final double CLAMP = 9.0;

    private GateMath() {
    }

    static void sigmoid(double[] a, int from, int to, boolean fast) {
        if (fast) {
            for (int i = from; i < to; i++) a[i] = 0.5 + 0.5 * rationalTanh(0.5 * a[i]);
        } else {
            for (int i = from; i < to; i++) a[i] = 1.0 / (1.0 + Math.exp(-a[i]));
        }
    }

    static void tanh(double[] a, int from, int to, boolean fast) {
        if (fast) {
            for (int i = from; i < to; i++) a[i] = rationalTanh(a[i]);
        } else {
            for (int i = from; i < to; i++) a[i] = 1.0 - 2.0 / (Math.exp(2.0 * a[i]) + 1.0);
        }
    }

    private static final float FP1 = (float) P1, FP2 = (float) P2, FP3 = (float) P3, FP4 = (float) P4, FP5 = (float) P5,
            FP6 = (float) P6, FQ1 = (float) Q1, FQ2 = (float) Q2, FQ3 = (float) Q3, FQ4 = (float) Q4, FQ5 = (float) Q5,
            FQ6 = (float) Q6, FCLAMP = (float) CLAMP;

    /**
     * Fast sigmoid of {@code a[0, n)} in float arithmetic, for float models: the same rational tanh
     * evaluated in float (max abs error 3.5e-7, a few float ulps). A single short loop over one array, so C2 vectorizes it
     * (16 lanes with AVX-512), unlike the float-to-double round trip.
     */
    static void sigmoid(float[] a, int n) {
        for (int i = 0; i < n; i++) a[i] = 0.5f + 0.5f * rationalTanh(0.5f * a[i]);
    }

    /** Fast tanh of {@code a[0, n)} in float arithmetic (see {@link #sigmoid(float[], int)}). */
    static void tanh(float[] a, int n) {
        for (int i = 0; i < n; i++) a[i] = rationalTanh(a[i]);
    }

    static float rationalTanh(float v) {
        float x = Math.max(-FCLAMP, Math.min(FCLAMP, v));
        float z = x * x;
        float p = ((((((FP6 * z + FP5) * z + FP4) * z + FP3) * z + FP2) * z + FP1) * z + 1f);
        float q = ((((((FQ6 * z + FQ5) * z + FQ4) * z + FQ3) * z + FQ2) * z + FQ1) * z + 1f);
        return Math.max(-1f, Math.min(1f, x * p / q));
    }

    static double rationalTanh(double v) {
        double x = Math.max(-CLAMP, Math.min(CLAMP, v));
        double z = x * x;
        double p = ((((((P6 * z + P5) * z + P4) * z + P3) * z + P2) * z + P1) * z + 1.0);
        double q = ((((((Q6 * z + Q5) * z + Q4) * z + Q3) * z + Q2) * z + Q1) * z + 1.0);
        return Math.max(-1.0, Math.min(1.0, x * p / q));
    }
}
