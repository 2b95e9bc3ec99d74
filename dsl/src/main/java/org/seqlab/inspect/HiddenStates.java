package org.seqlab.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seqlab.graph.CompiledModel;
import org.seqlab.layers.Layer;
import org.seqlab.layers.SeqTensor;
import org.seqlab.viz.ColorScale;
import org.seqlab.viz.Heatmap;
import org.seqlab.viz.LabelledScatter;

/**
 * The output vector of every layer at every step for one input ({@code states(layer)[t][unit]}):
 * the hidden states of recurrent layers, and the embeddings, attention outputs and logits too.
 * Layers that pool time away (last, meanPool) have one step.
 */
public final class HiddenStates {
    private final List<String> tokens;
    private final Map<String, double[][]> states;

    private HiddenStates(List<String> tokens, Map<String, double[][]> states) {
        this.tokens = tokens;
        this.states = states;
    }

    public static HiddenStates of(CompiledModel model, InspectInput input) {
        List<SeqTensor> outs = Traced.forward(model, input);
        Map<String, double[][]> states = new LinkedHashMap<>();
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) states.put(layers.get(i).name(), Traced.matrix(outs.get(i).data()));
        return new HiddenStates(input.labels(), states);
    }

    public List<String> layers() {
        return List.copyOf(states.keySet());
    }

    public List<String> tokens() {
        return tokens;
    }

    /** {@code [T][width]} output of {@code layer} (a copy). */
    public double[][] states(String layer) {
        double[][] s = raw(layer);
        double[][] copy = new double[s.length][];
        for (int t = 0; t < s.length; t++) copy[t] = s[t].clone();
        return copy;
    }

    private double[][] raw(String layer) {
        double[][] s = states.get(layer);
        if (s == null) throw new IllegalArgumentException("no layer '" + layer + "'; layers: " + states.keySet());
        return s;
    }

    private List<String> stepLabels(String layer) {
        return raw(layer).length == tokens.size() ? tokens : List.of("(pooled)");
    }

    /**
     * Units x time heatmap of one layer's outputs, units sorted by their mean over the steps (row
     * labels keep the unit numbers), every token labelled up to about 50 steps.
     */
    public Heatmap heatmap(String layer) {
        double[][] s = raw(layer);
        int[] order = UnitStats.byMean(s);
        double[][] unitsByTime = new double[order.length][s.length];
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < order.length; r++) {
            for (int t = 0; t < s.length; t++) unitsByTime[r][t] = s[t][order[r]];
            rows.add(String.valueOf(order[r]));
        }
        return Heatmap.of(unitsByTime).rows(rows).columns(stepLabels(layer)).title(layer + ": output per step")
                .axes("input token (time \u2192)", "unit (sorted by mean)").scale(ColorScale.fit(unitsByTime)).scaleLabel("value");
    }

    /** The path of the state through its 2 main principal components, each step labelled with its token. */
    public LabelledScatter trajectory(String layer) {
        double[][] s = raw(layer);
        if (s.length < 2) throw new IllegalArgumentException(layer + " has a single step; a trajectory needs at least two");
        Pca pca = Pca.of(s, 2);
        double[] x = new double[s.length], y = new double[s.length];
        for (int t = 0; t < s.length; t++) {
            x[t] = pca.projected[t][0];
            y[t] = pca.projected[t][1];
        }
        return LabelledScatter.of(x, y, stepLabels(layer)).connected(true).title(layer + ": state per step, 2 principal components")
                .axes(String.format("PC 1 (%.0f%% of variance)", 100 * pca.explained[0]),
                        String.format("PC 2 (%.0f%% of variance)", 100 * pca.explained[1]));
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        states.forEach((n, s) -> parts.add(n + " [" + s.length + " x " + s[0].length + "]"));
        return "HiddenStates(" + tokens.size() + " steps; " + String.join(", ", parts) + ")";
    }
}
