package org.seqlab.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.seqlab.Model;
import org.seqlab.Seq;
import org.seqlab.data.Vocab;
import org.seqlab.graph.CompiledModel;
import org.seqlab.layers.Layer;
import org.seqlab.layers.Mode;
import org.seqlab.layers.SeqTensor;
import org.seqlab.viz.ColoredText;
import org.seqlab.viz.Heatmap;

class GateTraceTest {
    static final Vocab VOCAB = Vocab.chars("abcdefghij klmnopt.\n");
    static final String TEXT = "a big cat. hop on\nlamp";

    static Model lstm() {
        return Seq.model().vocab(VOCAB).embed(8).lstm(12).softmax().seed(3).build();
    }

    static Model gru() {
        return Seq.model().vocab(VOCAB).embed(8).gru(10).softmax().seed(4).build();
    }

    @Test
    void forgetBiasOfHundredKeepsForgetGateOpen() {
        Model m = lstm();
        INDArray b = m.params().get("lstm_1/b");
        b.get(NDArrayIndex.interval(12, 24)).assign(100); // gate blocks i, f, g, o: f is the second
        GateTrace trace = m.gates(TEXT);
        for (double[] step : trace.values("lstm_1", "f")) for (double f : step) assertEquals(1.0, f, 1e-6);
        assertEquals(1.0, trace.saturation("lstm_1", "f", 0.1, 0.9).aboveHigh()[5], 1e-12);
    }

