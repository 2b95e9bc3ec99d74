package org.seqlab.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * Many heatmaps of the same kind in a grid (e.g. attention: one row per layer, one column per
 * head), sharing one colour scale and one colour bar so the panels compare directly.
 *
 * <p>Every panel's cells are the same square; the labels are drawn once per side (row labels left of
 * the first column, column labels under the last row), headers name the grid's rows and columns,
 * and the panels shrink to fit {@link #maxWidth} (900 px by default, the width of a notebook
 * output), so 4 layers x 8 heads stay readable without the browser scaling the picture down.
 * NaN cells are masked (hatched, with a legend under the colour bar).
 */
public final class HeatmapGrid {
    /** About the width of a Jupyter output area. */
    public static final int NOTEBOOK_WIDTH = 900;
    private static final int GAP = 8;
    private static final int LABEL_FONT = 10;
    private static final int HEADER_FONT = 11;
    private final List<List<double[][]>> panels;
    private List<List<String>> titles;
    private List<String> rowHeaders;
    private List<String> columnHeaders;
    private List<String> rowLabels;
    private List<String> columnLabels;
    private String title = "";
    private String xTitle;
    private String yTitle;
    private String scaleLabel;
    private String maskedMeaning = "masked";
    private ColorScale scale;
    private int panelSize;
    private int maxWidth = NOTEBOOK_WIDTH;

    private HeatmapGrid(List<List<double[][]>> panels) {
        if (panels.isEmpty() || panels.get(0).isEmpty()) throw new IllegalArgumentException("a grid needs at least one panel");
        int rows = panels.get(0).get(0).length, columns = panels.get(0).get(0)[0].length;
        for (List<double[][]> row : panels) {
            for (double[][] p : row) {
                new MatrixPanel(p, null, null, null, null, null); // checks it is a rectangle
                if (p.length != rows || p[0].length != columns) {
                    throw new IllegalArgumentException("every panel of a grid must be " + rows + " x " + columns
                            + ", got " + p.length + " x " + p[0].length);
                }
            }
        }
        this.panels = panels;
    }

    /** {@code panels.get(gridRow).get(gridColumn)} is one matrix {@code [row][column]}; all the same size. */
    public static HeatmapGrid of(List<List<double[][]>> panels) {
        return new HeatmapGrid(panels);
    }

    /** A title over every panel (when the panels are not named by row and column headers). */
    public HeatmapGrid titles(List<List<String>> panelTitles) {
        this.titles = panelTitles;
        return this;
    }

    /** Names of the grid's rows (left of each row) and columns (over the top row), e.g. layers and heads. */
    public HeatmapGrid headers(List<String> rows, List<String> columns) {
        if (rows != null && rows.size() != panels.size()) {
            throw new IllegalArgumentException(panels.size() + " grid rows but " + rows.size() + " row headers");
        }
        if (columns != null && columns.size() != gridColumns()) {
            throw new IllegalArgumentException(gridColumns() + " grid columns but " + columns.size() + " column headers");
        }
        this.rowHeaders = rows;
        this.columnHeaders = columns;
        return this;
    }

    /** Labels of every panel's rows and columns (the same in every panel). */
    public HeatmapGrid labels(List<String> rows, List<String> columns) {
        double[][] p = panels.get(0).get(0);
        new MatrixPanel(p, rows, columns, null, null, null); // checks the counts
        this.rowLabels = rows;
        this.columnLabels = columns;
        return this;
    }

    public HeatmapGrid title(String title) {
        this.title = title;
        return this;
    }

    public HeatmapGrid axes(String xTitle, String yTitle) {
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        return this;
    }

    public HeatmapGrid scale(ColorScale scale) {
        this.scale = scale;
        return this;
    }

    public HeatmapGrid scaleLabel(String label) {
        this.scaleLabel = label;
        return this;
    }

    /** What the hatched (NaN) cells mean, shown beside the swatch; lines split at {@code \n}. */
    public HeatmapGrid maskedMeaning(String meaning) {
        this.maskedMeaning = meaning;
        return this;
    }

    /** Side of each panel's cell square in pixels; by default it follows the matrix size and {@link #maxWidth}. */
    public HeatmapGrid panelSize(int pixels) {
        this.panelSize = pixels;
        return this;
    }

    /** The widest the picture may be; panels shrink to fit (not below 48 px). */
    public HeatmapGrid maxWidth(int pixels) {
        this.maxWidth = pixels;
        return this;
    }

    private int gridColumns() {
        return panels.stream().mapToInt(List::size).max().orElse(1);
    }

    private double[][] first() {
        return panels.get(0).get(0);
    }

