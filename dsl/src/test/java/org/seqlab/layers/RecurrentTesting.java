package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.graph.ParameterBuffer;
import org.seqlab.testing.GradientCheck;
import org.seqlab.testing.TorchFixture;

/** Shared checks of the recurrent layer tests: PyTorch parity, stepping, masks. */
final class RecurrentTesting {
    static final int T = 4, B = 3, IN = 3, H = 4;

    private RecurrentTesting() {
    }

    /** Time-major mask of right-padded sequences with the given lengths. */
    static INDArray mask(int time, int... lengths) {
        INDArray m = Nd4j.zeros(DataType.DOUBLE, (long) time * lengths.length, 1);
        for (int t = 0; t < time; t++) {
            for (int b = 0; b < lengths.length; b++) if (t < lengths[b]) m.putScalar((long) t * lengths.length + b, 0, 1.0);
        }
        return m;
    }

    /** A random {@code [B, H]} state in [-0.5, 0.5). */
    static INDArray randomState(int batch, int hidden, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, batch, hidden).subi(0.5);
    }

    static void gradientCheck(Layer layer, INDArray mask, List<INDArray> initialState, long seed) {
        ParameterBuffer buffer = GradientCheck.bindDouble(layer, seed);
        if (initialState != null) {
            if (layer instanceof Bidirectional bi) bi.setInitialState(initialState);
            else ((RecurrentLayer) layer).setInitialState(initialState);
        }
        GradientCheck.check(layer, buffer, GradientCheck.randomInput(T, B, IN, mask, seed + 7), true, seed);
    }

    static void assertClose(String what, INDArray expected, INDArray actual, double tol) {
        assertEquals(expected.length(), actual.length(), what + ": sizes differ");
        INDArray e = expected.castTo(DataType.DOUBLE).reshape(expected.length());
        INDArray a = actual.castTo(DataType.DOUBLE).dup('c').reshape(actual.length());
        double max = absMaxDiff(e, a);
        assertTrue(max <= tol, what + ": max abs diff " + max + " > " + tol);
    }

    private static double absMaxDiff(INDArray e, INDArray a) {
        return e.sub(a).amaxNumber().doubleValue();
    }

    /**
     * Loads a fixture of recurrent_reference.py, maps the torch weights into {@code layer} (a single
     * RNN/LSTM/GRU, or a Bidirectional), runs forward and backward in {@code type} and compares the
     * output, final states, input, initial state and parameter gradients.
     */
    static void torchParity(String fixture, Layer layer, DataType type, double tol) {
        TorchFixture f = TorchFixture.load("/reference/" + fixture + ".txt");
        ParameterBuffer buffer = new ParameterBuffer(List.of(layer), type);
        layer.initialize(new Random(1));
        boolean bi = layer instanceof Bidirectional;
        RecurrentLayer first = bi ? ((Bidirectional) layer).forwardLayer() : (RecurrentLayer) layer;
        boolean gru = first instanceof Gru;
        boolean lstm = first instanceof Lstm;
        String[] prefixes = bi ? new String[] {"fw_", "bw_"} : new String[] {""};
        String[] suffixes = {"", "_reverse"};

        List<INDArray> init = new ArrayList<>();
        for (int d = 0; d < prefixes.length; d++) {
            String p = layer.name() + "/" + prefixes[d], s = suffixes[d];
            buffer.byName().get(p + "W_ih").assign(f.get("weight_ih_l0" + s).transpose());
            buffer.byName().get(p + "W_hh").assign(f.get("weight_hh_l0" + s).transpose());
            if (gru) {
                buffer.byName().get(p + "b_ih").assign(f.get("bias_ih_l0" + s));
                buffer.byName().get(p + "b_hh").assign(f.get("bias_hh_l0" + s));
            } else {
                buffer.byName().get(p + "b").assign(f.get("bias_ih_l0" + s).add(f.get("bias_hh_l0" + s)));
            }
            init.add(f.get("h0_" + d, type));
            if (lstm) init.add(f.get("c0_" + d, type));
        }
        if (bi) ((Bidirectional) layer).setInitialState(init);
        else first.setInitialState(init);

        INDArray x = f.get("x", type);
        INDArray mask = f.get("mask");
        int time = (int) (x.rows() / B);
        SeqTensor input = new SeqTensor(x, time, B, mask.minNumber().doubleValue() < 1 ? mask.castTo(type) : null);
        SeqTensor out = layer.forward(input, Mode.train(new Random(0)));
        assertEquals(type, out.data().dataType());
        assertClose(fixture + " output", f.get("out"), out.data(), tol);

        List<INDArray> fin = bi ? ((Bidirectional) layer).finalState() : first.finalState();
        int k = 0;
        for (int d = 0; d < prefixes.length; d++) {
            assertClose(fixture + " final h" + d, f.get("hn_" + d), fin.get(k++), tol);
            if (lstm) assertClose(fixture + " final c" + d, f.get("cn_" + d), fin.get(k++), tol);
        }

        buffer.grads().assign(0);
        SeqTensor dx = layer.backward(out.withData(f.get("R", type)));
        assertClose(fixture + " dx", f.get("dx"), dx.data(), tol);
        List<INDArray> dInit = bi ? ((Bidirectional) layer).initialStateGradients() : first.initialStateGradients();
        k = 0;
        for (int d = 0; d < prefixes.length; d++) {
            String p = layer.name() + "/" + prefixes[d], s = suffixes[d];
            assertClose(fixture + " dh0_" + d, f.get("dh0_" + d), dInit.get(k++), tol);
            if (lstm) assertClose(fixture + " dc0_" + d, f.get("dc0_" + d), dInit.get(k++), tol);
            assertClose(fixture + " dW_ih" + s, f.get("d_weight_ih_l0" + s).transpose(), buffer.gradsByName().get(p + "W_ih"), tol);
            assertClose(fixture + " dW_hh" + s, f.get("d_weight_hh_l0" + s).transpose(), buffer.gradsByName().get(p + "W_hh"), tol);
            if (gru) {
                assertClose(fixture + " db_ih" + s, f.get("d_bias_ih_l0" + s), buffer.gradsByName().get(p + "b_ih"), tol);
                assertClose(fixture + " db_hh" + s, f.get("d_bias_hh_l0" + s), buffer.gradsByName().get(p + "b_hh"), tol);
            } else {
                assertClose(fixture + " db" + s, f.get("d_bias_ih_l0" + s), buffer.gradsByName().get(p + "b"), tol);
            }
        }
    }

    /** Parity in double (1e-5) and float (1e-4); a fresh layer from {@code make} for each. */
    static void torchParity(String fixture, java.util.function.Supplier<Layer> make) {
        torchParity(fixture, make.get(), DataType.DOUBLE, 1e-5);
        torchParity(fixture, make.get(), DataType.FLOAT, 1e-4);
    }

    /**
     * The recorded h is the training output; one full forward equals stepping one step at a time
     * with carried state, and equals two truncated-BPTT chunks.
     */
    static void recordAndStepping(RecurrentLayer layer) {
        int time = 6;
        GradientCheck.bindDouble(layer, 11);
        SeqTensor input = GradientCheck.randomInput(time, B, IN, null, 12);
        SeqTensor full = layer.forward(input, Mode.train(new Random(0)).withRecord(true));
        assertClose("recorded h", full.data(), layer.recorded().get("h"), 0);
        List<INDArray> fullFinal = layer.finalState();

        layer.resetState();
        Mode step = Mode.eval().withCarryState(true);
        INDArray stepped = Nd4j.create(DataType.DOUBLE, (long) time * B, H);
        for (int t = 0; t < time; t++) {
            SeqTensor one = new SeqTensor(input.step(t).dup(), 1, B, null);
            SeqTensor o = layer.forward(one, step);
            SeqTensor.stepOf(stepped, t, B).assign(o.data());
        }
        assertClose("stepped outputs", full.data(), stepped, 1e-12);
        for (int s = 0; s < fullFinal.size(); s++) assertClose("stepped final state", fullFinal.get(s), layer.finalState().get(s), 1e-12);

        layer.resetState();
        INDArray firstRows = input.data().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2L * B),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        INDArray restRows = input.data().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2L * B, (long) time * B),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        SeqTensor a = layer.forward(new SeqTensor(firstRows, 2, B, null), step);
        SeqTensor b = layer.forward(new SeqTensor(restRows, time - 2, B, null), step);
        assertClose("chunked outputs", full.data(), Nd4j.vstack(a.data(), b.data()), 1e-12);

        // A carried state of another batch size is not used: a fresh start from zeros.
        layer.resetState();
        SeqTensor zeroStart = layer.forward(new SeqTensor(input.step(0).dup(), 1, B, null), Mode.eval());
        layer.forward(new SeqTensor(input.data().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup(), 1, 2, null), step);
        SeqTensor again = layer.forward(new SeqTensor(input.step(0).dup(), 1, B, null), step);
        assertClose("batch change starts from zeros", zeroStart.data(), again.data(), 1e-12);
    }

    /** Step gradients: the last step's equals dL/dout there; padded steps are zero; masked outputs are zero. */
    static void stepGradientsAndMaskedOutputs(RecurrentLayer layer) {
        GradientCheck.bindDouble(layer, 21);
        INDArray m = mask(T, 4, 2, 1);
        SeqTensor input = GradientCheck.randomInput(T, B, IN, m, 22);
        SeqTensor out = layer.forward(input, Mode.train(new Random(0)));
        assertClose("masked output rows", Nd4j.zeros(DataType.DOUBLE, out.data().shape()), out.data().mulColumnVector(m.rsub(1.0)), 0);
        INDArray r = Nd4j.rand(DataType.DOUBLE, out.data().shape()).mulColumnVector(m);
        layer.backward(out.withData(r));
        INDArray g = layer.stepGradients();
        assertClose("step gradient of the last step", SeqTensor.stepOf(r, T - 1, B), SeqTensor.stepOf(g, T - 1, B), 0);
        assertClose("step gradients at padded steps", Nd4j.zeros(DataType.DOUBLE, g.shape()), g.mulColumnVector(m.rsub(1.0)), 0);
        // The final state of a padded sequence is its state at its last real step.
        INDArray h = out.data();
        assertClose("final state of a padded sequence", h.getRow(1 * B + 1), layer.finalState().get(0).getRow(1), 0);
        assertClose("final state of a padded sequence", h.getRow(0 * B + 2), layer.finalState().get(0).getRow(2), 0);
    }
}
