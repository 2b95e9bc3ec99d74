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
 * (sums to 1; lower-triangular when causal). Attention inside composite layers counts too: a
 * transformer's blocks appear as {@code transformer_1/block_1}, {@code transformer_1/block_2}, ...
 * In the pictures a causal map's future (the upper triangle) is hatched as masked, not drawn as weight 0.
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
        for (Layer l : Traced.unwrapped(model)) {
            if (!(l instanceof MultiHeadAttention a)) continue;
            INDArray w = a.recorded().get("weights"); // [B=1, heads, T, T]
            if (w == null) throw new IllegalStateException(l.name() + " recorded no attention weights");
            INDArray d = w.castTo(DataType.DOUBLE);
            double[][][] heads = new double[a.heads()][][];
            for (int h = 0; h < heads.length; h++) heads[h] = d.slice(0).slice(h).toDoubleMatrix();
            out.put(l.name(), new LayerMaps(a.causal(), heads));
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("the model has no attention layer; add .attention(heads) or .transformer(blocks, heads)");
        }
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

    /** The weights as drawn: the keys a causal query cannot see are NaN (masked), not 0. */
    private double[][] shown(String layer, int head) {
        double[][] w = weights(layer, head);
        if (causal(layer)) {
            for (int q = 0; q < w.length; q++) for (int k = q + 1; k < w[q].length; k++) w[q][k] = Double.NaN;
        }
        return w;
    }

    /** Tokens x tokens heatmap of one head: row = the token attending, column = the token attended to. */
    public Heatmap heatmap(String layer, int head) {
        return Heatmap.of(shown(layer, head)).rows(tokens).columns(tokens)
                .title(layer + " head " + head + (causal(layer) ? " (causal)" : ""))
                .axes("key: token attended to", "query: token attending").scale(ColorScale.sequential(0, 1))
                .scaleLabel("attention weight")
                .size(squareSide() + 170, squareSide() + 110);
    }

    /** Square heatmaps need square pictures: the larger of the defaults for width and height. */
    private int squareSide() {
        return Math.max(280, Math.min(700, tokens.size() * 16));
    }

    /**
     * All layers (rows) x heads (columns), one shared colour scale, sized for a notebook (about 900 px
     * wide, so 2-4 transformer blocks x 8 heads stay legible). Layers inside one composite layer are
     * named by their part ({@code block_1}) and the composite goes into the title.
     */
    public HeatmapGrid grid() {
        List<String> names = List.copyOf(layers.keySet());
        String shared = sharedPrefix(names);
        int heads = layers.values().stream().mapToInt(m -> m.heads().length).max().orElse(1);
        List<List<double[][]>> panels = new ArrayList<>();
        boolean anyCausal = false;
        for (String name : names) {
            List<double[][]> row = new ArrayList<>();
            for (int h = 0; h < heads(name); h++) row.add(shown(name, h));
            for (int h = heads(name); h < heads; h++) row.add(blank(tokens.size())); // fewer heads than the widest layer
            panels.add(row);
            anyCausal |= causal(name);
        }
        List<String> rowHeaders = names.stream().map(n -> n.substring(shared.length())).toList();
        List<String> columnHeaders = new ArrayList<>();
        for (int h = 0; h < heads; h++) columnHeaders.add("head " + h);
        String what = shared.isEmpty() ? "layers" : shared.substring(0, shared.length() - 1) + ": blocks";
        return HeatmapGrid.of(panels).headers(rowHeaders, columnHeaders).labels(tokens, tokens)
                .scale(ColorScale.sequential(0, 1)).title("Attention, " + what + " x heads").axes("key", "query")
                .scaleLabel("attention weight").maskedMeaning(anyCausal ? "masked\n(future)" : "no head");
    }

    /** The part before the last '/' that every name shares ({@code transformer_1/}), or empty. */
    private static String sharedPrefix(List<String> names) {
        int slash = names.get(0).lastIndexOf('/');
        if (slash < 0) return "";
        String prefix = names.get(0).substring(0, slash + 1);
        return names.stream().allMatch(n -> n.startsWith(prefix) && n.indexOf('/', prefix.length()) < 0) ? prefix : "";
    }

    private static double[][] blank(int n) {
        double[][] b = new double[n][n];
        for (double[] row : b) java.util.Arrays.fill(row, Double.NaN);
        return b;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        layers.forEach((n, m) -> parts.add(n + " " + m.heads().length + " heads" + (m.causal() ? " causal" : "")));
        return "AttentionMaps(" + tokens.size() + " tokens; " + String.join("; ", parts) + ")";
    }
}