    // ---------------------------------------------------------------- layout

    /** The bands around the cells, measured once with the fonts they use. */
    private record Layout(int left, int top, int side, int rowPitch, int titleBand, int panelTitleBand,
                          int columnLabelBand, boolean turned, int bottom) {
    }

    private Layout layout() {
        Graphics2D g = Drawing.graphics(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
        Font label = Drawing.font(LABEL_FONT, false);
        g.setFont(label);
        FontMetrics fm = g.getFontMetrics();
        int fh = fm.getHeight();
        double[][] p = first();
        int rowLabelWidth = 0;
        for (int r = 0; r < p.length; r++) rowLabelWidth = Math.max(rowLabelWidth, fm.stringWidth(rowLabel(r, label)));
        int colLabelWidth = 0;
        for (int c = 0; c < p[0].length; c++) colLabelWidth = Math.max(colLabelWidth, fm.stringWidth(columnLabel(c, label)));
        boolean turned = colLabelWidth > 2.2 * fh;
        int columnLabelBand = turned ? colLabelWidth + 6 : fh + 2;
        g.setFont(Drawing.font(HEADER_FONT, true));
        int headerHeight = g.getFontMetrics().getHeight();
        g.dispose();

        int titleBand = title.isEmpty() ? 8 : 10 + Drawing.font(15, true).getSize() + 12;
        int left = 10 + (yTitle != null ? fh + 4 : 0) + (rowHeaders != null ? headerHeight + 6 : 0) + rowLabelWidth + 5;
        int panelTitleBand = titles != null || columnHeaders != null ? headerHeight + 4 : 0;
        int natural = Math.max(120, Math.min(300, p[0].length * 12));
        int fit = (maxWidth - left - 12 - MatrixPanel.colourBarWidth(11) - (gridColumns() - 1) * GAP) / gridColumns();
        int side = panelSize > 0 ? panelSize : Math.max(48, Math.min(natural, fit));
        // every grid row repeats the panel titles when there are titles per panel; headers only top the grid
        int rowPitch = side + GAP + (titles != null ? panelTitleBand : 0);
        int top = titleBand + panelTitleBand;
        int bottom = columnLabelBand + (xTitle != null ? fh + 4 : 0) + 10;
        return new Layout(left, top, side, rowPitch, titleBand, panelTitleBand, columnLabelBand, turned, bottom);
    }

    public int width() {
        Layout l = layout();
        return l.left() + gridColumns() * l.side() + (gridColumns() - 1) * GAP + 12 + MatrixPanel.colourBarWidth(11);
    }

    public int height() {
        Layout l = layout();
        return l.top() + panels.size() * l.rowPitch() - GAP + l.bottom();
    }

    private Rectangle cells(Layout l, int r, int c) {
        return new Rectangle(l.left() + c * (l.side() + GAP), l.top() + r * l.rowPitch(), l.side(), l.side());
    }

    private String rowLabel(int r, Font f) {
        return rowLabels == null ? String.valueOf(r) : Drawing.visible(rowLabels.get(r), f, 12);
    }

    private String columnLabel(int c, Font f) {
        return columnLabels == null ? String.valueOf(c) : Drawing.visible(columnLabels.get(c), f, 12);
    }

    // ---------------------------------------------------------------- drawing

    public BufferedImage image() {
        Layout l = layout();
        int w = width(), h = height();
        BufferedImage img = Drawing.canvas(w, h);
        Graphics2D g = Drawing.graphics(img);
        if (!title.isEmpty()) {
            g.setFont(Drawing.font(15, true));
            g.setColor(Color.BLACK);
            Drawing.centered(g, title, w / 2.0, 10 + g.getFontMetrics().getAscent());
        }
        ColorScale s = scale != null ? scale : ColorScale.fit(first());
        boolean masked = false;
        for (int r = 0; r < panels.size(); r++) {
            for (int c = 0; c < panels.get(r).size(); c++) {
                double[][] v = panels.get(r).get(c);
                Rectangle cells = cells(l, r, c);
                MatrixPanel.drawCells(g, v, cells, s);
                g.setColor(Drawing.FRAME);
                g.drawRect(cells.x, cells.y, cells.width, cells.height);
                masked |= MatrixPanel.hasMasked(v);
            }
        }
        drawHeaders(g, l);
        drawLabels(g, l);
        Rectangle firstCells = cells(l, 0, 0);
        Rectangle lastCells = cells(l, panels.size() - 1, 0);
        int barX = l.left() + gridColumns() * (l.side() + GAP) - GAP + 12;
        int barHeight = lastCells.y + lastCells.height - firstCells.y;
        if (masked) {
            int lines = maskedMeaning.split("\\n").length;
            int legend = MatrixPanel.maskedLegendHeight(lines, LABEL_FONT);
            barHeight = Math.max(40, barHeight - legend);
            MatrixPanel.maskedLegend(g, barX, firstCells.y + barHeight + 8, maskedMeaning, LABEL_FONT);
        }
        MatrixPanel.colourBar(g, s, barX, firstCells.y, barHeight, scaleLabel, 11);
        g.dispose();
        return img;
    }

    private void drawHeaders(Graphics2D g, Layout l) {
        g.setFont(Drawing.font(HEADER_FONT, true));
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        for (int r = 0; r < panels.size(); r++) {
            for (int c = 0; c < panels.get(r).size(); c++) {
                Rectangle cells = cells(l, r, c);
                String t = titles != null ? titles.get(r).get(c) : r == 0 && columnHeaders != null ? columnHeaders.get(c) : null;
                if (t != null) Drawing.centered(g, fitted(t, fm, cells.width + GAP), cells.x + cells.width / 2.0, cells.y - fm.getDescent() - 3);
            }
            if (rowHeaders != null) {
                Rectangle cells = cells(l, r, 0);
                int x = 10 + (yTitle != null ? g.getFontMetrics(Drawing.font(LABEL_FONT, false)).getHeight() + 4 : 0);
                Drawing.vertical(g, fitted(rowHeaders.get(r), fm, cells.height), x, cells.y + cells.height / 2.0);
            }
        }
    }

    /** Token labels: left of the first column of every grid row, under every panel of the last grid row. */
    private void drawLabels(Graphics2D g, Layout l) {
        Font label = Drawing.font(LABEL_FONT, false);
        g.setFont(label);
        g.setColor(Drawing.AXIS);
        FontMetrics fm = g.getFontMetrics();
        int fh = fm.getHeight();
        double[][] p = first();
        double cell = l.side() / (double) p.length, cellW = l.side() / (double) p[0].length;
        int rowStep = Drawing.thinningStep(cell, fh * 0.95);
        int maxColLabel = 0;
        for (int c = 0; c < p[0].length; c++) maxColLabel = Math.max(maxColLabel, fm.stringWidth(columnLabel(c, label)));
        int colStep = Drawing.thinningStep(cellW, l.turned() ? fh * 0.95 : maxColLabel + 6);
        for (int r = 0; r < panels.size(); r++) {
            Rectangle cells = cells(l, r, 0);
            for (int i = 0; i < p.length; i += rowStep) {
                String s = rowLabel(i, label);
                double cy = cells.y + (i + 0.5) * cell;
                g.drawString(s, cells.x - 4 - fm.stringWidth(s), (float) (cy + (fm.getAscent() - fm.getDescent()) / 2.0));
            }
        }
        int last = panels.size() - 1;
        for (int c = 0; c < panels.get(last).size(); c++) {
            Rectangle cells = cells(l, last, c);
            for (int j = 0; j < p[0].length; j += colStep) {
                String s = columnLabel(j, label);
                double cx = cells.x + (j + 0.5) * cellW;
                if (l.turned()) Drawing.verticalEndingAt(g, s, cx, cells.y + cells.height + 4 + (maxColLabel - fm.stringWidth(s)));
                else Drawing.centered(g, s, cx, cells.y + cells.height + fm.getAscent() + 2);
            }
        }
        Rectangle firstCells = cells(l, 0, 0);
        Rectangle lastCells = cells(l, last, gridColumns() - 1);
        if (xTitle != null) {
            Drawing.centered(g, MatrixPanel.axisNote(xTitle, colStep), (firstCells.x + lastCells.x + lastCells.width) / 2.0,
                    lastCells.y + lastCells.height + l.columnLabelBand() + fm.getAscent() + 2);
        }
        if (yTitle != null) {
            Drawing.vertical(g, MatrixPanel.axisNote(yTitle, rowStep), 10, (firstCells.y + lastCells.y + lastCells.height) / 2.0);
        }
    }

    /** {@code s}, shortened with an ellipsis to fit {@code width} pixels. */
    private static String fitted(String s, FontMetrics fm, int width) {
        if (fm.stringWidth(s) <= width) return s;
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "\u2026") > width) t = t.substring(0, t.length() - 1);
        return t + "\u2026";
    }

    public byte[] png() {
        return Drawing.png(image());
    }

    public Path savePng(Path file) {
        return Png.save(png(), file);
    }

    @Override
    public String toString() {
        return "HeatmapGrid(" + title + ": " + panels.size() + " x " + gridColumns() + " panels)";
    }
}
