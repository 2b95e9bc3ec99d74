package org.seqlab.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqlab.graph.CompiledModel;
import org.seqlab.layers.Gate;
import org.seqlab.layers.Layer;
import org.seqlab.layers.RecurrentLayer;
import org.seqlab.viz.ColorScale;
import org.seqlab.viz.ColoredText;
import org.seqlab.viz.Heatmap;
import org.seqlab.viz.SaturationChart;

/**
 * The gates and states of every recurrent layer for one input, per time step and unit, as the
 * training forward pass computed them (recorded, not recomputed), as each layer declares them
 * ({@link RecurrentLayer#recordedGates()}): LSTM {@code i, f, g, o, c, h}; GRU {@code r, z, n, h};
 * simple RNN {@code h}. A bidirectional layer appears as its two
 * directions, {@code <name>_fw} and {@code <name>_bw}.
 *
 * <pre>GateTrace trace = model.gates("the cat sat");
 * display(trace.heatmap("lstm_1", "f"));
 * display(trace.coloredText("lstm_1", "h", 7));
 * display(trace.saturation("lstm_1"));</pre>
 */
public final class GateTrace {
    /** One recurrent layer's recorded arrays, each {@code [T][units]}, and what each is (as the layer declares). */
    private record LayerGates(String kind, Map<String, double[][]> arrays, Map<String, Gate> declared) {
    }

    private final List<String> tokens;
    private final boolean spaced;
    private final Map<String, LayerGates> layers;

    private GateTrace(List<String> tokens, boolean spaced, Map<String, LayerGates> layers) {
        this.tokens = tokens;
        this.spaced = spaced;
        this.layers = layers;
    }

    public static GateTrace of(CompiledModel model, InspectInput input) {
        Traced.forward(model, input);
        Map<String, LayerGates> out = new LinkedHashMap<>();
        for (Layer l : Traced.unwrapped(model)) {
            if (!(l instanceof RecurrentLayer r)) continue;
            Map<String, double[][]> arrays = new LinkedHashMap<>();
            Map<String, Gate> declared = new LinkedHashMap<>();
            for (Gate g : r.recordedGates()) { // the declared order is the order of the equations
                INDArray recorded = r.recorded().get(g.key());
                if (recorded == null) throw new IllegalStateException(r.name() + " declares '" + g.key() + "' but recorded none");
                arrays.put(g.key(), Traced.matrix(recorded));
                declared.put(g.key(), g);
            }
            if (!declared.keySet().containsAll(r.recorded().keySet())) {
                throw new IllegalStateException(r.name() + " recorded " + r.recorded().keySet() + " but declares only "
                        + declared.keySet() + " in recordedGates()");
            }
            out.put(l.name(), new LayerGates(l.kind(), arrays, declared));
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("the model has no recurrent layer (LSTM, GRU, RNN) to show gates of");
        }
        return new GateTrace(input.labels(), input.spaced(), out);
    }

    /** Names of the recurrent layers traced, in model order. */
    public List<String> layers() {
        return List.copyOf(layers.keySet());
    }

    /** The recorded arrays of {@code layer}: {@code [i, f, g, o, c, h]}, {@code [r, z, n, h]} or {@code [h]}. */
    public List<String> gates(String layer) {
        return List.copyOf(layer(layer).arrays().keySet());
    }

    public List<String> tokens() {
        return tokens;
    }

    /** {@code [T][units]}: the values of {@code gate} in {@code layer} per step and unit (a copy). */
    public double[][] values(String layer, String gate) {
        double[][] v = array(layer, gate);
        double[][] copy = new double[v.length][];
        for (int t = 0; t < v.length; t++) copy[t] = v[t].clone();
        return copy;
    }

    /** One unit's values over time. */
    public double[] unit(String layer, String gate, int unit) {
        double[][] v = array(layer, gate);
        if (unit < 0 || unit >= v[0].length) {
            throw new IllegalArgumentException(layer + " has units 0.." + (v[0].length - 1) + ", not " + unit);
        }
        double[] out = new double[v.length];
        for (int t = 0; t < v.length; t++) out[t] = v[t][unit];
        return out;
    }

