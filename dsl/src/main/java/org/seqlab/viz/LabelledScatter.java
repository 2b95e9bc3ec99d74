package org.seqlab.viz;

import java.awt.Color;
import java.awt.Font;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Points in the plane with a text label beside each (e.g. tokens at their embedding's PCA coordinates). */
public final class LabelledScatter {
    private final double[] x;
    private final double[] y;
    private final List<String> labels;
    private String title = "";
    private String xTitle = "x";
    private String yTitle = "y";
    private int width = 720;
    private int height = 620;
    private int maxLabels = 300;
    private boolean connected;
    private List<String> groups;

    private LabelledScatter(double[] x, double[] y, List<String> labels) {
        if (x.length != y.length || x.length != labels.size()) {
            throw new IllegalArgumentException("x, y and labels differ in length: " + x.length + ", " + y.length + ", " + labels.size());
        }
        this.x = x;
        this.y = y;
        this.labels = labels;
    }

    public static LabelledScatter of(double[] x, double[] y, List<String> labels) {
        return new LabelledScatter(x, y, labels);
    }

    public LabelledScatter title(String title) {
        this.title = title;
        return this;
    }

    public LabelledScatter axes(String xTitle, String yTitle) {
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        return this;
    }

    public LabelledScatter size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    /** Joins the points in order with a faint line (a path through time rather than a cloud). */
    public LabelledScatter connected(boolean connect) {
        this.connected = connect;
        return this;
    }

    /**
     * A group per point (a word class, say): points and labels coloured by group, with a legend, so
     * the reader can see whether groups sit together instead of being told so. Null: one colour.
     */
    public LabelledScatter groups(List<String> groups) {
        if (groups != null && groups.size() != labels.size()) {
            throw new IllegalArgumentException(labels.size() + " points but " + groups.size() + " groups; give one group per point");
        }
        this.groups = groups == null ? null : List.copyOf(groups);
        return this;
    }

    /** Only the first {@code n} points get a label (a large vocabulary would be a blot of text). */
    public LabelledScatter maxLabels(int n) {
        this.maxLabels = n;
        return this;
    }

    public XYChart chart() {
        XYChart chart = Charts.xy(width, height, title, xTitle, yTitle);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setAnnotationTextFont(new Font(Font.MONOSPACED, Font.BOLD, 13));
        chart.getStyler().setAnnotationTextFontColor(new Color(30, 30, 30));
        if (connected) {
            XYSeries path = chart.addSeries("path", x, y);
            path.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            path.setMarker(SeriesMarkers.NONE);
            path.setLineColor(new Color(150, 150, 150, 110));
            path.setLineStyle(new java.awt.BasicStroke(1f));
        }
        // pad the axes so labels at the edge stay inside the plot
        double[] xr = range(x), yr = range(y);
        double px = (xr[1] - xr[0]) * 0.08 + 1e-9, py = (yr[1] - yr[0]) * 0.08 + 1e-9;
        chart.getStyler().setXAxisMin(xr[0] - px).setXAxisMax(xr[1] + px).setYAxisMin(yr[0] - py).setYAxisMax(yr[1] + py);
        Font probe = new Font(Font.MONOSPACED, Font.BOLD, 13);
        if (groups == null) {
            XYSeries s = chart.addSeries("points", x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(new Color(31, 119, 180, 120));
            for (int i = 0; i < Math.min(maxLabels, labels.size()); i++) {
                // label just above its dot, in data coordinates
                chart.addAnnotation(new AnnotationText(Drawing.visible(labels.get(i), probe, 10), x[i], y[i] + py * 0.35, false));
            }
        } else {
            // one series per group: its colour and its legend entry (with the count)
            java.util.Map<String, List<Integer>> members = new java.util.LinkedHashMap<>();
            for (int i = 0; i < groups.size(); i++) members.computeIfAbsent(groups.get(i), g -> new java.util.ArrayList<>()).add(i);
            chart.getStyler().setLegendVisible(true);
            int k = 0;
            for (var e : members.entrySet()) {
                Color c = Charts.PALETTE[k++ % Charts.PALETTE.length];
                double[] gx = e.getValue().stream().mapToDouble(i -> x[i]).toArray();
                double[] gy = e.getValue().stream().mapToDouble(i -> y[i]).toArray();
                XYSeries s = chart.addSeries(e.getKey() + " (" + gx.length + ")", gx, gy);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(c);
            }
            // XChart draws every annotation in one colour: keep labels dark, the dots carry the group colour
            for (int i = 0; i < Math.min(maxLabels, labels.size()); i++) {
                chart.addAnnotation(new AnnotationText(Drawing.visible(labels.get(i), probe, 14), x[i], y[i] + py * 0.35, false));
            }
        }
        // below the plot, where the legend hides no point
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        return chart;
    }

    private static double[] range(double[] v) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            lo = Math.min(lo, d);
            hi = Math.max(hi, d);
        }
        return v.length == 0 ? new double[] {0, 1} : new double[] {lo, hi};
    }

    public byte[] png() {
        return Png.of(chart());
    }

    public Path savePng(Path file) {
        return Png.save(png(), file);
    }

    @Override
    public String toString() {
        return "LabelledScatter(" + title + ": " + x.length + " points)";
    }
}
