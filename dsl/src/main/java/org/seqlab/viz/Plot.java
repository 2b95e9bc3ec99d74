package org.seqlab.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A line chart drawn with Java2D, for the charts whose axes matter most (loss per step, gradient
 * norms over time, units over tokens): the ticks come from {@link Ticks}, so step axes tick at round
 * numbers that never run together and log axes label every decade in one style; a token axis
 * labels every token. Legend below the plot, where it never hides a line.
 */
final class Plot {
    /**
     * One line; {@code markers} draws a dot at each point, {@code stroke} 0 draws only the dots;
     * {@code legend} false keeps it out of the legend.
     */
    record Series(String name, double[] x, double[] y, Color color, float stroke, boolean markers, boolean legend) {
        Series {
            if (x.length != y.length) throw new IllegalArgumentException(name + ": x and y differ in length: " + x.length + " vs " + y.length);
        }
    }

    private static final Color GRID = new Color(228, 228, 228);
    private static final int FONT = 12;

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final List<Series> series = new ArrayList<>();
    private final List<Series> guides = new ArrayList<>();
    private int width = 720;
    private int height = 420;
    private boolean logY;
    private boolean integerX;
    private List<String> xLabels;

    Plot(String title, String xTitle, String yTitle) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
    }

    Plot size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    Plot logY(boolean log) {
        this.logY = log;
        return this;
    }

    /** Ticks at whole numbers only (steps). */
    Plot integerX(boolean integers) {
        this.integerX = integers;
        return this;
    }

    /** A label for each x = 0, 1, ..., n-1 (tokens), drawn under its point, every one of them. */
    Plot xLabels(List<String> labels) {
        this.xLabels = labels;
        return this;
    }

    Plot add(Series s) {
        series.add(s);
        return this;
    }

    /** A dashed horizontal line across the plot at {@code y} (a threshold), named in the legend. */
    Plot horizontal(String name, double y, Color color) {
        guides.add(new Series(name, new double[] {Double.NaN}, new double[] {y}, color, 1.5f, false, true));
        return this;
    }

    /** The lines, in drawing order (not the guides). */
    List<Series> series() {
        return List.copyOf(series);
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    // ---------------------------------------------------------------- layout

    private double[] xRange() {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.x()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return lo > hi ? new double[] {0, 1} : new double[] {lo, hi};
    }

    private double[] yRange() {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        List<Series> all = new ArrayList<>(series);
        all.addAll(guides);
        for (Series s : all) {
            for (double v : s.y()) {
                if (Double.isFinite(v) && (!logY || v > 0)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) return logY ? new double[] {0.1, 1} : new double[] {0, 1};
        // on a log axis a line exactly on a decade (a clipping threshold of 1) would lie on the frame
        return logY ? new double[] {lo / 1.2, hi * 1.2} : new double[] {lo, hi};
    }

    /** Where everything goes: computed once per picture, and what tests look at. */
    record Layout(Rectangle plot, Ticks.Axis x, Ticks.Axis y, int tokenLabelStep, boolean tokensTurned, int xLabelBand,
                  List<List<Series>> legendRows, int legendHeight) {
    }

    Layout layout() {
        BufferedImage scratch = Drawing.canvas(1, 1);
        Graphics2D g = scratch.createGraphics();
        try {
            return layout(g);
        } finally {
            g.dispose();
        }
    }

    private Layout layout(Graphics2D g) {
        Font labelFont = Drawing.font(FONT, false);
        FontMetrics fm = g.getFontMetrics(labelFont);
        FontMetrics am = g.getFontMetrics(Drawing.font(13, false));
        int top = 10 + (title == null || title.isEmpty() ? 0 : g.getFontMetrics(Drawing.font(15, true)).getHeight() + 6);
        List<List<Series>> legendRows = legendRows(fm, width - 40);
        int legendHeight = legendRows.isEmpty() ? 0 : legendRows.size() * (fm.getHeight() + 4) + 6;
        boolean turned = false;
        int widestToken = 0;
        int xLabelBand = fm.getHeight() + 4;
        if (xLabels != null) {
            for (String s : xLabels) widestToken = Math.max(widestToken, fm.stringWidth(Drawing.visible(s, labelFont, 12)));
            turned = widestToken > 2.2 * fm.getHeight();
            if (turned) xLabelBand = widestToken + 8;
        }
        int bottom = height - 8 - legendHeight - am.getHeight() - xLabelBand;
        int plotHeight = Math.max(20, bottom - top);
        double[] yr = yRange();
        Ticks.Axis yAxis = logY ? Ticks.log(yr[0], yr[1], plotHeight, fm.getHeight(), Ticks.hasSuperscripts(labelFont))
                : Ticks.linear(yr[0], yr[1], plotHeight, false, s -> fm.getHeight(), 8);
        int yLabelWidth = 0;
        for (String s : yAxis.labels()) yLabelWidth = Math.max(yLabelWidth, fm.stringWidth(s));
        int left = 10 + am.getHeight() + 6 + yLabelWidth + 8;
        Rectangle plot = new Rectangle(left, top, Math.max(20, width - 16 - left), plotHeight);
        Ticks.Axis xAxis;
        int step = 1;
        if (xLabels != null) {
            int n = xLabels.size();
            double[] at = new double[n];
            for (int i = 0; i < n; i++) at[i] = i;
            xAxis = new Ticks.Axis(-0.5, n - 0.5, at, xLabels);
            step = Drawing.thinningStep(plot.width / (double) Math.max(1, n), turned ? fm.getHeight() * 0.95 : widestToken + 3);
        } else {
            double[] xr = xRange();
            xAxis = Ticks.linear(xr[0], xr[1], plot.width, integerX, fm::stringWidth, 14);
        }
        return new Layout(plot, xAxis, yAxis, step, turned, xLabelBand, legendRows, legendHeight);
    }

    // ---------------------------------------------------------------- drawing

    BufferedImage image() {
        BufferedImage img = Drawing.canvas(width, height);
        Graphics2D g = Drawing.graphics(img);
        Font labelFont = Drawing.font(FONT, false);
        Font titleFont = Drawing.font(15, true);
        Font axisFont = Drawing.font(13, false);
        Layout layout = layout(g);
        Rectangle plot = layout.plot();
        Ticks.Axis xAxis = layout.x(), yAxis = layout.y();
        g.setFont(labelFont);
        FontMetrics fm = g.getFontMetrics();
        FontMetrics am = g.getFontMetrics(axisFont);

        // grid and ticks
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i < yAxis.values().length; i++) {
            double y = yPixel(yAxis, yAxis.values()[i], plot);
            g.setColor(GRID);
            g.drawLine(plot.x, (int) Math.round(y), plot.x + plot.width, (int) Math.round(y));
            g.setColor(Drawing.AXIS);
            String s = yAxis.labels().get(i);
            g.drawString(s, plot.x - 6 - fm.stringWidth(s), (float) (y + (fm.getAscent() - fm.getDescent()) / 2.0));
        }
        int step = xLabels != null ? layout.tokenLabelStep() : 1;
        for (int i = 0; i < xAxis.values().length; i += step) {
            double x = xPixel(xAxis, xAxis.values()[i], plot);
            g.setColor(GRID);
            g.drawLine((int) Math.round(x), plot.y, (int) Math.round(x), plot.y + plot.height);
            g.setColor(Drawing.AXIS);
            String s = xLabels != null ? Drawing.visible(xAxis.labels().get(i), labelFont, 12) : xAxis.labels().get(i);
            if (layout.tokensTurned()) Drawing.verticalEndingAt(g, s, x, plot.y + plot.height + 4);
            else Drawing.centered(g, s, x, plot.y + plot.height + fm.getAscent() + 4);
        }

        // lines, clipped to the plot
        Shape clip = g.getClip();
        g.clip(new Rectangle(plot.x - 4, plot.y - 4, plot.width + 8, plot.height + 8));
        for (Series s : guides) {
            g.setColor(s.color());
            g.setStroke(dashed(s.stroke()));
            double y = yPixel(yAxis, s.y()[0], plot);
            g.drawLine(plot.x, (int) Math.round(y), plot.x + plot.width, (int) Math.round(y));
        }
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(new BasicStroke(s.stroke(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Path2D path = new Path2D.Double();
            boolean open = false;
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.y()[i]) || !Double.isFinite(s.x()[i])) {
                    open = false;
                    continue;
                }
                double px = xPixel(xAxis, s.x()[i], plot), py = yPixel(yAxis, s.y()[i], plot);
                if (open) path.lineTo(px, py);
                else path.moveTo(px, py);
                open = true;
            }
            if (s.stroke() > 0) g.draw(path);
            if (s.markers()) {
                for (int i = 0; i < s.x().length; i++) {
                    if (!Double.isFinite(s.y()[i])) continue;
                    double px = xPixel(xAxis, s.x()[i], plot), py = yPixel(yAxis, s.y()[i], plot);
                    if (s.stroke() > 0) {
                        g.fill(new Ellipse2D.Double(px - 3, py - 3, 6, 6));
                    } else { // dots only: rings, so a line under them still shows
                        g.setStroke(new BasicStroke(1.6f));
                        g.draw(new Ellipse2D.Double(px - 5, py - 5, 10, 10));
                    }
                }
            }
        }
        g.setClip(clip);

        // frame, titles, legend
        g.setStroke(new BasicStroke(1f));
        g.setColor(Drawing.FRAME);
        g.drawRect(plot.x, plot.y, plot.width, plot.height);
        g.setColor(Color.BLACK);
        if (title != null && !title.isEmpty()) {
            g.setFont(titleFont);
            Drawing.centered(g, title, width / 2.0, 10 + g.getFontMetrics().getAscent());
        }
        g.setFont(axisFont);
        g.setColor(Drawing.AXIS);
        String xt = step > 1 ? xTitle + " (every " + step + " labelled)" : xTitle;
        Drawing.centered(g, xt, plot.x + plot.width / 2.0, plot.y + plot.height + layout.xLabelBand() + am.getAscent());
        Drawing.vertical(g, yTitle, 10, plot.y + plot.height / 2.0);
        g.setFont(labelFont);
        drawLegend(g, layout.legendRows(), height - layout.legendHeight());
        g.dispose();
        return img;
    }

    private static BasicStroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
    }

    private double yPixel(Ticks.Axis axis, double v, Rectangle plot) {
        double value = logY ? Math.max(v, axis.min()) : v;
        return plot.y + plot.height * (1 - axis.fraction(value, logY));
    }

    private static double xPixel(Ticks.Axis axis, double v, Rectangle plot) {
        return plot.x + plot.width * axis.fraction(v, false);
    }

    private List<Series> legendEntries() {
        List<Series> all = new ArrayList<>();
        for (Series s : series) if (s.legend()) all.add(s);
        for (Series s : guides) if (s.legend()) all.add(s);
        return all;
    }

    private static final int SWATCH = 22;

    private List<List<Series>> legendRows(FontMetrics fm, int available) {
        List<List<Series>> rows = new ArrayList<>();
        List<Series> entries = legendEntries();
        if (entries.size() < 2 && guides.isEmpty()) return rows; // one line needs no legend: the title names it
        List<Series> row = new ArrayList<>();
        int used = 0;
        for (Series s : entries) {
            int w = SWATCH + 6 + fm.stringWidth(s.name()) + 18;
            if (used + w > available && !row.isEmpty()) {
                rows.add(row);
                row = new ArrayList<>();
                used = 0;
            }
            row.add(s);
            used += w;
        }
        if (!row.isEmpty()) rows.add(row);
        return rows;
    }

    private void drawLegend(Graphics2D g, List<List<Series>> rows, int y0) {
        FontMetrics fm = g.getFontMetrics();
        int y = y0;
        for (List<Series> row : rows) {
            int total = 0;
            for (Series s : row) total += SWATCH + 6 + fm.stringWidth(s.name()) + 18;
            int x = (width - total) / 2;
            for (Series s : row) {
                int mid = y + fm.getAscent() / 2 + 1;
                g.setColor(s.color());
                boolean guide = guides.contains(s);
                g.setStroke(guide ? dashed(2f) : new BasicStroke(Math.max(2f, s.stroke())));
                if (guide || s.stroke() > 0) g.drawLine(x, mid, x + SWATCH, mid);
                if (s.markers() && s.stroke() > 0) g.fill(new Ellipse2D.Double(x + SWATCH / 2.0 - 3, mid - 3, 6, 6));
                if (s.markers() && s.stroke() == 0) g.draw(new Ellipse2D.Double(x + SWATCH / 2.0 - 5, mid - 5, 10, 10));
                g.setColor(Drawing.AXIS);
                g.drawString(s.name(), x + SWATCH + 6, y + fm.getAscent());
                x += SWATCH + 6 + fm.stringWidth(s.name()) + 18;
            }
            y += fm.getHeight() + 4;
        }
        g.setStroke(new BasicStroke(1f));
    }

    byte[] png() {
        return Drawing.png(image());
    }
}
