package org.seqlab.viz;

import java.awt.Color;

/**
 * Maps numbers to colours for heatmaps, colour bars and coloured text.
 *
 * <p>Two kinds: sequential (viridis, perceptually even and readable in grey and by colour-blind
 * readers) for values with a natural zero such as gates and attention weights in [0, 1], and
 * diverging (blue - white - red) for signed values such as h_t and c_t, where white is zero.
 */
public final class ColorScale {
    /** Viridis sampled at 9 evenly spaced points; linear interpolation in between is close enough. */
    private static final int[][] VIRIDIS = {
        {68, 1, 84}, {71, 44, 122}, {59, 81, 139}, {44, 113, 142}, {33, 144, 141},
        {39, 173, 129}, {92, 200, 99}, {170, 220, 50}, {253, 231, 37}};
    private static final int[][] DIVERGING = {
        {5, 48, 97}, {33, 102, 172}, {67, 147, 195}, {146, 197, 222}, {247, 247, 247},
        {244, 165, 130}, {214, 96, 77}, {178, 24, 43}, {103, 0, 31}};

    private final int[][] anchors;
    private final double min;
    private final double max;
    private final boolean diverging;

    private ColorScale(int[][] anchors, double min, double max, boolean diverging) {
        if (!(max > min)) throw new IllegalArgumentException("colour scale needs min < max, got " + min + " .. " + max);
        this.anchors = anchors;
        this.min = min;
        this.max = max;
        this.diverging = diverging;
    }

    public static ColorScale sequential(double min, double max) {
        return new ColorScale(VIRIDIS, min, max, false);
    }

    /** Symmetric around zero: -limit is dark blue, 0 white, +limit dark red. */
    public static ColorScale diverging(double limit) {
        double l = limit > 0 ? limit : 1;
        return new ColorScale(DIVERGING, -l, l, true);
    }

    /** Sequential when every value is >= 0, else diverging symmetric around 0; fitted to the data. */
    public static ColorScale fit(double[][] values) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) return sequential(0, 1);
        if (lo >= 0) return sequential(0, hi > 1 || hi == 0 ? Math.max(hi, 1e-12) : 1);
        return diverging(niceLimit(Math.max(-lo, hi)));
    }

    /** Rounds a limit up so colour bar ticks are readable (1 stays 1, 0.83 becomes 1, 3.2 becomes 4). */
    static double niceLimit(double v) {
        if (!(v > 0)) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v * 0.999) return m * p;
        }
        return 10 * p;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public boolean isDiverging() {
        return diverging;
    }

    /** The colour of {@code v}, clamped to the scale's range; NaN is grey. */
    public Color color(double v) {
        return new Color(rgb(v));
    }

    public int rgb(double v) {
        if (Double.isNaN(v)) return 0xBBBBBB;
        double u = (v - min) / (max - min);
        u = Math.max(0, Math.min(1, u)) * (anchors.length - 1);
        int k = Math.min((int) u, anchors.length - 2);
        double f = u - k;
        int r = (int) Math.round(anchors[k][0] + f * (anchors[k + 1][0] - anchors[k][0]));
        int g = (int) Math.round(anchors[k][1] + f * (anchors[k + 1][1] - anchors[k][1]));
        int b = (int) Math.round(anchors[k][2] + f * (anchors[k + 1][2] - anchors[k][2]));
        return (r << 16) | (g << 8) | b;
    }

    /** Black or white, whichever reads better on {@code background}. */
    static Color textOn(Color background) {
        double lum = 0.299 * background.getRed() + 0.587 * background.getGreen() + 0.114 * background.getBlue();
        return lum > 140 ? Color.BLACK : Color.WHITE;
    }
}
