package org.seqlab.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqlab.Model;
import org.seqlab.Seq;
import org.seqlab.layers.Activation;
import org.seqlab.viz.LineChart;

class GradientFlowTest {
    static final int T = 30;

    static int[] input() {
        int[] ids = new int[T];
        for (int t = 0; t < T; t++) ids[t] = 2 + (t * 7) % 10;
        return ids;
    }

    static Model classifier(java.util.function.UnaryOperator<org.seqlab.ModelBuilder> recurrent) {
        return recurrent.apply(Seq.model().vocab(12).embed(8)).last().softmax(2).seed(11).build();
    }

    @Test
    void tanhRnnWithSmallWeightsVanishesWhileLstmKeepsMore() {
        Model rnn = classifier(b -> b.rnn(16));
        rnn.params().get("rnn_1/W_hh").muli(0.3); // small recurrent weights: contraction at every step
        Model lstm = classifier(b -> b.lstm(16));    // forget-gate bias 1 by default

        GradientFlow r = rnn.gradientFlow(input(), 1);
        GradientFlow l = lstm.gradientFlow(input(), 1);
        double[] rr = r.relativeByDistance("rnn_1"), lr = l.relativeByDistance("lstm_1");
        assertEquals(1.0, rr[0], 1e-12);
        for (int d : new int[] {1, 3, 6, 10}) {
            assertTrue(rr[d] < rr[d - 1], "tanh RNN norm falls with distance at d=" + d + ": " + r);
        }
        assertTrue(rr[10] < 1e-3, "vanished after 10 steps: " + rr[10]);
        for (int d : new int[] {5, 10, 20}) {
            assertTrue(lr[d] > 10 * rr[d], "LSTM keeps more at distance " + d + ": " + lr[d] + " vs " + rr[d]);
        }
        assertTrue(r.loss() > 0);
    }

    @Test
    void perStepModelCountsOnlyTheLastStepsLoss() {
        Model lm = Seq.model().vocab(GateTraceTest.VOCAB).embed(8).gru(8).softmax().seed(1).build();
        GradientFlow f = lm.gradientFlow("a big cat. hop");
        double[] n = f.norms("gru_1");
        assertEquals("a big cat. ho".length(), n.length);
        assertTrue(n[n.length - 1] > 0);
        // all of the loss enters at the end, so nothing is zero before it
        for (double v : n) assertTrue(v > 0);
        // the model's gradient buffer is left clean for training
        assertEquals(0.0, lm.graph().parameters().grads().norm2Number().doubleValue(), 0.0);
    }

    @Test
    void compareChartAndSingleChartDecode() {
        Map<String, GradientFlow> flows = new LinkedHashMap<>();
        flows.put("tanh RNN", classifier(b -> b.rnn(16)).gradientFlow(input(), 0));
        flows.put("ReLU RNN, identity init", classifier(b -> b.rnn(16, Activation.RELU, true)).gradientFlow(input(), 0));
        flows.put("LSTM", classifier(b -> b.lstm(16)).gradientFlow(input(), 0));
        flows.put("GRU", classifier(b -> b.gru(16)).gradientFlow(input(), 0));
        LineChart c = GradientFlow.compare(flows);
        Pngs.decode(c.png(), 720, 420);
        Pngs.decode(flows.get("LSTM").png(), 720, 420);
        Path out = Path.of(System.getProperty("java.io.tmpdir"), "seqlab-inspect");
        c.savePng(out.resolve("gradient-compare.png"));
        flows.get("GRU").savePng(out.resolve("gradient-gru.png"));
    }

    @Test
    void valueTargetsForRegressionModels() {
        Model m = Seq.model().features(3).lstm(6).linear(2).seed(1).build();
        INDArray x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 12, 3);
        INDArray y = org.nd4j.linalg.factory.Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 12, 2);
        GradientFlow f = m.gradientFlow(x, y);
        assertEquals(12, f.norms().length);
        assertEquals(12, m.states(x).states("lstm_1").length);
    }
}
