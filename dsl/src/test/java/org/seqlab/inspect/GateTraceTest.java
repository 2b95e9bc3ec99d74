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
