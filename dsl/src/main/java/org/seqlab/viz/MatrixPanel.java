package org.seqlab.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.TexturePaint;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws one matrix as coloured cells inside a rectangle: a panel title, the row and column
 * labels (thinned to every k-th when they would overlap, turned upright when they are long), the
 * axis titles and, when cells are large, the values. {@link Heatmap} draws one panel with a colour
 * bar; {@link HeatmapGrid} draws many sharing one.
 */
final class MatrixPanel {
    final double[][] values;
    final List<String> rowLabels;
    final List<String> columnLabels;
    final String title;
    final String xTitle;
    final String yTitle;
    /** Every how many rows and columns the last {@link #draw} labelled (1: every one). */
    int drawnRowStep = 1;
    int drawnColumnStep = 1;
    /** Print each cell's value when the cells are large enough (off: a picture of weights to read by colour). */
    boolean cellValues = true;
    /** Column labels turned upright even when short (one label per column however narrow: tokens of a sentence). */
    boolean turnColumnLabels = false;

    MatrixPanel(double[][] values, List<String> rowLabels, List<String> columnLabels, String title, String xTitle, String yTitle) {
        if (values.length == 0 || values[0].length == 0) throw new IllegalArgumentException("a heatmap needs at least one cell");
        for (double[] row : values) {
            if (row.length != values[0].length) throw new IllegalArgumentException("heatmap rows must have equal length");
        }
        if (rowLabels != null && rowLabels.size() != values.length) {
            throw new IllegalArgumentException(values.length + " rows but " + rowLabels.size() + " row labels");
        }
        if (columnLabels != null && columnLabels.size() != values[0].length) {
            throw new IllegalArgumentException(values[0].length + " columns but " + columnLabels.size() + " column labels");
        }
        this.values = values;
        this.rowLabels = rowLabels;
        this.columnLabels = columnLabels;
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
    }

    int rows() {
        return values.length;
    }

    int columns() {
        return values[0].length;
    }

    private String rowLabel(int r, Font f) {
        return rowLabels == null ? String.valueOf(r) : Drawing.visible(rowLabels.get(r), f, 12);
    }

    private String columnLabel(int c, Font f) {
        return columnLabels == null ? String.valueOf(c) : Drawing.visible(columnLabels.get(c), f, 12);
    }

    /** Draws into {@code area}; returns the rectangle the cells took (for a colour bar beside it). */
    Rectangle draw(Graphics2D g, Rectangle area, ColorScale scale, int fontSize) {
        Font labelFont = Drawing.font(fontSize, false);
        Font titleFont = Drawing.font(fontSize + 1, true);
        g.setFont(labelFont);
        FontMetrics fm = g.getFontMetrics();
        int fh = fm.getHeight();

        int top = area.y;
        if (title != null) top += fh + 6;
        int left = area.x + (yTitle != null ? fh + 4 : 0);
        int maxRowLabel = 0;
        for (int r = 0; r < rows(); r++) maxRowLabel = Math.max(maxRowLabel, fm.stringWidth(rowLabel(r, labelFont)));
        left += maxRowLabel + 5;
        int maxColLabel = 0;
        for (int c = 0; c < columns(); c++) maxColLabel = Math.max(maxColLabel, fm.stringWidth(columnLabel(c, labelFont)));
        // Short labels (characters, small numbers) read best upright; long ones (words) turned.
        boolean turned = turnColumnLabels || maxColLabel > 2.2 * fh;
        int labelBand = turned ? maxColLabel + 6 : fh + 2;
        int bottom = area.y + area.height - (xTitle != null ? fh + 4 : 0) - labelBand;
        Rectangle cells = new Rectangle(left, top, Math.max(1, area.x + area.width - left), Math.max(1, bottom - top));

        drawCells(g, cells, scale);
        double cw = cells.width / (double) columns();
        double ch = cells.height / (double) rows();
        if (cellValues && cw >= 30 && ch >= fh && rows() * columns() <= 400) drawValues(g, cells, scale, cw, ch);

        g.setColor(Drawing.FRAME);
        g.drawRect(cells.x, cells.y, cells.width, cells.height);
        g.setColor(Drawing.AXIS);
        g.setFont(labelFont);
        int rowStep = Drawing.thinningStep(ch, fh * 0.95);
        for (int r = 0; r < rows(); r += rowStep) {
            String s = rowLabel(r, labelFont);
            double cy = cells.y + (r + 0.5) * ch;
            g.drawString(s, cells.x - 4 - fm.stringWidth(s), (float) (cy + (fm.getAscent() - fm.getDescent()) / 2.0));
        }
        int colStep = Drawing.thinningStep(cw, turned ? fh * 0.95 : columnExtent(maxColLabel, fh));
        for (int c = 0; c < columns(); c += colStep) {
            String s = columnLabel(c, labelFont);
            double cx = cells.x + (c + 0.5) * cw;
            if (turned) Drawing.verticalEndingAt(g, s, cx, cells.y + cells.height + 4 + (maxColLabel - fm.stringWidth(s)));
            else Drawing.centered(g, s, cx, cells.y + cells.height + fm.getAscent() + 2);
        }
        drawnRowStep = rowStep;
        drawnColumnStep = colStep;
        if (xTitle != null) Drawing.centered(g, axisNote(xTitle, colStep), cells.x + cells.width / 2.0, area.y + area.height - fm.getDescent());
        if (yTitle != null) Drawing.vertical(g, axisNote(yTitle, rowStep), area.x, cells.y + cells.height / 2.0);
        if (title != null) {
            g.setFont(titleFont);
            g.setColor(Color.BLACK);
            Drawing.centered(g, title, cells.x + cells.width / 2.0, area.y + g.getFontMetrics().getAscent());
        }
        return cells;
    }