    private LayerGates layer(String layer) {
        LayerGates g = layers.get(layer);
        if (g == null) throw new IllegalArgumentException("no recurrent layer '" + layer + "'; traced layers: " + layers.keySet());
        return g;
    }

    private double[][] array(String layer, String gate) {
        double[][] v = layer(layer).arrays().get(gate);
        if (v == null) {
            throw new IllegalArgumentException(layer + " (" + layer(layer).kind() + ") has no '" + gate + "'; it has "
                    + layer(layer).arrays().keySet());
        }
        return v;
    }

    private Gate declared(String layer, String gate) {
        array(layer, gate); // names the layer's arrays when the gate is unknown
        return layer(layer).declared().get(gate);
    }

    private String meaning(String layer, String gate) {
        return declared(layer, gate).meaning();
    }

    private boolean isSigmoid(String layer, String gate) {
        return declared(layer, gate).range() == Gate.Range.UNIT;
    }

    /** Gates are in [0, 1]; tanh outputs in [-1, 1]; unbounded states (the cell state) are fitted. */
    private ColorScale scaleFor(String layer, String gate, double[][] v) {
        return switch (declared(layer, gate).range()) {
            case UNIT -> ColorScale.sequential(0, 1);
            case SIGNED -> ColorScale.diverging(1);
            case FREE -> ColorScale.fit(v).isDiverging() ? ColorScale.fit(v) : ColorScale.diverging(1);
        };
    }

    // ---------------------------------------------------------------- pictures

    /** Units x time heatmap of one gate, with the input tokens along the time axis. */
    public Heatmap heatmap(String layer, String gate) {
        double[][] v = array(layer, gate);
        int units = v[0].length;
        double[][] unitsByTime = new double[units][v.length];
        for (int t = 0; t < v.length; t++) for (int j = 0; j < units; j++) unitsByTime[j][t] = v[t][j];
        return Heatmap.of(unitsByTime).columns(tokens).title(layer + " (" + layer(layer).kind() + "): " + meaning(layer, gate))
                .axes("input token (time \u2192)", "unit").scale(scaleFor(layer, gate, v)).scaleLabel(meaning(layer, gate));
    }

    /** The input text coloured character by character by one unit's value (Karpathy et al. 2015). */
    public ColoredText coloredText(String layer, String gate, int unit) {
        double[] u = unit(layer, gate, unit);
        return new ColoredText(tokens, u, scaleFor(layer, gate, array(layer, gate)),
                layer + " unit " + unit + ": " + meaning(layer, gate) + " per step", spaced);
    }

    /** Per unit and gate, the fraction of steps below {@code low} and above {@code high}. */
    public SaturationChart.Fractions saturation(String layer, String gate, double low, double high) {
        double[][] v = array(layer, gate);
        int units = v[0].length;
        double[] below = new double[units], above = new double[units];
        for (double[] step : v) {
            for (int j = 0; j < units; j++) {
                if (step[j] < low) below[j] += 1.0 / v.length;
                if (step[j] > high) above[j] += 1.0 / v.length;
            }
        }
        return new SaturationChart.Fractions(below, above);
    }

    /** Saturation chart of all sigmoid gates of {@code layer} (thresholds 0.1 and 0.9). */
    public SaturationChart saturation(String layer) {
        Map<String, SaturationChart.Fractions> fr = new LinkedHashMap<>();
        for (String gate : gates(layer)) {
            if (isSigmoid(layer, gate)) fr.put(meaning(layer, gate), saturation(layer, gate, 0.1, 0.9));
        }
        if (fr.isEmpty()) {
            throw new IllegalArgumentException(layer + " (" + layer(layer).kind() + ") has no gates; saturation needs an LSTM or GRU");
        }
        return SaturationChart.of(fr).title(layer + ": gate saturation over " + tokens.size() + " steps");
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        layers.forEach((name, g) -> parts.add(name + " " + g.kind() + " " + g.arrays().values().iterator().next()[0].length
                + " units " + g.arrays().keySet()));
        return "GateTrace(" + tokens.size() + " steps; " + String.join("; ", parts) + ")";
    }
}
