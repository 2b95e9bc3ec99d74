package org.seqlab.eval;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.seqlab.viz.HtmlTable;

/**
 * How often each true class was predicted as each class: rows are the truth, columns the prediction,
 * the diagonal is right. Shown as an HTML table whose cells are shaded by the share of their row
 * (white none, dark blue all).
 */
public final class ConfusionMatrix {
    private final List<String> classNames;
    private final int[][] counts;
    private final String title;

    private ConfusionMatrix(List<String> classNames, int[][] counts, String title) {
        this.classNames = classNames;
        this.counts = counts;
        this.title = title;
    }

    /** Counts of (truth, predicted) pairs; both arrays hold class ids in {@code [0, classNames.size())}. */
    public static ConfusionMatrix of(List<String> classNames, int[] truth, int[] predicted) {
        Objects.requireNonNull(classNames, "classNames");
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true classes but " + predicted.length
                    + " predictions; give one prediction per example");
        }
        int k = classNames.size();
        int[][] counts = new int[k][k];
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0 || truth[i] >= k || predicted[i] < 0 || predicted[i] >= k) {
                throw new IllegalArgumentException("example " + i + " has class " + truth[i] + " predicted as "
                        + predicted[i] + ", outside the " + k + " classes " + classNames);
            }
            counts[truth[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(List.copyOf(classNames), counts, "");
    }

    public ConfusionMatrix title(String title) {
        return new ConfusionMatrix(classNames, counts, title == null ? "" : title);
    }

    public List<String> classNames() {
        return classNames;
    }

    /** {@code counts[truth][predicted]}. */
    public int count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    public int total() {
        int n = 0;
        for (int[] row : counts) for (int c : row) n += c;
        return n;
    }

    /** Share of examples on the diagonal. */
    public double accuracy() {
        int right = 0;
        for (int c = 0; c < counts.length; c++) right += counts[c][c];
        return total() == 0 ? Double.NaN : right / (double) total();
    }

    public HtmlTable table() {
        List<String> header = new ArrayList<>();
        header.add("true \\ predicted");
        for (String c : classNames) header.add(c);
        header.add("recall");
        HtmlTable t = HtmlTable.of(header).title(title);
        for (int r = 0; r < counts.length; r++) {
            int rowTotal = 0;
            for (int c : counts[r]) rowTotal += c;
            List<Object> cells = new ArrayList<>();
            List<Color> colours = new ArrayList<>();
            cells.add(classNames.get(r));
            colours.add(null);
            for (int c = 0; c < counts.length; c++) {
                cells.add(counts[r][c]);
                colours.add(rowTotal == 0 ? null : shade(counts[r][c] / (double) rowTotal));
            }
            cells.add(rowTotal == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * counts[r][r] / rowTotal));
            colours.add(null);
            t.row(cells, colours);
        }
        return t.caption(String.format(Locale.ROOT, "%d examples, accuracy %.1f%%; rows: the true class, columns: "
                + "what the model said", total(), 100 * accuracy()));
    }

    /** White for none of the row, deep blue for all of it: more is darker, as in most confusion plots. */
    private static Color shade(double share) {
        double s = Math.max(0, Math.min(1, share));
        return new Color((int) Math.round(255 - s * (255 - 33)), (int) Math.round(255 - s * (255 - 102)),
                (int) Math.round(255 - s * (255 - 172)));
    }

    public String html() {
        return table().html();
    }

    @Override
    public String toString() {
        return table().toString();
    }
}
