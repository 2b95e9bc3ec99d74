package org.seqlab.viz;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * A matrix as a heatmap PNG: title, labelled axes, thinned tick labels and a colour bar; NaN cells
 * are masked (hatched, with a legend), not a value. Drawn with
 * Java2D (not XChart's HeatMapChart) for control over label thinning and many small cells.
 *
 * <pre>Heatmap.of(values).rows(unitLabels).columns(tokens).title("lstm_1: forget gate")
 *        .axes("input token (time)", "unit").scale(ColorScale.sequential(0, 1)).png()</pre>
 */
public final class Heatmap {
    private final double[][] values;
    private List<String> rowLabels;
    private List<String> columnLabels;
    private String title = "";
    private String xTitle = "column";
    private String yTitle = "row";
    private String scaleLabel;
    private ColorScale scale;
    private int width;
    private int height;
    private boolean cellValues = true;
    private boolean turnedColumnLabels = false;

    private Heatmap(double[][] values) {
        this.values = values;
    }

    /** {@code values[row][column]}. */
    public static Heatmap of(double[][] values) {
        return new Heatmap(values);
    }

    public Heatmap rows(List<String> labels) {
        this.rowLabels = labels;
        return this;
    }

    public Heatmap columns(List<String> labels) {
        this.columnLabels = labels;
        return this;
    }

    public Heatmap title(String title) {
        this.title = title;
        return this;
    }

    public Heatmap axes(String xTitle, String yTitle) {
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        return this;
    }

    public Heatmap scale(ColorScale scale) {
        this.scale = scale;
        return this;
    }

    /** Text beside the colour bar, e.g. "activation". */
    public Heatmap scaleLabel(String label) {
        this.scaleLabel = label;
        return this;
    }

    /** Whether large cells show their values (default true). */
    public Heatmap cellValues(boolean show) {
        this.cellValues = show;
        return this;
    }

    /** Column labels written upright even when short, so each column keeps its own label (tokens of a sentence). */
    public Heatmap turnedColumnLabels(boolean turned) {
        this.turnedColumnLabels = turned;
        return this;
    }

    /** Picture size in pixels; by default it follows the matrix (about 16 px per cell, within bounds). */
    public Heatmap size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    /**
     * A notebook shows pictures up to about 880 px wide at their own size and shrinks wider ones
     * (with their labels), so the default width stays within that: 16 px per column, fewer when there
     * are many. Up to about 45-50 character columns still get a label each; beyond that the labels are
     * thinned (and the axis title says so): show fewer steps, or give a larger {@link #size}.
     */
    public static final int MAX_DEFAULT_WIDTH = 870;
    /** Row labels, axis title and colour bar: what the picture needs besides the cells (about). */
    private static final int FRAME_WIDTH = 170;

    public int width() {
        if (width > 0) return width;
        int columns = values[0].length;
        int preferred = Math.min(MAX_DEFAULT_WIDTH - FRAME_WIDTH, columns * 16) + FRAME_WIDTH;
        // wider cells when the labels need them (a wide character such as m), as far as the notebook allows
        int labelled = (int) Math.ceil(columns * (MatrixPanel.columnExtent(columnLabels, 12) + 0.5)) + FRAME_WIDTH;
        return Math.max(Math.min(MAX_DEFAULT_WIDTH, titleWidth() + 40), Math.max(360, Math.min(MAX_DEFAULT_WIDTH, Math.max(preferred, labelled))));
    }

    private int titleWidth() {
        if (title == null || title.isEmpty()) return 0;
        BufferedImage scratch = Drawing.canvas(1, 1);
        Graphics2D g = scratch.createGraphics();
        int w = g.getFontMetrics(Drawing.font(15, true)).stringWidth(title);
        g.dispose();
        return w;
    }

    public int height() {
        return height > 0 ? height : Math.max(220, Math.min(560, values.length * 16) + 110);
    }

    public BufferedImage image() {
        return draw(panel());
    }

    private BufferedImage draw(MatrixPanel panel) {
        int w = width(), h = height();
        BufferedImage img = Drawing.canvas(w, h);
        Graphics2D g = Drawing.graphics(img);
        ColorScale s = scale != null ? scale : ColorScale.fit(values);
        g.setFont(Drawing.font(15, true));
        g.setColor(Color.BLACK);
        Drawing.centered(g, title, w / 2.0, 10 + g.getFontMetrics().getAscent());
        int top = 10 + g.getFontMetrics().getHeight() + 6;
        int bar = MatrixPanel.colourBarWidth(12);
        Rectangle area = new Rectangle(10, top, w - 20 - bar, h - top - 10);
        Rectangle cells = panel.draw(g, area, s, 12);
        int barHeight = cells.height;
        if (MatrixPanel.hasMasked(values)) {
            barHeight -= MatrixPanel.maskedLegendHeight(1, 11);
            MatrixPanel.maskedLegend(g, cells.x + cells.width + 12, cells.y + barHeight + 8, "masked", 11);
        }
        MatrixPanel.colourBar(g, s, cells.x + cells.width + 12, cells.y, Math.max(40, barHeight), scaleLabel, 12);
        g.dispose();
        return img;
    }

    /** The row labels (null: row numbers). */
    public List<String> rowLabels() {
        return rowLabels;
    }

    /** The column labels (null: column numbers). */
    public List<String> columnLabels() {
        return columnLabels;
    }

    /** Every how many columns carry a label in the picture as drawn: 1 when every column (token) is labelled. */
    public int columnLabelStep() {
        return drawn().drawnColumnStep;
    }

    /** Every how many rows carry a label: 1 when every row (unit) is labelled. */
    public int rowLabelStep() {
        return drawn().drawnRowStep;
    }

    private MatrixPanel drawn() {
        MatrixPanel panel = panel();
        draw(panel);
        return panel;
    }

    private MatrixPanel panel() {
        MatrixPanel panel = new MatrixPanel(values, rowLabels, columnLabels, null, xTitle, yTitle);
        panel.cellValues = cellValues;
        panel.turnColumnLabels = turnedColumnLabels;
        return panel;
    }

    public byte[] png() {
        return Drawing.png(image());
    }

    public Path savePng(Path file) {
        return Png.save(png(), file);
    }

    @Override
    public String toString() {
        return "Heatmap(" + title + ": " + values.length + " x " + values[0].length + ")";
    }
}
