package org.seqlab.train;

/** Number formats for progress lines and metric tables. */
public final class ProgressFormat {
    private ProgressFormat() {}

    /** 0:42, 12:05, 1:02:03. */
    public static String duration(long millis) {
        long s = Math.max(0, Math.round(millis / 1000.0));
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }

    /** Three significant digits, no exponent for ordinary gradient norms. */
    public static String norm(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return String.format("%.2e", v);
        return String.format(Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }
}
