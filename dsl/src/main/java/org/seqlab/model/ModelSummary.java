package org.seqlab.model;

import java.util.List;

/**
 * What {@code model.summary()} shows: each layer's name, kind, output shape and parameter count,
 * Keras-style. Plain data, so the notebook kernel renders it as an HTML table and JShell prints it.
 */
public record ModelSummary(List<Row> rows, long totalParams, String loss) {

    public record Row(String name, String kind, String outputShape, long params) {
    }

    @Override
    public String toString() {
        int nw = "Layer".length(), kw = "Kind".length(), sw = "Output shape".length();
        for (Row r : rows) {
            nw = Math.max(nw, r.name().length());
            kw = Math.max(kw, r.kind().length());
            sw = Math.max(sw, r.outputShape().length());
        }
        String fmt = "%-" + nw + "s  %-" + kw + "s  %-" + sw + "s  %,12d%n";
        StringBuilder s = new StringBuilder(String.format("%-" + nw + "s  %-" + kw + "s  %-" + sw + "s  %12s%n",
                "Layer", "Kind", "Output shape", "Params"));
        s.append("-".repeat(nw + kw + sw + 18)).append('\n');
        for (Row r : rows) s.append(String.format(fmt, r.name(), r.kind(), r.outputShape(), r.params()));
        s.append("-".repeat(nw + kw + sw + 18)).append('\n');
        s.append(String.format("Total parameters: %,d   Loss: %s%n", totalParams, loss));
        return s.toString();
    }
}
