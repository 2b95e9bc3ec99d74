package org.seqlab.kernel.render;

import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * tablesaw tables as an HTML table: all rows when short, otherwise the first and last rows with
 * a marker for the rows left out, so a million-row table neither floods the notebook nor hides
 * its end. text/plain is the same view in fixed-width columns.
 */
public final class TableRenderer {
    public static final int HEAD = 10;
    public static final int TAIL = 5;

    private TableRenderer() {}

    public static void register(Renderer renderer) {
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .supporting(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register((table, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html(table));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> text(table));
                });
    }

    /** Row indices to show; -1 marks the gap between head and tail. */
    static List<Integer> shownRows(int rowCount) {
        List<Integer> rows = new ArrayList<>();
        if (rowCount <= HEAD + TAIL) {
            for (int r = 0; r < rowCount; r++) rows.add(r);
            return rows;
        }
        for (int r = 0; r < HEAD; r++) rows.add(r);
        rows.add(-1);
        for (int r = rowCount - TAIL; r < rowCount; r++) rows.add(r);
        return rows;
    }

    public static String html(Table t) {
        StringBuilder h = new StringBuilder();
        h.append("<div><table class=\"dataframe\" border=\"1\">\n<thead><tr><th></th>");
        for (Column<?> c : t.columns()) {
            h.append("<th>").append(escape(c.name())).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        int hidden = t.rowCount() - HEAD - TAIL;
        for (int r : shownRows(t.rowCount())) {
            if (r < 0) {
                h.append("<tr><th>&#8230;</th><td colspan=\"").append(t.columnCount())
                        .append("\" style=\"text-align:center\">&#8230; ").append(hidden).append(" more rows &#8230;</td></tr>\n");
                continue;
            }
            h.append("<tr><th>").append(r).append("</th>");
            for (Column<?> c : t.columns()) {
                h.append("<td>").append(escape(c.getString(r))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n<p>").append(escape(caption(t))).append("</p></div>");
        return h.toString();
    }

    public static String text(Table t) {
        List<String[]> cells = new ArrayList<>();
        String[] header = new String[t.columnCount() + 1];
        header[0] = "";
        for (int i = 0; i < t.columnCount(); i++) header[i + 1] = t.column(i).name();
        cells.add(header);
        for (int r : shownRows(t.rowCount())) {
            String[] row = new String[t.columnCount() + 1];
            row[0] = r < 0 ? "..." : String.valueOf(r);
            for (int i = 0; i < t.columnCount(); i++) row[i + 1] = r < 0 ? "..." : t.column(i).getString(r);
            cells.add(row);
        }
        int[] width = new int[header.length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
        }
        StringBuilder s = new StringBuilder();
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                s.append(i == 0 ? "" : "  ").append(" ".repeat(width[i] - row[i].length())).append(row[i]);
            }
            s.append('\n');
        }
        return s.append(caption(t)).toString();
    }

    private static String caption(Table t) {
        String name = t.name() == null || t.name().isBlank() ? "" : t.name() + ": ";
        return name + t.rowCount() + " rows x " + t.columnCount() + " columns";
    }

    static String escape(String s) {
        return Html.escape(s);
    }
}
