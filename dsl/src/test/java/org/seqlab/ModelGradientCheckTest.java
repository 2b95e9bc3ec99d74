package org.seqlab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.data.Batch;
import org.seqlab.graph.CompiledModel;
import org.seqlab.layers.Activation;
import org.seqlab.layers.Mode;

/**
 * Whole models, compiled in double precision, against central finite differences of their loss:
 * checks the wiring between layers (layouts, masks, pooling, heads) that per-layer checks cannot.
 */
class ModelGradientCheckTest {

    @Test
    void tokenModelWithEveryPerStepLayerAndPadding() {
        ModelBuilder b = Seq.model().vocab(7).embed(5).lstm(4).attention(2).dense(6, Activation.TANH).layerNorm()
                .gru(4).rnn(3).softmax().seed(3);
        INDArray ids = Nd4j.createFromArray(new float[][] {{2, 3, 4, 5}, {6, 2, 3, 0}});
        INDArray targets = Nd4j.createFromArray(new float[][] {{3, 4, 5, 6}, {2, 3, 1, 0}});
        INDArray mask = Nd4j.createFromArray(new float[][] {{1, 1, 1, 1}, {1, 1, 1, 0}});
        check(b, new Batch(ids, targets, mask));
    }

    @Test
    void featureModelPooledToOneSigmoidPerSequence() {
        ModelBuilder b = Seq.model().features(3).bidirectional(Seq.gru(3)).attention(2, false).meanPool().sigmoid(2).seed(5);
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 4, 3);
        INDArray targets = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}, {1, 1}});
        INDArray mask = Nd4j.createFromArray(new float[][] {{1, 1, 1, 1}, {1, 1, 0, 0}, {1, 1, 1, 0}});
        check(b, new Batch(x, targets, mask));
    }

    @Test
    void reluRnnWithLastStepAndRegressionHead() {
        ModelBuilder b = Seq.model().features(2).rnn(4, Activation.RELU, true).lstm(3).last().dense(3, Activation.SIGMOID).linear(2).seed(9);
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 5, 2);
        INDArray targets = Nd4j.createFromArray(new float[][] {{0.5f, -1}, {2, 0.25f}});
        INDArray mask = Nd4j.createFromArray(new float[][] {{1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}});
        check(b, new Batch(x, targets, mask));
    }

    @Test
    void oneHotBidirectionalLstmClassifier() {
        ModelBuilder b = Seq.model().vocab(5).oneHot().bidirectional(Seq.lstm(3)).last().softmax(3).seed(4);
        INDArray ids = Nd4j.createFromArray(new float[][] {{2, 3, 4}, {4, 2, 0}});
        INDArray targets = Nd4j.createFromArray(new float[] {2, 0});
        INDArray mask = Nd4j.createFromArray(new float[][] {{1, 1, 1}, {1, 1, 0}});
        check(b, new Batch(ids, targets, mask));
    }

    @Test
    void tinyGptWithSinusoidalPositionsAndPadding() {
        ModelBuilder b = Seq.model().vocab(7).embed(4).positional().transformer(2, 2, 6).softmax().seed(6);
        INDArray ids = Nd4j.createFromArray(new float[][] {{2, 3, 4, 5}, {6, 2, 3, 0}});
        INDArray targets = Nd4j.createFromArray(new float[][] {{3, 4, 5, 6}, {2, 3, 1, 0}});
        INDArray mask = Nd4j.createFromArray(new float[][] {{1, 1, 1, 1}, {1, 1, 1, 0}});
        check(b, new Batch(ids, targets, mask));
    }

    @Test
    void transformerEncoderWithLearnedPositionsPooledToOneClass() {
        ModelBuilder b = Seq.model().features(3).dense(4, Activation.TANH).positional(6)
                .transformer(Seq.transformer(1, 2).ffn(5).activation(Activation.RELU)).meanPool().softmax(3).seed(7);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 4, 3);
        INDArray targets = Nd4j.createFromArray(new float[] {2, 0, 1});
        INDArray mask = Nd4j.createFromArray(new float[][] {{1, 1, 1, 1}, {1, 1, 0, 0}, {1, 1, 1, 0}});
        check(b, new Batch(x, targets, mask));
    }

    private static void check(ModelBuilder builder, Batch batch) {
        CompiledModel m = Model.compile(builder.spec(), DataType.DOUBLE).graph();
        Batch b = new Batch(batch.inputs().castTo(DataType.DOUBLE), batch.targets().castTo(DataType.DOUBLE),
                batch.mask() == null ? null : batch.mask().castTo(DataType.DOUBLE));
        m.forwardBackward(b, new Mode(true, false, false, new Random(1)));
        double eps = 1e-6;
        StringBuilder failures = new StringBuilder();
        int checked = 0;
        for (Map.Entry<String, INDArray> e : m.parameters().byName().entrySet()) {
            INDArray p = e.getValue().reshape(e.getValue().length());
            INDArray g = m.parameters().gradsByName().get(e.getKey()).dup().reshape(p.length());
            for (long i = 0; i < p.length(); i++) {
                double orig = p.getDouble(i);
                p.putScalar(i, orig + eps);
                double plus = m.forwardBackward(b, Mode.eval()).loss();
                p.putScalar(i, orig - eps);
                double minus = m.forwardBackward(b, Mode.eval()).loss();
                p.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * eps);
                double analytic = g.getDouble(i);
                double abs = Math.abs(numeric - analytic);
                double rel = abs / Math.max(Math.abs(numeric) + Math.abs(analytic), 1e-8);
                checked++;
                if (abs > 1e-8 && rel > 1e-4 && failures.length() < 3000) {
                    failures.append(String.format("%s[%d] analytic=%.8g numeric=%.8g rel=%.2g%n", e.getKey(), i, analytic, numeric, rel));
                }
            }
        }
        assertTrue(checked > 50, "checked " + checked);
        assertTrue(failures.length() == 0, "model gradient check failed:\n" + failures);
    }
}
