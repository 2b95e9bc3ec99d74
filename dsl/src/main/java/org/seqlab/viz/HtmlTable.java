package org.seqlab.viz;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A small table for notebooks: a header, rows of text cells (optionally with a background colour
 * each), a caption. {@link #html()} is a self-contained fragment with inline styles; {@link #toString()}
 * the same table in fixed-width text for JShell and for the notebook's text fallback.
 *
 * <pre>HtmlTable.of("model", "accuracy").row("LSTM", "0.99").caption("held-out reviews")</pre>
 */
public final class HtmlTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<List<Color>> backgrounds = new ArrayList<>();
    private String title = "";
    private String caption = "";

    private HtmlTable(List<String> header) {
        if (header.isEmpty()) throw new IllegalArgumentException("a table needs at least one column");
        this.header = List.copyOf(header);
    }

    public static HtmlTable of(String... header) {
        return new HtmlTable(Arrays.asList(header));
    }

    public static HtmlTable of(List<String> header) {
        return new HtmlTable(header);
    }

    /** A row of plain cells; numbers are written as given (format them first). */
    public HtmlTable row(Object... cells) {
        return row(Arrays.asList(cells), null);
    }

    /** A row whose cells have a background colour each ({@code null} for none); text colour follows the background. */
    public HtmlTable row(List<?> cells, List<Color> background) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells but the table has " + header.size()
                    + " columns " + header + "; give one cell per column");
        }
        if (background != null && background.size() != cells.size()) {
            throw new IllegalArgumentException(cells.size() + " cells but " + background.size() + " colours");
        }
        List<String> text = new ArrayList<>();
        for (Object c : cells) text.add(String.valueOf(c));
        rows.add(text);
        backgrounds.add(background == null ? null : new ArrayList<>(background));
        return this;
    }

    public HtmlTable title(String title) {
        this.title = title == null ? "" : title;
        return this;
    }

    public HtmlTable caption(String caption) {
        this.caption = caption == null ? "" : caption;
        return this;
    }

    public int rowCount() {
        return rows.size();
    }

    public List<String> header() {
        return header;
    }

    /** Cell text of row {@code r}. */
    public List<String> rowCells(int r) {
        return List.copyOf(rows.get(r));
    }

    public String html() {
        StringBuilder h = new StringBuilder("<div style=\"font-family:sans-serif;font-size:13px\">");
        if (!title.isEmpty()) {
            h.append("<div style=\"font-weight:bold;margin-bottom:4px\">").append(ColoredText.escape(title)).append("</div>");
        }
        h.append("<table style=\"border-collapse:collapse\"><thead><tr>");
        for (String c : header) {
            h.append("<th style=\"border-bottom:1px solid #888;padding:3px 8px;text-align:left\">")
                    .append(ColoredText.escape(c)).append("</th>");
        }
        h.append("</tr></thead><tbody>");
        for (int r = 0; r < rows.size(); r++) {
            h.append("<tr>");
            List<String> row = rows.get(r);
            for (int c = 0; c < row.size(); c++) {
                Color bg = backgrounds.get(r) == null ? null : backgrounds.get(r).get(c);
                String align = isNumber(row.get(c)) ? "right" : "left";
                h.append("<td style=\"border-bottom:1px solid #ddd;padding:3px 8px;text-align:").append(align);
                if (bg != null) {
                    h.append(String.format(Locale.ROOT, ";background:#%06x;color:#%06x", bg.getRGB() & 0xFFFFFF,
                            ColorScale.textOn(bg).getRGB() & 0xFFFFFF));
                }
                h.append("\">").append(ColoredText.escape(row.get(c))).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</tbody></table>");
        if (!caption.isEmpty()) {
            h.append("<div style=\"color:#444;margin-top:4px\">").append(ColoredText.escape(caption)).append("</div>");
        }
        return h.append("</div>").toString();
    }

    public Path saveHtml(Path file) {
        return Png.save(("<!doctype html><meta charset=\"utf-8\">" + html()).getBytes(StandardCharsets.UTF_8), file);
    }

    private static boolean isNumber(String s) {
        return s.matches("[-+]?[0-9][0-9,]*(\\.[0-9]+)?%?( [-+]?[0-9.]+%?)?|[-+]?\\.[0-9]+");
    }

    @Override
    public String toString() {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) width[c] = header.get(c).length();
        for (List<String> row : rows) {
            for (int c = 0; c < width.length; c++) width[c] = Math.max(width[c], row.get(c).length());
        }
        StringBuilder s = new StringBuilder();
        if (!title.isEmpty()) s.append(title).append('\n');
        appendLine(s, header, width);
        for (int c = 0; c < width.length; c++) s.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        s.append('\n');
        for (List<String> row : rows) appendLine(s, row, width);
        if (!caption.isEmpty()) s.append(caption).append('\n');
        return s.toString().stripTrailing();
    }

    private static void appendLine(StringBuilder s, List<String> cells, int[] width) {
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            s.append(c == 0 ? "" : "  ").append(isNumber(cell) ? pad + cell : cell + pad);
        }
        s.append('\n');
    }
}
