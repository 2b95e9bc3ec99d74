package org.seqlab.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.graph.ParameterBuffer;
import org.seqlab.layers.AttendsToMemory;
import org.seqlab.layers.Layer;
import org.seqlab.layers.Mode;
import org.seqlab.layers.SeqTensor;

/**
 * Central finite differences against a layer's hand-derived backward pass, in double precision.
 *
 * <p>The scalar checked is {@code L = sum(output * R)} for a fixed random {@code R} (zeroed at masked
 * positions of the output), so dL/d(output) = R and every output element contributes. Each parameter
 * element and each input element is perturbed by +-eps; the relative error
 * {@code |a - n| / max(|a| + |n|, 1e-8)} must stay below {@code maxRelError} wherever the absolute
 * difference exceeds {@code minAbsError} (tiny gradients are compared absolutely).
 */
public final class GradientCheck {
    public static final double EPS = 1e-6;
    public static final double MAX_REL_ERROR = 1e-4;
    public static final double MIN_ABS_ERROR = 1e-9;

    private GradientCheck() {
    }

    /** Binds and initialises a single layer in double precision; returns its parameter buffer. */
    public static ParameterBuffer bindDouble(Layer layer, long seed) {
        ParameterBuffer buffer = new ParameterBuffer(List.of(layer), DataType.DOUBLE);
        layer.initialize(new Random(seed));
        return buffer;
    }

