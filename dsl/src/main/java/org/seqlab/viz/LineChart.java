package org.seqlab.viz;

import java.awt.Color;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named series of (x, y) lines on one chart, optionally with a logarithmic y axis and a token per
 * x position; used for gradient flow (norm of dL/dh_t per step, one line per layer or per model),
 * gradient norms per training step, and units traced over a sequence.
 */
public final class LineChart {
    /** One line: x and y of equal length. */
    public record Line(double[] x, double[] y) {
        public Line {
            if (x.length != y.length) throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
        }
    }

    private final Map<String, Line> lines;
    private String title = "";
    private String xTitle = "x";
    private String yTitle = "y";
    private boolean logY;
    private Boolean markers; // null: a marker on every point of lines with at most 60 points
    private int width = 720;
    private int height = 420;
    private List<String> xLabels;
    private boolean integerX;
    private String guideName;
    private double guideY;
    private final Map<String, Color> colors = new HashMap<>();
    private final java.util.Set<String> dotted = new java.util.HashSet<>();

    private LineChart(Map<String, Line> lines) {
        this.lines = new LinkedHashMap<>(lines);
    }

    public static LineChart of(Map<String, Line> lines) {
        return new LineChart(lines);
    }

    public LineChart title(String title) {
        this.title = title;
        return this;
    }

    public LineChart axes(String xTitle, String yTitle) {
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        return this;
    }

    /** Logarithmic y; values <= 0 (a gradient that is exactly zero) are drawn at a small floor. */
    public LineChart logY(boolean log) {
        this.logY = log;
        return this;
    }

    public LineChart size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    /** Labels the x positions 0, 1, ..., n-1 with these (the tokens of a sequence): one label per token. */
    public LineChart xLabels(List<String> labels) {
        this.xLabels = List.copyOf(labels);
        return this;
    }

    /** Ticks at whole numbers only (steps, distances). */
    public LineChart integerX(boolean integers) {
        this.integerX = integers;
        return this;
    }

    /** A dashed horizontal line at {@code y} (a threshold such as the clipping norm), named in the legend. */
    public LineChart horizontal(String name, double y) {
        this.guideName = name;
        this.guideY = y;
        return this;
    }

    /**
     * x tick labels as plain whole numbers: years read 1950, not 1,950 (this chart never writes
     * grouping separators) and ticks fall on whole years only.
     */
    public LineChart plainX() {
        this.integerX = true;
        return this;
    }

    /** Draw a marker on every point (true), never (false); by default only on lines of at most 60 points. */
    public LineChart markers(boolean markers) {
        this.markers = markers;
        return this;
    }

    Plot plot() {
        Plot plot = new Plot(title, xTitle, yTitle).size(width, height).logY(logY).integerX(integerX);
        if (xLabels != null) plot.xLabels(xLabels);
        double floor = logY ? floor() : 0;
        int k = 0;
        for (Map.Entry<String, Line> e : lines.entrySet()) {
            double[] y = e.getValue().y().clone();
            if (logY) for (int i = 0; i < y.length; i++) y[i] = Math.max(y[i], floor);
            Color c = colors.getOrDefault(e.getKey(), Charts.PALETTE[k % Charts.PALETTE.length]);
            k++;
            boolean dots = dotted.contains(e.getKey());
            plot.add(new Plot.Series(e.getKey(), e.getValue().x(), y, c, dots ? 0f : 2f, dots || (markers != null ? markers : y.length <= 60), true));
        }
        if (lines.isEmpty()) plot.add(new Plot.Series("(nothing to show)", new double[] {0}, new double[] {Double.NaN}, Color.GRAY, 1f, false, false));
        if (guideName != null) plot.horizontal(guideName, guideY, Color.DARK_GRAY);
        return plot;
    }

    /** Draws the line named {@code name} as dots only, so that a line it lies on stays visible underneath. */
    public LineChart dots(String name) {
        dotted.add(name);
        return this;
    }

    /** The line named {@code name} in this colour (else the palette's next). */
    public LineChart color(String name, Color color) {
        colors.put(name, color);
        return this;
    }

    /** Far below the smallest positive value, so zeros show as a drop rather than breaking the axis. */
    private double floor() {
        double min = Double.POSITIVE_INFINITY;
        for (Line l : lines.values()) for (double v : l.y()) if (v > 0) min = Math.min(min, v);
        return Double.isInfinite(min) ? 1e-30 : min * 1e-3;
    }

    public byte[] png() {
        return plot().png();
    }

    public Path savePng(Path file) {
        return Png.save(png(), file);
    }

    @Override
    public String toString() {
        return "LineChart(" + title + ": " + String.join(", ", lines.keySet()) + ")";
    }
}
