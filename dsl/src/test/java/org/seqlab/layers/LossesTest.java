package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqlab.layers.LayerTestSupport.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.testing.GradientCheck;
import org.seqlab.testing.TorchFixture;

/** SoftmaxCrossEntropy, SigmoidCrossEntropy and MeanSquaredError. */
class LossesTest {

    /** Central finite differences of the loss w.r.t. every output element against backward(). */
    private static void finiteDifferenceCheck(Loss loss, SeqTensor outputs, INDArray targets) {
        loss.forward(outputs, targets);
        INDArray analytic = loss.backward().data().dup();
        INDArray z = outputs.data();
        double eps = GradientCheck.EPS;
        for (int r = 0; r < z.rows(); r++) {
            for (int c = 0; c < z.columns(); c++) {
                double orig = z.getDouble(r, c);
                z.putScalar(r, c, orig + eps);
                double plus = loss.forward(outputs, targets);
                z.putScalar(r, c, orig - eps);
                double minus = loss.forward(outputs, targets);
                z.putScalar(r, c, orig);
                double numeric = (plus - minus) / (2 * eps), a = analytic.getDouble(r, c);
                double abs = Math.abs(a - numeric);
                if (abs > GradientCheck.MIN_ABS_ERROR) {
                    double rel = abs / Math.max(Math.abs(a) + Math.abs(numeric), 1e-8);
                    assertTrue(rel < GradientCheck.MAX_REL_ERROR,
                            loss.kind() + " [" + r + "," + c + "] analytic " + a + " numeric " + numeric);
                }
            }
        }
    }

    private static INDArray column(double... v) {
        return Nd4j.create(v, new long[] {v.length, 1}, DataType.DOUBLE);
    }

    @Test
    void softmaxCrossEntropyGradientWithMaskedRows() {
        SeqTensor logits = GradientCheck.randomInput(3, 2, 5, mask(3, 3, 1), 1);
        logits.data().muli(3);
        // masked rows carry an out-of-range id: they must be ignored, not rejected
        INDArray targets = column(4, 0, 2, 99, 1, -1);
        finiteDifferenceCheck(new SoftmaxCrossEntropy(), logits, targets);
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        ce.forward(logits, targets);
        INDArray grad = ce.backward().data();
        assertEquals(0, grad.getRow(3).amaxNumber().doubleValue(), 0);
        assertEquals(0, grad.sum(1).amaxNumber().doubleValue(), 1e-12, "softmax gradient rows sum to 0");
    }

    @Test
    void sigmoidCrossEntropyGradientWithMaskedRows() {
        SeqTensor logits = GradientCheck.randomInput(3, 2, 4, mask(3, 3, 2), 2);
        logits.data().muli(4);
        Nd4j.getRandom().setSeed(3);
        INDArray targets = Nd4j.rand(DataType.DOUBLE, 6, 4).gt(0.5).castTo(DataType.DOUBLE);
        finiteDifferenceCheck(new SigmoidCrossEntropy(), logits, targets);
    }

    @Test
    void meanSquaredErrorGradientWithMaskedRows() {
        SeqTensor outputs = GradientCheck.randomInput(2, 3, 3, mask(2, 2, 1, 2), 4);
        INDArray targets = GradientCheck.randomInput(2, 3, 3, null, 5).data();
        finiteDifferenceCheck(new MeanSquaredError(), outputs, targets);
    }

    @Test
    void gradientsWithoutMask() {
        SeqTensor z = GradientCheck.randomInput(2, 2, 3, null, 6);
        finiteDifferenceCheck(new SoftmaxCrossEntropy(), z, column(2, 0, 1, 1));
        INDArray y = GradientCheck.randomInput(2, 2, 3, null, 7).data().gt(0).castTo(DataType.DOUBLE);
        finiteDifferenceCheck(new SigmoidCrossEntropy(), z, y);
        finiteDifferenceCheck(new MeanSquaredError(), z, y);
    }

    @Test
    void elementWiseLossesAverageOverRealRowsAndOutputs() {
        // two rows, the second masked; one real row of 2 outputs
        SeqTensor z = new SeqTensor(Nd4j.create(new double[] {1, 3, 100, -100}, new long[] {2, 2}, DataType.DOUBLE), 2, 1, column(1, 0));
        INDArray y = Nd4j.create(new double[] {0, 1, 0, 0}, new long[] {2, 2}, DataType.DOUBLE);
        assertEquals((1 + 4) / 2.0, new MeanSquaredError().forward(z, y), 1e-12);
        double bce = (Math.log(1 + Math.exp(1)) + Math.log(1 + Math.exp(-3))) / 2;
        assertEquals(bce, new SigmoidCrossEntropy().forward(z, y), 1e-12);
    }

    @Test
    void largeLogitsStayFinite() {
        SeqTensor z = new SeqTensor(Nd4j.create(new double[] {1000, -1000, 0, -1000, 1000, 0}, new long[] {2, 3}, DataType.FLOAT), 2, 1, null);
        double ce = new SoftmaxCrossEntropy().forward(z, column(1, 1));
        assertEquals(1000, ce, 1e-3);
        double bce = new SigmoidCrossEntropy().forward(z, Nd4j.zeros(DataType.FLOAT, 2, 3));
        assertTrue(Double.isFinite(bce));
    }

    @Test
    void outOfRangeClassIdIsRejectedWithIdAndClassCount() {
        SeqTensor z = GradientCheck.randomInput(2, 1, 5, null, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SoftmaxCrossEntropy().forward(z, column(1, 7)));
        assertTrue(e.getMessage().contains("7") && e.getMessage().contains("5 classes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SoftmaxCrossEntropy().forward(z, column(-1, 0)));
    }

    @Test
    void predictions() {
        INDArray z = GradientCheck.randomInput(3, 1, 4, null, 1).data();
        assertClose(Nd4j.ones(DataType.DOUBLE, 3), new SoftmaxCrossEntropy().predict(z).sum(1), 1e-12, "probabilities");
        assertClose(org.nd4j.linalg.ops.transforms.Transforms.sigmoid(z, true), new SigmoidCrossEntropy().predict(z), 1e-15, "sigmoid");
        assertClose(z, new MeanSquaredError().predict(z), 0, "identity");
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void softmaxCrossEntropyMatchesTorchIgnoreIndex(DataType type) {
        TorchFixture f = TorchFixture.load("/reference/cross_entropy.txt");
        INDArray logits = f.get("logits", type);
        SeqTensor z = new SeqTensor(logits, (int) logits.rows(), 1, f.get("mask", type).reshape(logits.rows(), 1));
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        double tol = tolerance(type);
        double loss = ce.forward(z, f.get("targets", type).reshape(logits.rows(), 1));
        assertEquals(f.get("loss").getDouble(0), loss, tol);
        assertClose(f.get("grad_logits"), ce.backward().data(), tol, "dlogits");
        assertClose(f.get("probabilities"), ce.predict(logits), tol, "probabilities");
    }
}
