package org.seqlab.viz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Where an axis puts its ticks and what it writes there. Linear axes tick at multiples of 1, 2 or
 * 5 x 10^k, the smallest such step whose labels fit side by side without touching (so step axes
 * read 0, 50, 100, ... and never 1, 12, 23); labels of one axis share their number of decimals.
 * Log axes tick at powers of ten and write all of them in one style: plain decimals when every
 * label is between 0.001 and 1000, else all as 10 to a power (never {@code 0.001} beside {@code 1E-4}).
 */
final class Ticks {
    /** Ticks and the axis range they span (the data range widened to the outer ticks). */
    record Axis(double min, double max, double[] values, List<String> labels) {
        /** Where {@code v} falls between min (0) and max (1). */
        double fraction(double v, boolean log) {
            if (log) return (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
            return (v - min) / (max - min);
        }
    }

    private static final double[] MANTISSAS = {1, 2, 5};
    private static final String SUPERSCRIPT_DIGITS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079";
    private static final char SUPERSCRIPT_MINUS = '\u207b';

    private Ticks() {
    }

    /**
     * Linear ticks for data in {@code [lo, hi]} on an axis {@code pixels} long: the smallest nice step
     * whose labels, measured by {@code width}, leave at least {@code gap} pixels between neighbours.
     * {@code integers} keeps the step at 1 or more (training steps, time steps).
     */
    static Axis linear(double lo, double hi, double pixels, boolean integers, ToDoubleFunction<String> width, double gap) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            lo = 0;
            hi = 1;
        }
        if (hi < lo) {
            double t = lo;
            lo = hi;
            hi = t;
        }
        if (hi == lo) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double span = hi - lo;
        // start a little below the finest useful step and walk up the 1-2-5 ladder
        int exponent = (int) Math.floor(Math.log10(span / Math.max(2, pixels / 4)));
        for (int guard = 0; guard < 60; guard++, exponent++) {
            for (double m : MANTISSAS) {
                double step = m * Math.pow(10, exponent);
                if (integers && step < 1) continue;
                double first = Math.floor(lo / step + 1e-9) * step;
                double last = Math.ceil(hi / step - 1e-9) * step;
                int n = (int) Math.round((last - first) / step) + 1;
                if (n > 2 * pixels) continue; // absurdly many: a coarser step surely fits
                double[] values = new double[n];
                for (int i = 0; i < n; i++) values[i] = clean(first + i * step, step);
                List<String> labels = linearLabels(values, step);
                double spacing = pixels * step / (last - first);
                double widest = 0;
                for (String s : labels) widest = Math.max(widest, width.applyAsDouble(s));
                if (n <= 2 || widest + gap <= spacing) return new Axis(first, last, values, labels);
            }
        }
        throw new IllegalStateException("no tick step fits " + lo + " .. " + hi + " in " + pixels + " px");
    }

    /** Rounds away float noise (0.30000000000000004 -> 0.3) at a precision far below the step. */
    private static double clean(double v, double step) {
        double q = Math.pow(10, Math.floor(Math.log10(step)) - 6);
        double r = Math.round(v / q) * q;
        return r == 0 ? 0 : r; // no -0
    }

    /** One number of decimals for the whole axis: as many as the step needs (0.25 needs 2, 50 none). */
    static List<String> linearLabels(double[] values, double step) {
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        // steps such as 0.25 or 2.5 need one decimal more than their power of ten
        double scaled = step * Math.pow(10, decimals);
        if (Math.abs(scaled - Math.round(scaled)) > 1e-6) decimals++;
        List<String> out = new ArrayList<>(values.length);
        for (double v : values) out.add(String.format(Locale.ROOT, "%." + decimals + "f", v));
        return out;
    }

    /**
     * Powers of ten covering {@code [lo, hi]} (positive) on a log axis {@code pixels} long: every decade,
     * or every 2nd, 3rd, ... when labels {@code height} pixels tall would crowd (log axes are vertical here).
     */
    static Axis log(double lo, double hi, double pixels, double labelHeight, boolean superscripts) {
        if (!(lo > 0) || !Double.isFinite(lo)) lo = hi > 0 && Double.isFinite(hi) ? hi / 10 : 1e-3;
        if (!(hi > 0) || !Double.isFinite(hi)) hi = lo * 10;
        int a = (int) Math.floor(Math.log10(lo) + 1e-9);
        int b = (int) Math.ceil(Math.log10(hi) - 1e-9);
        if (b == a) b = a + 1;
        int decades = b - a;
        int every = 1;
        while (decades / every * labelHeight * 1.6 > pixels && every < decades) every++;
        // the ticks are the multiples of `every`, so 10^0 = 1 stays a tick when it is in range
        int first = Math.floorDiv(a, every) * every;
        int last = -Math.floorDiv(-b, every) * every;
        List<Integer> powers = new ArrayList<>();
        for (int p = first; p <= last; p += every) powers.add(p);
        double[] values = new double[powers.size()];
        for (int i = 0; i < values.length; i++) values[i] = Math.pow(10, powers.get(i));
        return new Axis(values[0], values[values.length - 1], values, logLabels(powers, superscripts));
    }

    /**
     * All decimals ("0.001" .. "1000") or all powers, never a mix: "10⁻⁴" with {@code superscripts},
     * else "1e-4" (for a font that lacks superscript digits).
     */
    static List<String> logLabels(List<Integer> powers, boolean superscripts) {
        boolean plain = powers.stream().allMatch(p -> p >= -3 && p <= 3);
        List<String> out = new ArrayList<>(powers.size());
        for (int p : powers) {
            if (plain) {
                out.add(p >= 0 ? String.format(Locale.ROOT, "%d", (long) Math.pow(10, p))
                        : String.format(Locale.ROOT, "%." + (-p) + "f", Math.pow(10, p)));
            } else {
                out.add(superscripts ? "10" + superscript(p) : "1e" + p);
            }
        }
        return out;
    }

    /** Whether {@code font} can write the superscript powers. */
    static boolean hasSuperscripts(java.awt.Font font) {
        return font.canDisplayUpTo("10" + SUPERSCRIPT_MINUS + SUPERSCRIPT_DIGITS) < 0;
    }

    static String superscript(int power) {
        StringBuilder b = new StringBuilder();
        if (power < 0) b.append(SUPERSCRIPT_MINUS);
        for (char c : Integer.toString(Math.abs(power)).toCharArray()) b.append(SUPERSCRIPT_DIGITS.charAt(c - '0'));
        return b.toString();
    }
}
