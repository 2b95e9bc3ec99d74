package org.seqlab.inspect;

/** Small statistics over per-step, per-unit arrays ({@code [T][units]}), for finding the units that matter. */
final class UnitStats {
    private UnitStats() {
    }

    /** Indices of the {@code k} largest {@code score}s, largest first (ties by lower index). */
    static int[] byDescending(double[] score, int k) {
        Integer[] order = new Integer[score.length];
        for (int j = 0; j < order.length; j++) order[j] = j;
        java.util.Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        int[] out = new int[Math.min(k, order.length)];
        for (int j = 0; j < out.length; j++) out[j] = order[j];
        return out;
    }

    /** Each unit's mean over the steps. */
    static double[] unitMeans(double[][] v) {
        double[] mean = new double[v[0].length];
        for (double[] step : v) for (int j = 0; j < mean.length; j++) mean[j] += step[j] / v.length;
        return mean;
    }

    /** Units ordered by their mean over the steps, highest first: a heatmap of them reads as bands, not noise. */
    static int[] byMean(double[][] v) {
        return byDescending(unitMeans(v), v[0].length);
    }

    static double[] column(double[][] v, int j) {
        double[] out = new double[v.length];
        for (int t = 0; t < v.length; t++) out[t] = v[t][j];
        return out;
    }

    static double mean(double[] a) {
        double s = 0;
        for (double d : a) s += d;
        return s / a.length;
    }

    static double standardDeviation(double[] a) {
        double m = mean(a), s = 0;
        for (double d : a) s += (d - m) * (d - m);
        return Math.sqrt(s / a.length);
    }

    static double pearson(double[] a, double[] b) {
        double ma = mean(a), mb = mean(b), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }

    static double[] standardised(double[] a, double sign) {
        double m = mean(a), sd = standardDeviation(a);
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = sd == 0 ? 0 : sign * (a[i] - m) / sd;
        return out;
    }
}
