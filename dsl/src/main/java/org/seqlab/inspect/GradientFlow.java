package org.seqlab.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.data.Batch;
import org.seqlab.graph.CompiledModel;
import org.seqlab.layers.Layer;
import org.seqlab.layers.Recurrent;
import org.seqlab.layers.RecurrentLayer;
import org.seqlab.layers.SeqTensor;
import org.seqlab.viz.LineChart;

/**
 * How much of the loss at the last step reaches each earlier step: the norm of dL/dh_t for every
 * step t of every recurrent layer, where L is the loss of the final step only (for per-step models
 * the other steps' losses are masked out, so the curve shows propagation through time rather than
 * each step's own loss). Vanishing gradients show as a straight fall on the log scale.
 *
 * <p>Uses the model's own backward pass (the one training runs, in evaluation mode: no dropout);
 * the parameter gradients it leaves behind are cleared.
 */
public final class GradientFlow {
    private final List<String> tokens;
    private final Map<String, double[]> norms;
    private final double loss;

    private GradientFlow(List<String> tokens, Map<String, double[]> norms, double loss) {
        this.tokens = tokens;
        this.norms = norms;
        this.loss = loss;
    }

    /**
     * @param targets batch-first targets for this one sequence, as in {@link Batch}: {@code [1, T]} class ids
     *                per step, {@code [1]} one class, {@code [1, T, n]} or {@code [1, n]} values
     */
    public static GradientFlow of(CompiledModel model, InspectInput input, INDArray targets) {
        model.resetState();
        try {
            SeqTensor x = input.tensor(model);
            SeqTensor out = model.forward(x, new org.seqlab.layers.Mode(false, false, true, new java.util.Random(0)));
            INDArray y = model.targets(new Batch(input.batchFirst(), targets, null));
            // Only the final step's loss: mask every other output row (T*1 rows, time-major).
            INDArray lastOnly = null;
            if (out.time() > 1) {
                lastOnly = Nd4j.zeros(model.dtype(), out.data().rows(), 1);
                lastOnly.putScalar(out.data().rows() - 1, 0, 1.0);
            }
            double value = model.loss().forward(new SeqTensor(out.data(), out.time(), out.batch(), lastOnly), y);
            SeqTensor grad = model.loss().backward();
            grad = new SeqTensor(grad.data(), out.time(), out.batch(), out.mask());
            model.parameters().grads().assign(0);
            List<Layer> layers = model.layers();
            for (int i = layers.size() - 1; i >= 0 && grad != null; i--) grad = layers.get(i).backward(grad);

            Map<String, double[]> norms = new LinkedHashMap<>();
            for (Layer l : Traced.unwrapped(model)) {
                if (!(l instanceof RecurrentLayer)) continue;
                INDArray g = ((Recurrent) l).stepGradients();
                if (g == null) continue;
                norms.put(l.name(), g.norm2(1).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector());
            }
            if (norms.isEmpty()) throw new IllegalStateException("the model has no recurrent layer (RNN, LSTM, GRU) to measure");
            return new GradientFlow(input.labels(), norms, value);
        } finally {
            model.parameters().grads().assign(0);
            model.resetState();
        }
    }

    public List<String> layers() {
        return List.copyOf(norms.keySet());
    }

    public List<String> tokens() {
        return tokens;
    }

    /** The loss of the final step. */
    public double loss() {
        return loss;
    }

    /** {@code |dL/dh_t|} for t = 0..T-1. */
    public double[] norms(String layer) {
        double[] n = norms.get(layer);
        if (n == null) throw new IllegalArgumentException("no recurrent layer '" + layer + "'; layers: " + norms.keySet());
        return n.clone();
    }

    /** The first recurrent layer's norms (the one furthest from the loss). */
    public double[] norms() {
        return norms(layers().get(0));
    }

    /** Norms as a function of distance from the end: index d is step T-1-d, divided by the norm at d = 0. */
    public double[] relativeByDistance(String layer) {
        double[] n = norms(layer);
        double end = n[n.length - 1];
        double[] out = new double[n.length];
        for (int d = 0; d < n.length; d++) out[d] = end > 0 ? n[n.length - 1 - d] / end : n[n.length - 1 - d];
        return out;
    }

    /** One line per recurrent layer: step t on x, {@code |dL/dh_t|} on a log y axis. */
    public LineChart chart() {
        Map<String, LineChart.Line> lines = new LinkedHashMap<>();
        norms.forEach((name, n) -> lines.put(name, new LineChart.Line(steps(n.length), n)));
        return LineChart.of(lines).logY(true).integerX(true).title("Gradient flow: |dL/dh_t| for the loss at the last step")
                .axes("time step t (loss at step " + (tokens.size() - 1) + ")", "|dL/dh_t| (log scale)");
    }

    public byte[] png() {
        return chart().png();
    }

    public java.nio.file.Path savePng(java.nio.file.Path file) {
        return chart().savePng(file);
    }

    /**
     * Several models on the same task in one chart: steps before the end on x, the gradient norm
     * relative to its value at the last step on a log y axis, one line per model (and per
     * recurrent layer when a model has several). Relative, because the absolute scale depends on
     * the output layer; what differs between a tanh RNN, a ReLU RNN with identity init, an LSTM and a
     * GRU is how fast the curve falls.
     */
    public static LineChart compare(Map<String, GradientFlow> models) {
        Map<String, LineChart.Line> lines = new LinkedHashMap<>();
        models.forEach((model, flow) -> {
            for (String layer : flow.layers()) {
                double[] rel = flow.relativeByDistance(layer);
                lines.put(flow.layers().size() == 1 ? model : model + ": " + layer, new LineChart.Line(steps(rel.length), rel));
            }
        });
        return LineChart.of(lines).logY(true).integerX(true).title("Gradient flow: how much of the last step's loss reaches earlier steps")
                .axes("steps before the end (t = T-1-d)", "|dL/dh_t| / |dL/dh_T-1| (log scale)");
    }

    private static double[] steps(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i;
        return x;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        norms.forEach((name, n) -> parts.add(String.format("%s |dL/dh| %.3g at t=0, %.3g at t=%d", name, n[0], n[n.length - 1], n.length - 1)));
        return String.format("GradientFlow(%d steps, final-step loss %.4f; %s)", tokens.size(), loss, String.join("; ", parts));
    }
}