    /** Pixels a column needs for its label: a line height when turned upright, else the widest label and a 3 px gap. */
    static double columnExtent(int widestLabel, int lineHeight) {
        return widestLabel > 2.2 * lineHeight ? lineHeight * 0.95 : widestLabel + 3;
    }

    /** {@link #columnExtent} for these labels in the label font of {@code fontSize}. */
    static double columnExtent(List<String> labels, int fontSize) {
        if (labels == null || labels.isEmpty()) return 0;
        BufferedImage scratch = Drawing.canvas(1, 1);
        Graphics2D g = scratch.createGraphics();
        Font f = Drawing.font(fontSize, false);
        FontMetrics fm = g.getFontMetrics(f);
        int widest = 0;
        for (String s : labels) widest = Math.max(widest, fm.stringWidth(Drawing.visible(s, f, 12)));
        g.dispose();
        return columnExtent(widest, fm.getHeight());
    }

    static String axisNote(String axisTitle, int step) {
        return step > 1 && !axisTitle.isEmpty() ? axisTitle + " (every " + ordinal(step) + " labelled)" : axisTitle;
    }

    private static String ordinal(int n) {
        String suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    private void drawCells(Graphics2D g, Rectangle cells, ColorScale scale) {
        drawCells(g, values, cells, scale);
    }

    /**
     * One pixel per cell, scaled up without smoothing, so thousands of cells draw fast and sharp;
     * NaN cells (masked: a causal map's future) are hatched grey, so they do not read as a value.
     */
    static void drawCells(Graphics2D g, double[][] values, Rectangle cells, ColorScale scale) {
        int rows = values.length, columns = values[0].length;
        BufferedImage img = new BufferedImage(columns, rows, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) img.setRGB(c, r, scale.rgb(values[r][c]));
        }
        Object hint = g.getRenderingHint(RenderingHints.KEY_INTERPOLATION);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(img, cells.x, cells.y, cells.width, cells.height, null);
        if (hint != null) g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, hint);
        hatchMasked(g, values, cells);
    }

    /** True when some cell is NaN (masked). */
    static boolean hasMasked(double[][] values) {
        for (double[] row : values) for (double v : row) if (Double.isNaN(v)) return true;
        return false;
    }

    private static final TexturePaint HATCH = hatch();

    private static TexturePaint hatch() {
        int n = 6;
        BufferedImage tile = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < n; y++) for (int x = 0; x < n; x++) tile.setRGB(x, y, (x + y) % n == 0 ? 0x9A9A9A : 0xE4E4E4);
        return new TexturePaint(tile, new Rectangle(0, 0, n, n));
    }

    /** Fills the NaN cells with the hatch, one rectangle per run of masked cells in a row. */
    private static void hatchMasked(Graphics2D g, double[][] values, Rectangle cells) {
        int rows = values.length, columns = values[0].length;
        double cw = cells.width / (double) columns, ch = cells.height / (double) rows;
        Path2D masked = new Path2D.Double();
        boolean any = false;
        for (int r = 0; r < rows; r++) {
            int c = 0;
            while (c < columns) {
                if (!Double.isNaN(values[r][c])) {
                    c++;
                    continue;
                }
                int start = c;
                while (c < columns && Double.isNaN(values[r][c])) c++;
                // whole pixels, so neighbouring runs meet without seams
                int x0 = cells.x + (int) Math.round(start * cw), x1 = cells.x + (int) Math.round(c * cw);
                int y0 = cells.y + (int) Math.round(r * ch), y1 = cells.y + (int) Math.round((r + 1) * ch);
                masked.append(new Rectangle(x0, y0, x1 - x0, y1 - y0), false);
                any = true;
            }
        }
        if (!any) return;
        Paint saved = g.getPaint();
        Object aa = g.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setPaint(HATCH);
        g.fill(masked);
        g.setPaint(saved);
        if (aa != null) g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, aa);
    }

    /** A hatched swatch and its meaning (under a colour bar), top-left at {@code x, y}. */
    static void maskedLegend(Graphics2D g, int x, int y, String meaning, int fontSize) {
        Paint saved = g.getPaint();
        g.setPaint(HATCH);
        g.fillRect(x, y, 14, 14);
        g.setPaint(saved);
        g.setColor(FRAME_COLOR);
        g.drawRect(x, y, 14, 14);
        g.setFont(Drawing.font(fontSize, false));
        g.setColor(Drawing.AXIS);
        FontMetrics fm = g.getFontMetrics();
        String[] lines = meaning.split("\n");
        for (int i = 0; i < lines.length; i++) g.drawString(lines[i], x + 18, y + fm.getAscent() + i * fm.getHeight());
    }

    /** Height {@link #maskedLegend} takes for {@code lines} lines of text. */
    static int maskedLegendHeight(int lines, int fontSize) {
        return Math.max(16, lines * (fontSize + 4)) + 8;
    }

    private static final Color FRAME_COLOR = Drawing.FRAME;

    private void drawValues(Graphics2D g, Rectangle cells, ColorScale scale, double cw, double ch) {
        g.setFont(Drawing.font(Math.min(11, (int) (ch * 0.6)), false));
        FontMetrics fm = g.getFontMetrics();
        for (int r = 0; r < rows(); r++) {
            for (int c = 0; c < columns(); c++) {
                double v = values[r][c];
                if (Double.isNaN(v)) continue;
                g.setColor(ColorScale.textOn(scale.color(v)));
                Drawing.centered(g, Drawing.number(v), cells.x + (c + 0.5) * cw,
                        cells.y + (r + 0.5) * ch + (fm.getAscent() - fm.getDescent()) / 2.0);
            }
        }
    }

    /** A vertical colour bar with tick labels, left edge at {@code x}, spanning {@code top..top+height}. */
    static void colourBar(Graphics2D g, ColorScale scale, int x, int top, int height, String label, int fontSize) {
        int w = 14;
        for (int i = 0; i < height; i++) {
            double v = scale.max() - (scale.max() - scale.min()) * i / Math.max(1, height - 1);
            g.setColor(scale.color(v));
            g.fillRect(x, top + i, w, 1);
        }
        g.setColor(Drawing.FRAME);
        g.drawRect(x, top, w, height);
        g.setFont(Drawing.font(fontSize, false));
        FontMetrics fm = g.getFontMetrics();
        int ticks = scale.isDiverging() ? 5 : 3;
        g.setColor(Drawing.AXIS);
        for (int k = 0; k < ticks; k++) {
            double v = scale.max() - (scale.max() - scale.min()) * k / (ticks - 1);
            int y = top + (int) Math.round((double) height * k / (ticks - 1));
            g.drawLine(x + w, y, x + w + 3, y);
            g.drawString(Drawing.number(v), x + w + 6, y + (fm.getAscent() - fm.getDescent()) / 2);
        }
        if (label != null) Drawing.vertical(g, label, x + w + 8 + fm.stringWidth("-0.55"), top + height / 2.0);
    }

    /** Width a colour bar with its ticks and label takes. */
    static int colourBarWidth(int fontSize) {
        return 14 + 8 + 40 + fontSize + 10;
    }
}
