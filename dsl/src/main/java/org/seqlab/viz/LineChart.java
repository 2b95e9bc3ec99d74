package org.seqlab.viz;

import java.awt.BasicStroke;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Named series of (x, y) lines on one chart, optionally with a logarithmic y axis; used for
 * gradient flow (norm of dL/dh_t per step, one line per layer or per model).
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
    private boolean plainX;
    private Boolean markers; // null: a marker on every point of lines with at most 60 points
    private int width = 720;
    private int height = 420;

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

    /** x tick labels as plain integers, without grouping separators: years read 1950, not 1,950. */
    public LineChart plainX() {
        this.plainX = true;
        return this;
    }

    /** Draw a marker on every point (true), never (false); by default only on lines of at most 60 points. */
    public LineChart markers(boolean markers) {
        this.markers = markers;
        return this;
    }

    public LineChart size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    public XYChart chart() {
        XYChart chart = Charts.xy(width, height, title, xTitle, yTitle);
        chart.getStyler().setYAxisLogarithmic(logY);
        if (plainX) chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        double floor = logY ? floor() : 0;
        if (lines.isEmpty()) {
            chart.addSeries("(nothing to show)", new double[] {0}, new double[] {1}).setMarker(SeriesMarkers.NONE);
            return chart;
        }
        for (Map.Entry<String, Line> e : lines.entrySet()) {
            double[] y = e.getValue().y().clone();
            if (logY) for (int i = 0; i < y.length; i++) y[i] = Math.max(y[i], floor);
            XYSeries s = chart.addSeries(e.getKey(), e.getValue().x(), y);
            boolean marked = markers != null ? markers : y.length <= 60;
            s.setMarker(marked ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            s.setLineStyle(new BasicStroke(2f));
        }
        return chart;
    }

    /** Far below the smallest positive value, so zeros show as a drop rather than breaking the axis. */
    private double floor() {
        double min = Double.POSITIVE_INFINITY;
        for (Line l : lines.values()) for (double v : l.y()) if (v > 0) min = Math.min(min, v);
        return Double.isInfinite(min) ? 1e-30 : min * 1e-3;
    }

    public byte[] png() {
        return Png.of(chart());
    }

    public Path savePng(Path file) {
        return Png.save(png(), file);
    }

    @Override
    public String toString() {
        return "LineChart(" + title + ": " + lines.keySet() + ")";
    }
}