    /** Random double input {@code [time*batch, width]} in [-1, 1). */
    public static SeqTensor randomInput(int time, int batch, int width, INDArray mask, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.DOUBLE, (long) time * batch, width).muli(2).subi(1);
        return new SeqTensor(x, time, batch, mask);
    }

    /**
     * Checks parameter and input gradients. {@code checkInput} is false for layers whose input is
     * not differentiable (token ids).
     */
    public static void check(Layer layer, ParameterBuffer buffer, SeqTensor input, boolean checkInput, long seed) {
        Mode mode = new Mode(true, false, false, new Random(seed));
        SeqTensor out = layer.forward(input, new Mode(true, false, false, new Random(seed)));
        Nd4j.getRandom().setSeed(seed + 1);
        INDArray r = Nd4j.rand(DataType.DOUBLE, out.data().shape()).subi(0.5);
        if (out.mask() != null) r.muliColumnVector(out.mask());

        buffer.grads().assign(0);
        SeqTensor gradIn = layer.backward(out.withData(r.dup()));

        StringBuilder failures = new StringBuilder();
        int checked = 0;
        for (Map.Entry<String, INDArray> e : buffer.byName().entrySet()) {
            INDArray p = e.getValue();
            INDArray analytic = buffer.gradsByName().get(e.getKey()).dup();
            INDArray flatP = p.reshape(p.length());
            for (long i = 0; i < p.length(); i++) {
                double orig = flatP.getDouble(i);
                flatP.putScalar(i, orig + EPS);
                double plus = loss(layer, input, r, seed);
                flatP.putScalar(i, orig - EPS);
                double minus = loss(layer, input, r, seed);
                flatP.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * EPS);
                double a = analytic.reshape(analytic.length()).getDouble(i);
                checked++;
                compare(e.getKey() + "[" + i + "]", a, numeric, failures);
            }
        }
        if (checkInput) {
            INDArray x = input.data();
            for (long i = 0; i < x.length(); i++) {
                long row = i / x.columns(), col = i % x.columns();
                double orig = x.getDouble(row, col);
                x.putScalar(row, col, orig + EPS);
                double plus = loss(layer, input, r, seed);
                x.putScalar(row, col, orig - EPS);
                double minus = loss(layer, input, r, seed);
                x.putScalar(row, col, orig);
                double numeric = (plus - minus) / (2 * EPS);
                double a = gradIn.data().getDouble(row, col);
                checked++;
                compare("input[" + row + "," + col + "]", a, numeric, failures);
            }
        }
        assertTrue(checked > 0, "nothing was checked");
        assertTrue(failures.length() == 0, layer.kind() + " gradient check failed:\n" + failures);
    }

    /**
     * For a layer that attends to a memory: checks dL/d(memory) ({@link AttendsToMemory#memoryGradient()})
     * by perturbing each memory element (and giving the layer the perturbed memory again), with the
     * same scalar as {@link #check}. Parameters and input are checked by {@link #check}.
     */
    public static <L extends Layer & AttendsToMemory> void checkMemory(L layer, ParameterBuffer buffer, SeqTensor input,
                                                                      SeqTensor memory, long seed) {
        layer.attendTo(memory);
        SeqTensor out = layer.forward(input, new Mode(true, false, false, new Random(seed)));
        Nd4j.getRandom().setSeed(seed + 1);
        INDArray r = Nd4j.rand(DataType.DOUBLE, out.data().shape()).subi(0.5);
        if (out.mask() != null) r.muliColumnVector(out.mask());
        buffer.grads().assign(0);
        layer.backward(out.withData(r.dup()));
        INDArray analytic = layer.memoryGradient().dup();
        StringBuilder failures = new StringBuilder();
        INDArray m = memory.data();
        for (long row = 0; row < m.rows(); row++) {
            for (long col = 0; col < m.columns(); col++) {
                double orig = m.getDouble(row, col);
                m.putScalar(row, col, orig + EPS);
                layer.attendTo(memory);
                double plus = loss(layer, input, r, seed);
                m.putScalar(row, col, orig - EPS);
                layer.attendTo(memory);
                double minus = loss(layer, input, r, seed);
                m.putScalar(row, col, orig);
                compare("memory[" + row + "," + col + "]", analytic.getDouble(row, col), (plus - minus) / (2 * EPS), failures);
            }
        }
        layer.attendTo(memory);
        assertTrue(failures.length() == 0, layer.kind() + " memory gradient check failed:\n" + failures);
    }

    /**
     * A whole model: {@code backward} fills {@code buffer}'s gradients for the scalar that {@code loss}
     * evaluates; every parameter element is perturbed by +-eps and the loss evaluated again.
     */
    public static void checkModel(String what, ParameterBuffer buffer, java.util.function.DoubleSupplier loss, Runnable backward) {
        buffer.grads().assign(0);
        backward.run();
        StringBuilder failures = new StringBuilder();
        int checked = 0;
        for (Map.Entry<String, INDArray> e : buffer.byName().entrySet()) {
            INDArray flatP = e.getValue().reshape(e.getValue().length());
            INDArray analytic = buffer.gradsByName().get(e.getKey()).dup();
            INDArray flatA = analytic.reshape(analytic.length());
            for (long i = 0; i < flatP.length(); i++) {
                double orig = flatP.getDouble(i);
                flatP.putScalar(i, orig + EPS);
                double plus = loss.getAsDouble();
                flatP.putScalar(i, orig - EPS);
                double minus = loss.getAsDouble();
                flatP.putScalar(i, orig);
                checked++;
                compare(e.getKey() + "[" + i + "]", flatA.getDouble(i), (plus - minus) / (2 * EPS), failures);
            }
        }
        assertTrue(checked > 0, "nothing was checked");
        assertTrue(failures.length() == 0, what + " gradient check failed:\n" + failures);
    }

    private static double loss(Layer layer, SeqTensor input, INDArray r, long seed) {
        SeqTensor out = layer.forward(input, new Mode(true, false, false, new Random(seed)));
        return out.data().mul(r).sumNumber().doubleValue();
    }

    private static void compare(String what, double analytic, double numeric, StringBuilder failures) {
        double abs = Math.abs(analytic - numeric);
        if (abs <= MIN_ABS_ERROR) return;
        double rel = abs / Math.max(Math.abs(analytic) + Math.abs(numeric), 1e-8);
        if (rel > MAX_REL_ERROR && failures.length() < 4000) {
            failures.append(String.format("  %s analytic=%.10g numeric=%.10g rel=%.3g%n", what, analytic, numeric, rel));
        }
    }
}
