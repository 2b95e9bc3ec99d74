package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.graph.ParameterBuffer;

/**
 * A recurrent pass split over a {@link StepTeam} (each member its share of the hidden units, one
 * barrier per step) computes what the single-threaded pass computes: outputs, final states, recorded
 * gates, input, initial-state and parameter gradients, with padded rows, an initial state, both time
 * directions, and hidden sizes that do not split evenly. The single-threaded pass is the one the
 * gradient checks and PyTorch parity tests cover.
 */
class SharedStepsTest {
    private static final int T = 7, IN = 6;
    /** Batch of the splits by hidden units (too few rows to split them), and of the splits by rows. */
    private static final int B = 5, ROWS_B = 17;

    @Test
    void lstmSplitEqualsOneThread() {
        compare(() -> new Lstm("lstm_1", IN, 64), 2);
    }

    @Test
    void gruSplitEqualsOneThread() {
        compare(() -> new Gru("gru_1", IN, 65), 2);   // shares of 33 and 32 units
    }

    @Test
    void tanhRnnSplitEqualsOneThread() {
        compare(() -> new SimpleRnn("rnn_1", IN, 70, Activation.TANH, false), 2);
    }

    @Test
    void bidirectionalSplitEqualsOneThread() {
        compare(() -> new Bidirectional("bi_1", new Lstm("fw", IN, 64), new Lstm("bw", IN, 64)), 2);
    }

    /** A batch of 17 splits into rows 0..8 and 9..16, each share all units and no barrier. */
    @Test
    void rowSplitsEqualOneThread() {
        compare(() -> new Lstm("lstm_1", IN, 40), 2, ROWS_B);
        compare(() -> new Gru("gru_1", IN, 24), 2, ROWS_B);
        compare(() -> new SimpleRnn("rnn_1", IN, 30, Activation.TANH, false), 2, ROWS_B);
        compare(() -> new Bidirectional("bi_1", new Lstm("fw", IN, 16), new Lstm("bw", IN, 16)), 2, ROWS_B);
    }

    @Test
    void smallLayersStayOnOneThread() {
        Blas.setThreads(2);
        try {
            Lstm small = new Lstm("lstm_1", IN, 40);   // below two shares of 32
            run(small, DataType.DOUBLE);
            assertEquals(2, Blas.threads(), "the BLAS thread count is restored after a pass");
        } finally {
            Blas.setThreads(1);
        }
    }

    @Test
    void aFailingMemberFailsThePassAndTheTeamGoesOn() {
        StepTeam team = StepTeam.of(2);
        IllegalStateException boom = new IllegalStateException("boom");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> team.run(k -> {
            team.await();
            if (k == 1) throw boom;
            for (int i = 0; i < 1000; i++) team.await(); // member 0 waits for a step that never comes
        }));
        assertSame(boom, thrown, "the member's own exception reaches the caller");

        AtomicIntegerArray seen = new AtomicIntegerArray(2 * 50);
        team.run(k -> {
            for (int step = 0; step < 50; step++) {
                seen.set(step * 2 + k, 1);
                team.await();
                // after the barrier every member has marked this step
                assertTrue(seen.get(step * 2) == 1 && seen.get(step * 2 + 1) == 1, "barrier at step " + step);
            }
        });
    }

    /** Runs a fresh layer on one thread and on {@code threads}, in double and float, and compares everything. */
    private static void compare(Supplier<Layer> make, int threads) {
        compare(make, threads, B);
    }

    private static void compare(Supplier<Layer> make, int threads, int batch) {
        long minShareMacs = RecurrentLayer.minShareMacs;
        RecurrentLayer.minShareMacs = 0; // these layers are small: split them anyway
        try {
            compareTypes(make, threads, batch);
        } finally {
            RecurrentLayer.minShareMacs = minShareMacs;
        }
    }

    private static void compareTypes(Supplier<Layer> make, int threads, int batch) {
        for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            List<INDArray> one = run(make.get(), type, batch);
            Blas.setThreads(threads);
            List<INDArray> split;
            try {
                split = run(make.get(), type, batch);
            } finally {
                Blas.setThreads(1);
            }
            assertEquals(one.size(), split.size());
            double tol = type == DataType.DOUBLE ? 1e-12 : 2e-5;
            for (int i = 0; i < one.size(); i++) {
                LayerTestSupport.assertClose(one.get(i), split.get(i), tol, type + " result " + i);
            }
        }
    }

    /** Forward (recording) and backward twice (the second reuses the buffers); every result, in order. */
    private static List<INDArray> run(Layer layer, DataType type) {
        return run(layer, type, B);
    }

    private static List<INDArray> run(Layer layer, DataType type, int B) {
        ParameterBuffer buffer = new ParameterBuffer(List.of(layer), type);
        layer.initialize(new Random(3));
        RecurrentLayer first = layer instanceof Bidirectional bi ? bi.forwardLayer() : (RecurrentLayer) layer;
        int hidden = first.hiddenSize();
        List<INDArray> init = new ArrayList<>();
        int directions = layer instanceof Bidirectional ? 2 : 1;
        for (int d = 0; d < directions; d++) {
            init.add(RecurrentTesting.randomState(B, hidden, 40 + d).castTo(type));
            if (first instanceof Lstm) init.add(RecurrentTesting.randomState(B, hidden, 50 + d).castTo(type));
        }
        if (layer instanceof Bidirectional bi) bi.setInitialState(init);
        else first.setInitialState(init);

        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.DOUBLE, (long) T * B, IN).subi(0.5).castTo(type);
        int[] lengths = new int[B];
        int[] some = {7, 3, 5, 1, 7};
        for (int b = 0; b < B; b++) lengths[b] = b < some.length ? some[b] : 1 + (3 * b) % T;
        INDArray mask = LayerTestSupport.mask(T, lengths).castTo(type);
        List<INDArray> results = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            buffer.grads().assign(0);
            SeqTensor out = layer.forward(new SeqTensor(x, T, B, mask), Mode.train(new Random(0)).withRecord(true));
            results.add(out.data().dup());
            if (layer instanceof Bidirectional bi) bi.finalState().forEach(s -> results.add(s.dup()));
            else first.finalState().forEach(s -> results.add(s.dup()));
            for (Map.Entry<String, INDArray> e : new java.util.TreeMap<>(layer.recorded()).entrySet()) {
                results.add(e.getValue().dup());
            }
            Nd4j.getRandom().setSeed(10);
            INDArray r = Nd4j.rand(DataType.DOUBLE, out.data().shape()).subi(0.5).castTo(type);
            results.add(layer.backward(out.withData(r)).data().dup());
            if (layer instanceof Bidirectional bi) bi.initialStateGradients().forEach(s -> results.add(s.dup()));
            else first.initialStateGradients().forEach(s -> results.add(s.dup()));
            results.add(buffer.grads().dup());
        }
        return results;
    }
}
