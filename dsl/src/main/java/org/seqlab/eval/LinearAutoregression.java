package org.seqlab.eval;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The linear baseline for a forecast: the next value as a weighted sum of the last {@code order} values
 * plus a constant, {@code x_t = c + w_1 x_(t-1) + ... + w_p x_(t-p)}, the weights fitted by least squares
 * on every window of the training series (an AR(p) model fitted by ordinary least squares). A tiny ridge
 * term keeps the solve stable when lags are nearly collinear.
 */
public final class LinearAutoregression {
    private static final double RIDGE = 1e-8;
    private final double intercept;
    private final double[] weights; // weights[k] multiplies x_(t-1-k)

    private LinearAutoregression(double intercept, double[] weights) {
        this.intercept = intercept;
        this.weights = weights;
    }

    /** Least squares on the {@code series.length - order} windows of {@code series}. */
    public static LinearAutoregression fit(double[] series, int order) {
        Objects.requireNonNull(series, "series");
        if (order < 1) throw new IllegalArgumentException("order is " + order + "; use at least one lag");
        int rows = series.length - order;
        if (rows < order + 1) {
            throw new IllegalArgumentException("a series of " + series.length + " values gives " + Math.max(rows, 0)
                    + " windows of " + order + " lags, fewer than the " + (order + 1) + " coefficients to fit; use a"
                    + " smaller order or a longer series");
        }
        for (int t = 0; t < series.length; t++) {
            if (!Double.isFinite(series[t])) {
                throw new IllegalArgumentException("value " + t + " of the series is " + series[t] + "; fill or drop it first");
            }
        }
        int k = order + 1; // intercept first, then the lags
        double[][] normal = new double[k][k];
        double[] right = new double[k];
        double[] x = new double[k];
        for (int t = order; t < series.length; t++) {
            x[0] = 1;
            for (int lag = 1; lag <= order; lag++) x[lag] = series[t - lag];
            for (int i = 0; i < k; i++) {
                right[i] += x[i] * series[t];
                for (int j = 0; j < k; j++) normal[i][j] += x[i] * x[j];
            }
        }
        double scale = 0;
        for (int i = 0; i < k; i++) scale = Math.max(scale, normal[i][i]);
        for (int i = 1; i < k; i++) normal[i][i] += RIDGE * scale;
        double[] solution = solve(normal, right);
        return new LinearAutoregression(solution[0], Arrays.copyOfRange(solution, 1, k));
    }

    /** Gaussian elimination with partial pivoting (the system is small and positive definite). */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) m[i] = Arrays.copyOf(a[i], n);
        double[] v = b.clone();
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
            double[] tmp = m[col];
            m[col] = m[pivot];
            m[pivot] = tmp;
            double t = v[col];
            v[col] = v[pivot];
            v[pivot] = t;
            if (Math.abs(m[col][col]) < 1e-300) throw new IllegalStateException("the lags are linearly dependent");
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                for (int c = col; c < n; c++) m[r][c] -= f * m[col][c];
                v[r] -= f * v[col];
            }
        }
        double[] out = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = v[r];
            for (int c = r + 1; c < n; c++) s -= m[r][c] * out[c];
            out[r] = s / m[r][r];
        }
        return out;
    }

    public int order() {
        return weights.length;
    }

    public double intercept() {
        return intercept;
    }

    /** {@code weights()[k]} multiplies the value {@code k + 1} steps back. */
    public double[] weights() {
        return weights.clone();
    }

    /** The next value after {@code history} (at least {@link #order()} values; the last ones are used). */
    public double predictNext(double[] history) {
        if (history.length < weights.length) {
            throw new IllegalArgumentException("need the last " + weights.length + " values, got " + history.length);
        }
        double y = intercept;
        for (int k = 0; k < weights.length; k++) y += weights[k] * history[history.length - 1 - k];
        return y;
    }

    /**
     * One-step-ahead forecasts of {@code series[from..]}: each from the true values before it (as a forecaster
     * who learns each year's value before predicting the next). {@code from} must be at least the order.
     */
    public double[] oneStepAhead(double[] series, int from) {
        if (from < weights.length || from > series.length) {
            throw new IllegalArgumentException("from is " + from + "; it must lie in [" + weights.length + ", "
                    + series.length + "] so that " + weights.length + " earlier values exist");
        }
        double[] out = new double[series.length - from];
        for (int t = from; t < series.length; t++) {
            double y = intercept;
            for (int k = 0; k < weights.length; k++) y += weights[k] * series[t - 1 - k];
            out[t - from] = y;
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "LinearAutoregression(order %d): x_t = %.3f",
                weights.length, intercept));
        for (int k = 0; k < Math.min(weights.length, 4); k++) {
            s.append(String.format(Locale.ROOT, " %+.3f x_(t-%d)", weights[k], k + 1));
        }
        if (weights.length > 4) s.append(" ...");
        return s.toString();
    }
}
