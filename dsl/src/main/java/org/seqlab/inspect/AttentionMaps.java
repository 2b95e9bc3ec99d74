package org.seqlab.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqlab.graph.CompiledModel;
import org.seqlab.layers.Layer;
import org.seqlab.layers.MultiHeadAttention;
import org.seqlab.viz.ColorScale;
import org.seqlab.viz.Heatmap;
import org.seqlab.viz.HeatmapGrid;

/**
 * The attention weights of every attention layer and head for one input, as the forward pass
 * computed them: {@code weights(layer, head)[query][key]}, each row a distribution over the keys
 * (sums to 1; lower-triangular when causal).
 */
public final class AttentionMaps {
    private record LayerMaps(boolean causal, double[][][] heads) {
    }

    private final List<String> tokens;
    private final Map<String, LayerMaps> layers;

    private AttentionMaps(List<String> tokens, Map<String, LayerMaps> layers) {
        this.tokens = tokens;
        this.layers = layers;
    }

    public static AttentionMaps of(CompiledModel model, InspectInput input) {
        Traced.forward(model, input);
        Map<String, LayerMaps> out = new LinkedHashMap<>();
        for (Layer l : model.layers()) {
            if (!(l instanceof MultiHeadAttention a)) continue;
            INDArray w = a.recorded().get("weights"); // [B=1, heads, T, T]
            if (w == null) throw new IllegalStateException(l.name() + " recorded no attention weights");
            INDArray d = w.castTo(DataType.DOUBLE);
            double[][][] heads = new double[a.heads()][][];
            for (int h = 0; h < heads.length; h++) heads[h] = d.slice(0).slice(h).toDoubleMatrix();
            out.put(l.name(), new LayerMaps(a.causal(), heads));
        }
        if (out.isEmpty()) throw new IllegalStateException("the model has no attention layer; add .attention(heads)");
        return new AttentionMaps(input.labels(), out);
    }

    public List<String> layers() {
        return List.copyOf(layers.keySet());
    }

    public int heads(String layer) {
        return layer(layer).heads().length;
    }

    public boolean causal(String layer) {
        return layer(layer).causal();
    }

    public List<String> tokens() {
        return tokens;
    }

    /** {@code [query][key]} weights of one head (a copy). */
    public double[][] weights(String layer, int head) {
        LayerMaps m = layer(layer);
        if (head < 0 || head >= m.heads().length) {
            throw new IllegalArgumentException(layer + " has heads 0.." + (m.heads().length - 1) + ", not " + head);
        }
        double[][] w = m.heads()[head];
        double[][] copy = new double[w.length][];
        for (int i = 0; i < w.length; i++) copy[i] = w[i].clone();
        return copy;
    }

    private LayerMaps layer(String layer) {
        LayerMaps m = layers.get(layer);
        if (m == null) throw new IllegalArgumentException("no attention layer '" + layer + "'; layers: " + layers.keySet());
        return m;
    }

    // ---------------------------------------------------------------- pictures

    /** Tokens x tokens heatmap of one head: row = the token attending, column = the token attended to. */
    public Heatmap heatmap(String layer, int head) {
        return Heatmap.of(weights(layer, head)).rows(tokens).columns(tokens)
                .title(layer + " head " + head + (causal(layer) ? " (causal)" : ""))
                .axes("key: token attended to", "query: token attending").scale(ColorScale.sequential(0, 1))
                .scaleLabel("attention weight")
                .size(squareSide() + 170, squareSide() + 110);
    }

    /** Square heatmaps need square pictures: the larger of the defaults for width and height. */
    private int squareSide() {
        return Math.max(280, Math.min(700, tokens.size() * 16));
    }

    /** All layers (rows) x heads (columns), one shared colour scale. */
    public HeatmapGrid grid() {
        List<List<double[][]>> panels = new ArrayList<>();
        List<List<String>> titles = new ArrayList<>();
        layers.forEach((name, m) -> {
            List<double[][]> row = new ArrayList<>();
            List<String> t = new ArrayList<>();
            for (int h = 0; h < m.heads().length; h++) {
                row.add(m.heads()[h]);
                t.add(name + " head " + h);
            }
            panels.add(row);
            titles.add(t);
        });
        return HeatmapGrid.of(panels).titles(titles).labels(tokens, tokens).scale(ColorScale.sequential(0, 1))
                .title("Attention: layers x heads").axes("key", "query").scaleLabel("attention weight");
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        layers.forEach((n, m) -> parts.add(n + " " + m.heads().length + " heads" + (m.causal() ? " causal" : "")));
        return "AttentionMaps(" + tokens.size() + " tokens; " + String.join("; ", parts) + ")";
    }
}
