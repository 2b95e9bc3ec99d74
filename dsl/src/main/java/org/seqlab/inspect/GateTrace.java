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
import org.seqlab.viz.LineChart;
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
        checkUnit(layer, v, unit);
        return UnitStats.column(v, unit);
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

    /** Gates are in [0, 1]; tanh outputs in [-1, 1]; unbounded states (the cell state) are fitted to the values shown. */
    private ColorScale scaleFor(String layer, String gate, double[][] v) {
        return switch (declared(layer, gate).range()) {
            case UNIT -> ColorScale.sequential(0, 1);
            case SIGNED -> ColorScale.diverging(1);
            case FREE -> ColorScale.fit(v).isDiverging() ? ColorScale.fit(v) : ColorScale.diverging(1);
        };
    }

    // ---------------------------------------------------------------- pictures

    /**
     * Units x time heatmap of one gate, every unit, the input tokens along the time axis. Units are
     * sorted by their mean value over the steps shown (highest first; row labels keep the unit
     * numbers), so the picture reads as a few bands rather than noise. For a readable picture of a
     * long text, pick units ({@link #heatmap(String, String, int...)} with {@link #mostVariable} or
     * {@link #correlated}) and steps ({@link #steps}): every token gets a label up to about 50 steps.
     */
    public Heatmap heatmap(String layer, String gate) {
        return heatmap(layer, gate, UnitStats.byMean(array(layer, gate)), "unit (sorted by mean " + gate + ")");
    }

    /** Units x time heatmap of the given units, in the given order, every token on the time axis. */
    public Heatmap heatmap(String layer, String gate, int... units) {
        if (units.length == 0) throw new IllegalArgumentException("name at least one unit, e.g. heatmap(\"" + layer + "\", \"" + gate + "\", 0, 1, 2)");
        return heatmap(layer, gate, units, "unit");
    }

    private Heatmap heatmap(String layer, String gate, int[] units, String yTitle) {
        double[][] v = array(layer, gate);
        double[][] unitsByTime = new double[units.length][v.length];
        List<String> rowLabels = new ArrayList<>();
        for (int r = 0; r < units.length; r++) {
            checkUnit(layer, v, units[r]);
            for (int t = 0; t < v.length; t++) unitsByTime[r][t] = v[t][units[r]];
            rowLabels.add(String.valueOf(units[r]));
        }
        return Heatmap.of(unitsByTime).rows(rowLabels).columns(tokens).title(layer + " (" + layer(layer).kind() + "): " + meaning(layer, gate))
                .axes("input token (time \u2192)", yTitle).scale(scaleFor(layer, gate, unitsByTime)).scaleLabel(meaning(layer, gate));
    }

    private static void checkUnit(String layer, double[][] v, int unit) {
        if (unit < 0 || unit >= v[0].length) {
            throw new IllegalArgumentException(layer + " has units 0.." + (v[0].length - 1) + ", not " + unit);
        }
    }

    // ---------------------------------------------------------------- finding the units that matter

    /** The {@code k} units whose {@code gate} varies most over the steps (standard deviation), most first. */
    public int[] mostVariable(String layer, String gate, int k) {
        double[][] v = array(layer, gate);
        double[] spread = new double[v[0].length];
        for (int j = 0; j < spread.length; j++) spread[j] = UnitStats.standardDeviation(UnitStats.column(v, j));
        return UnitStats.byDescending(spread, k);
    }

    /**
     * Pearson correlation over the steps between each unit's {@code gate} and a quantity known at
     * every step (bracket depth, a position, a flag): one value per unit in [-1, 1], 0 for a unit
     * that does not move.
     */
    public double[] correlation(String layer, String gate, double[] quantity) {
        double[][] v = array(layer, gate);
        if (quantity.length != v.length) {
            throw new IllegalArgumentException("the quantity has " + quantity.length + " values but the trace has "
                    + v.length + " steps; give one value per input token");
        }
        double[] r = new double[v[0].length];
        for (int j = 0; j < r.length; j++) r[j] = UnitStats.pearson(UnitStats.column(v, j), quantity);
        return r;
    }

    /** The {@code k} units most correlated (either sign) with {@code quantity}, strongest first. */
    public int[] correlated(String layer, String gate, double[] quantity, int k) {
        double[] r = correlation(layer, gate, quantity);
        double[] strength = new double[r.length];
        for (int j = 0; j < r.length; j++) strength[j] = Math.abs(r[j]);
        return UnitStats.byDescending(strength, k);
    }

    /**
     * The given units' {@code gate} and the known quantity over the input, one line each, every token
     * labelled. All lines are standardised (mean 0, standard deviation 1) so they share an axis, and
     * units that correlate negatively are drawn flipped (named with a minus), so a unit that tracks
     * the quantity lies on top of it.
     */
    public LineChart unitChart(String layer, String gate, String quantityName, double[] quantity, int... units) {
        double[] r = correlation(layer, gate, quantity);
        double[] x = new double[tokens.size()];
        for (int t = 0; t < x.length; t++) x[t] = t;
        Map<String, LineChart.Line> lines = new LinkedHashMap<>();
        lines.put(quantityName, new LineChart.Line(x, UnitStats.standardised(quantity, 1)));
        double[][] v = array(layer, gate);
        for (int unit : units) {
            checkUnit(layer, v, unit);
            boolean flip = r[unit] < 0;
            String name = String.format(java.util.Locale.ROOT, "%sunit %d %s (r = %.2f)", flip ? "\u2212" : "", unit, gate, r[unit]);
            lines.put(name, new LineChart.Line(x, UnitStats.standardised(UnitStats.column(v, unit), flip ? -1 : 1)));
        }
        return LineChart.of(lines).xLabels(tokens).color(quantityName, java.awt.Color.BLACK)
                .title(layer + ": " + meaning(layer, gate) + " of selected units against " + quantityName)
                .axes("input token (time \u2192)", "standardised value");
    }

    /**
     * One unit's gates over the input, one line per gate (LSTM i, f, g, o; GRU r, z, n), every token
     * labelled: how that unit decides what to write, keep and show at each step.
     */
    public LineChart unitGates(String layer, int unit) {
        Map<String, LineChart.Line> lines = new LinkedHashMap<>();
        double[] x = new double[tokens.size()];
        for (int t = 0; t < x.length; t++) x[t] = t;
        for (String gate : gates(layer)) {
            if (gate.equals("c") || gate.equals("h")) continue;
            double[][] v = array(layer, gate);
            checkUnit(layer, v, unit);
            lines.put(meaning(layer, gate), new LineChart.Line(x, UnitStats.column(v, unit)));
        }
        if (lines.isEmpty()) throw new IllegalArgumentException(layer + " (" + layer(layer).kind() + ") has no gates; an LSTM or GRU has");
        return LineChart.of(lines).xLabels(tokens).title(layer + " unit " + unit + ": its gates at every token")
                .axes("input token (time \u2192)", "gate value");
    }

    /** The same trace for steps {@code from} (inclusive) to {@code to} (exclusive): shorter pictures. */
    public GateTrace steps(int from, int to) {
        if (from < 0 || to > tokens.size() || from >= to) {
            throw new IllegalArgumentException("steps(" + from + ", " + to + "): the trace has steps 0.." + tokens.size()
                    + "; give 0 <= from < to <= " + tokens.size());
        }
        Map<String, LayerGates> cut = new LinkedHashMap<>();
        layers.forEach((name, g) -> {
            Map<String, double[][]> arrays = new LinkedHashMap<>();
            g.arrays().forEach((k, v) -> arrays.put(k, java.util.Arrays.copyOfRange(v, from, to)));
            cut.put(name, new LayerGates(g.kind(), arrays, g.declared()));
        });
        return new GateTrace(List.copyOf(tokens.subList(from, to)), spaced, cut);
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