    /** Runs the layers as training does (Mode.train) and returns the output of layer {@code index}. */
    static double[][] trainingPathOutput(Model m, String text, int index) {
        CompiledModel g = m.graph();
        int[] ids = VOCAB.encodeStrict(text);
        INDArray x = org.nd4j.linalg.factory.Nd4j.createFromArray(new int[][] {ids}).castTo(DataType.FLOAT);
        SeqTensor t = g.inputs(x, null);
        g.resetState();
        List<Layer> layers = g.layers();
        for (int i = 0; i <= index; i++) t = layers.get(i).forward(t, Mode.train(new Random(1)));
        g.resetState();
        return t.data().castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    @Test
    void lstmHiddenStateEqualsTrainingOutputAndGatesObeyTheEquations() {
        Model m = lstm();
        GateTrace trace = m.gates(TEXT);
        double[][] h = trace.values("lstm_1", "h");
        double[][] trained = trainingPathOutput(m, TEXT, 1);
        for (int t = 0; t < h.length; t++) assertArrayEquals(trained[t], h[t], 1e-6, "h at step " + t);

        double[][] i = trace.values("lstm_1", "i"), f = trace.values("lstm_1", "f"), g = trace.values("lstm_1", "g"),
                o = trace.values("lstm_1", "o"), c = trace.values("lstm_1", "c");
        for (int t = 0; t < h.length; t++) {
            for (int j = 0; j < 12; j++) {
                double prev = t == 0 ? 0 : c[t - 1][j];
                assertEquals(f[t][j] * prev + i[t][j] * g[t][j], c[t][j], 1e-5, "c_t = f c_{t-1} + i g");
                assertEquals(o[t][j] * Math.tanh(c[t][j]), h[t][j], 1e-5, "h_t = o tanh(c_t)");
                assertTrue(i[t][j] > 0 && i[t][j] < 1 && Math.abs(g[t][j]) < 1);
            }
        }
        assertEquals(List.of("i", "f", "g", "o", "c", "h"), trace.gates("lstm_1"));
        assertEquals(VOCAB.encodeStrict(TEXT).length, trace.tokens().size());
    }

    @Test
    void gruGatesMatchTrainingPath() {
        Model m = gru();
        GateTrace trace = m.gates(VOCAB.encodeStrict(TEXT));
        double[][] h = trace.values("gru_1", "h"), z = trace.values("gru_1", "z"), n = trace.values("gru_1", "n");
        double[][] trained = trainingPathOutput(m, TEXT, 1);
        for (int t = 0; t < h.length; t++) {
            assertArrayEquals(trained[t], h[t], 1e-6);
            for (int j = 0; j < 10; j++) {
                double prev = t == 0 ? 0 : h[t - 1][j];
                assertEquals((1 - z[t][j]) * n[t][j] + z[t][j] * prev, h[t][j], 1e-5, "h = (1-z) n + z h_prev");
            }
        }
        assertEquals(List.of("r", "z", "n", "h"), trace.gates("gru_1"));
    }

    @Test
    void simpleRnnShowsItsDeclaredState() {
        Model m = Seq.model().vocab(VOCAB).embed(6).rnn(7).softmax().seed(6).build();
        GateTrace trace = m.gates(TEXT);
        assertEquals(List.of("h"), trace.gates("rnn_1"));
        assertArrayEquals(trainingPathOutput(m, TEXT, 1)[4], trace.values("rnn_1", "h")[4], 1e-6);
        // no sigmoid gate, so nothing to saturate
        assertThrows(IllegalArgumentException.class, () -> trace.saturation("rnn_1"));
    }

    @Test
    void bidirectionalShowsBothDirections() {
        Model m = Seq.model().vocab(VOCAB).embed(6).bidirectional(Seq.lstm(5)).softmax().seed(5).build();
        GateTrace trace = m.gates(TEXT);
        assertEquals(2, trace.layers().size(), trace.toString());
        assertTrue(trace.layers().get(0).endsWith("_fw") && trace.layers().get(1).endsWith("_bw"), trace.layers().toString());
    }

    @Test
    void picturesDecodeAtTheirSize() {
        GateTrace trace = lstm().gates(TEXT);
        Heatmap h = trace.heatmap("lstm_1", "f");
        Pngs.decode(h.png(), h.width(), h.height());
        ColoredText ct = trace.coloredText("lstm_1", "h", 3);
        assertTrue(ct.html().contains("lstm_1 unit 3"));
        Pngs.decode(ct.png(), ct.width(), ct.height());
        Pngs.decode(trace.saturation("lstm_1").png(), 620, 560);
        assertTrue(trace.toString().startsWith("GateTrace(" + TEXT.length() + " steps; lstm_1 LSTM 12 units"), trace.toString());
    }

    @Test
    void correlationFindsTheUnitThatTracksAKnownQuantityEitherSign() {
        GateTrace trace = lstm().gates(TEXT);
        double[] known = trace.unit("lstm_1", "c", 5);
        double[] r = trace.correlation("lstm_1", "c", known);
        assertEquals(1.0, r[5], 1e-9);
        assertEquals(5, trace.correlated("lstm_1", "c", known, 3)[0]);
        double[] negated = new double[known.length];
        for (int t = 0; t < known.length; t++) negated[t] = -2 * known[t] + 7; // same information, flipped and shifted
        assertEquals(-1.0, trace.correlation("lstm_1", "c", negated)[5], 1e-9);
        assertEquals(5, trace.correlated("lstm_1", "c", negated, 1)[0], "strength counts, not sign");
        for (double v : r) assertTrue(v >= -1 - 1e-12 && v <= 1 + 1e-12);
        assertThrows(IllegalArgumentException.class, () -> trace.correlation("lstm_1", "c", new double[3]));
        // a flipped unit is named with a minus and drawn over the quantity
        var chart = trace.unitChart("lstm_1", "c", "known", negated, 5, 2);
        assertTrue(chart.toString().contains("\u2212unit 5 c (r = -1.00)"), chart.toString());
    }

    @Test
    void mostVariableUnitsComeFirstAndStepsCutTheTrace() {
        GateTrace trace = lstm().gates(TEXT);
        int[] top = trace.mostVariable("lstm_1", "f", 12);
        double previous = Double.POSITIVE_INFINITY;
        for (int unit : top) {
            double[] u = trace.unit("lstm_1", "f", unit);
            double mean = java.util.Arrays.stream(u).average().orElseThrow();
            double sd = Math.sqrt(java.util.Arrays.stream(u).map(v -> (v - mean) * (v - mean)).average().orElseThrow());
            assertTrue(sd <= previous + 1e-12, "sorted by spread");
            previous = sd;
        }
        GateTrace part = trace.steps(3, 10);
        assertEquals(trace.tokens().subList(3, 10), part.tokens());
        assertArrayEquals(trace.values("lstm_1", "i")[3], part.values("lstm_1", "i")[0], 0);
        assertEquals(7, part.values("lstm_1", "h").length);
        assertThrows(IllegalArgumentException.class, () -> trace.steps(5, 5));
    }

    @Test
    void heatmapsLabelEveryTokenAndSortOrPickUnits() {
        GateTrace trace = lstm().gates(TEXT);
        Heatmap all = trace.heatmap("lstm_1", "f");
        assertEquals(1, all.columnLabelStep(), "each of " + TEXT.length() + " characters has its label");
        // rows sorted by mean forget gate, labelled with the real unit numbers
        double[][] f = trace.values("lstm_1", "f");
        double last = Double.POSITIVE_INFINITY;
        for (String label : all.rowLabels()) {
            int unit = Integer.parseInt(label);
            double mean = 0;
            for (double[] step : f) mean += step[unit] / f.length;
            assertTrue(mean <= last + 1e-12, "rows by descending mean");
            last = mean;
        }
        Heatmap picked = trace.heatmap("lstm_1", "o", 7, 2);
        assertEquals(List.of("7", "2"), picked.rowLabels());
        assertEquals(trace.tokens(), picked.columnLabels());
        assertThrows(IllegalArgumentException.class, () -> trace.heatmap("lstm_1", "o", 12));
        var gates = trace.unitGates("lstm_1", 4);
        assertTrue(gates.toString().contains("input gate i, forget gate f, candidate g, output gate o"), gates.toString());
        var gruGates = gru().gates(TEXT).unitGates("gru_1", 0);
        assertTrue(gruGates.toString().contains("reset gate r, update gate z, candidate n"), gruGates.toString());
        Model plain = Seq.model().vocab(VOCAB).embed(4).rnn(3).softmax().build();
        assertThrows(IllegalArgumentException.class, () -> plain.gates(TEXT).unitGates("rnn_1", 0));
    }

    @Test
    void clearErrors() {
        GateTrace trace = lstm().gates(TEXT);
        assertThrows(IllegalArgumentException.class, () -> trace.values("gru_9", "f"));
        assertThrows(IllegalArgumentException.class, () -> trace.values("lstm_1", "z"));
        assertThrows(IllegalArgumentException.class, () -> trace.unit("lstm_1", "h", 12));
        assertThrows(IllegalArgumentException.class, () -> lstm().gates("xyz")); // x, y, z are not in the vocabulary
        Model attentionOnly = Seq.model().vocab(VOCAB).embed(8).attention(2).softmax().build();
        assertThrows(IllegalStateException.class, () -> attentionOnly.gates(TEXT));
    }

    /** Not a check: the pictures a reader sees, written for a human look. */
    @Test
    void writeSamplesForEyes() {
        Path out = Path.of(System.getProperty("java.io.tmpdir"), "seqlab-inspect");
        GateTrace trace = lstm().gates(TEXT);
        trace.heatmap("lstm_1", "f").savePng(out.resolve("gates-f.png"));
        trace.heatmap("lstm_1", "c").savePng(out.resolve("gates-c.png"));
        trace.coloredText("lstm_1", "h", 3).savePng(out.resolve("colored-text.png"));
        trace.coloredText("lstm_1", "h", 3).saveHtml(out.resolve("colored-text.html"));
        trace.saturation("lstm_1").savePng(out.resolve("saturation.png"));
    }
}
