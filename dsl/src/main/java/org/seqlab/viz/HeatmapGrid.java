package org.seqlab.viz;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * Many heatmaps of the same kind in a grid (e.g. attention: one row per layer, one column per
 * head), sharing one colour scale and one colour bar so the panels compare directly.
 */
public final class HeatmapGrid {
    private final List<List<double[][]>> panels;
    private List<List<String>> titles;
    private List<String> rowLabels;
    private List<String> columnLabels;
    private String title = "";
    private String xTitle;
    private String yTitle;
    private String scaleLabel;
    private ColorScale scale;
    private int panelSize;

    private HeatmapGrid(List<List<double[][]>> panels) {
        if (panels.isEmpty() || panels.get(0).isEmpty()) throw new IllegalArgumentException("a grid needs at least one panel");
        this.panels = panels;
    }

    /** {@code panels.get(gridRow).get(gridColumn)} is one matrix {@code [row][column]}. */
    public static HeatmapGrid of(List<List<double[][]>> panels) {
        return new HeatmapGrid(panels);
    }

    public HeatmapGrid titles(List<List<String>> panelTitles) {
        this.titles = panelTitles;
        return this;
    }

    /** Labels of every panel's rows and columns (the same in every panel). */
    public HeatmapGrid labels(List<String> rows, List<String> columns) {
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

    /** Side of each panel in pixels (labels included); by default it follows the matrix size. */
    public HeatmapGrid panelSize(int pixels) {
        this.panelSize = pixels;
        return this;
    }

    private int gridColumns() {
        return panels.stream().mapToInt(List::size).max().orElse(1);
    }

    private int panel() {
        if (panelSize > 0) return panelSize;
        int n = panels.get(0).get(0)[0].length;
        return Math.max(200, Math.min(340, n * 12 + 80));
    }

    public int width() {
        return 20 + gridColumns() * (panel() + 12) + MatrixPanel.colourBarWidth(11);
    }

    public int height() {
        int titleBand = 10 + Drawing.font(15, true).getSize() + 14;
        return titleBand + panels.size() * (panel() + 12) + 10;
    }

    public BufferedImage image() {
        int w = width(), h = height(), p = panel();
        BufferedImage img = Drawing.canvas(w, h);
        Graphics2D g = Drawing.graphics(img);
        g.setFont(Drawing.font(15, true));
        g.setColor(Color.BLACK);
        Drawing.centered(g, title, w / 2.0, 10 + g.getFontMetrics().getAscent());
        int top = 10 + Drawing.font(15, true).getSize() + 14;
        ColorScale s = scale != null ? scale : ColorScale.fit(panels.get(0).get(0));
        Rectangle first = null;
        Rectangle last = null;
        for (int r = 0; r < panels.size(); r++) {
            for (int c = 0; c < panels.get(r).size(); c++) {
                String t = titles == null ? null : titles.get(r).get(c);
                Rectangle area = new Rectangle(10 + c * (p + 12), top + r * (p + 12), p, p);
                // only the outer panels carry axis titles; the inner ones would repeat them
                MatrixPanel panel = new MatrixPanel(panels.get(r).get(c), rowLabels, columnLabels, t,
                        r == panels.size() - 1 ? xTitle : blank(xTitle), c == 0 ? yTitle : blank(yTitle));
                Rectangle cells = panel.draw(g, area, s, 10);
                if (first == null) first = cells;
                last = cells;
            }
        }
        int barX = 10 + gridColumns() * (p + 12);
        int barTop = first.y;
        int barHeight = Math.max(40, last.y + last.height - barTop);
        MatrixPanel.colourBar(g, s, barX, barTop, Math.min(barHeight, h - barTop - 10), scaleLabel, 11);
        g.dispose();
        return img;
    }

    /** Keeps the space an axis title takes without drawing it, so all panels have equal cells. */
    private static String blank(String axisTitle) {
        return axisTitle == null ? null : "";
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
