package org.seqlab.inspect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.seqlab.data.Vocab;
import org.seqlab.graph.CompiledModel;
import org.seqlab.layers.Embedding;
import org.seqlab.layers.Layer;
import org.seqlab.viz.LabelledScatter;

/**
 * The learned embedding table projected onto its two main principal components, every token at
 * its point: tokens the model treats alike (digits, vowels, closing brackets) end up close.
 */
public final class EmbeddingMap {
    private final List<String> tokens;
    private final double[][] coordinates;
    private final double[] explained;
    private final String layer;

    private EmbeddingMap(String layer, List<String> tokens, double[][] coordinates, double[] explained) {
        this.layer = layer;
        this.tokens = tokens;
        this.coordinates = coordinates;
        this.explained = explained;
    }

    /** The first embedding layer's table; the padding row is left out (it is never trained). */
    public static EmbeddingMap of(CompiledModel model, Vocab vocab) {
        for (Layer l : model.layers()) {
            if (!(l instanceof Embedding)) continue;
            double[][] table = Traced.matrix(l.params().value("E"));
            if (table[0].length < 2) throw new IllegalStateException(l.name() + " has 1 dimension; a 2-D map needs at least 2");
            List<String> tokens = new ArrayList<>();
            List<double[]> rows = new ArrayList<>();
            for (int id = 0; id < table.length; id++) {
                if (vocab != null && id == Vocab.PAD_ID) continue;
                tokens.add(vocab != null ? vocab.token(id) : String.valueOf(id));
                rows.add(table[id]);
            }
            Pca pca = Pca.of(rows.toArray(new double[0][]), 2);
            return new EmbeddingMap(l.name(), List.copyOf(tokens), pca.projected, pca.explained);
        }
        throw new IllegalStateException("the model has no embedding layer (it starts with oneHot() or reads features), "
                + "so there is no learned table to map");
    }

    public List<String> tokens() {
        return tokens;
    }

    /** {@code [token][2]} coordinates on the first two principal components, in {@link #tokens()} order. */
    public double[][] coordinates() {
        double[][] c = new double[coordinates.length][];
        for (int i = 0; i < c.length; i++) c[i] = coordinates[i].clone();
        return c;
    }

    /** Share of the table's variance each of the two components explains. */
    public double[] explained() {
        return explained.clone();
    }

    public LabelledScatter chart() {
        double[] x = new double[coordinates.length], y = new double[coordinates.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = coordinates[i][0];
            y[i] = coordinates[i][1];
        }
        return LabelledScatter.of(x, y, tokens).title(layer + ": embedding table, 2 principal components")
                .axes(String.format("PC 1 (%.0f%% of variance)", 100 * explained[0]),
                        String.format("PC 2 (%.0f%% of variance)", 100 * explained[1]));
    }

    public byte[] png() {
        return chart().png();
    }

    public Path savePng(Path file) {
        return chart().savePng(file);
    }

    @Override
    public String toString() {
        return String.format("EmbeddingMap(%s: %d tokens, PC 1-2 explain %.0f%% + %.0f%%)", layer, tokens.size(),
                100 * explained[0], 100 * explained[1]);
    }
}
