package org.seqlab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.data.Batch;
import org.seqlab.testing.GradientCheck;

/** model.gradients(batch): the loss gradient by parameter name, checked against finite differences of the loss. */
class ModelGradientsTest {

    static Batch batch() {
        INDArray ids = Nd4j.createFromArray(new double[][] {{2, 3, 4, 2, 5}, {5, 4, 3, 2, 3}});
        INDArray targets = Nd4j.createFromArray(new double[][] {{3, 4, 2, 5, 4}, {4, 3, 2, 3, 5}});
        return new Batch(ids, targets, null);
    }

    @Test
    void gradientsEqualCentralDifferencesOfTheLoss() {
        Model m = Model.compile(Seq.model().vocab(6).oneHot().rnn(4).softmax().seed(11).spec(), DataType.DOUBLE);
        Model.Gradients g = m.gradients(batch());
        assertEquals(m.params().keySet(), g.byName().keySet(), "named as params()");
        int checked = 0;
        for (Map.Entry<String, INDArray> p : m.params().entrySet()) {
            INDArray value = p.getValue().reshape(p.getValue().length());
            INDArray grad = g.get(p.getKey());
            assertArrayEquals(p.getValue().shape(), grad.shape(), p.getKey() + " shaped like the parameter");
            INDArray flatGrad = grad.reshape(grad.length());
            for (long i = 0; i < value.length(); i++) {
                double orig = value.getDouble(i);
                value.putScalar(i, orig + GradientCheck.EPS);
                double plus = m.gradients(batch()).loss();
                value.putScalar(i, orig - GradientCheck.EPS);
                double minus = m.gradients(batch()).loss();
                value.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * GradientCheck.EPS);
                double analytic = flatGrad.getDouble(i);
                double scale = Math.max(Math.abs(numeric) + Math.abs(analytic), 1e-12);
                assertTrue(Math.abs(numeric - analytic) <= GradientCheck.MIN_ABS_ERROR
                                || Math.abs(numeric - analytic) / scale <= GradientCheck.MAX_REL_ERROR,
                        p.getKey() + "[" + i + "]: analytic " + analytic + " vs numeric " + numeric);
                checked++;
            }
        }
        assertTrue(checked > 40, "checked " + checked);
    }

    @Test
    void leavesTheModelAsItWasAndRepeats() {
        Model m = Seq.model().vocab(6).embed(3).lstm(4).softmax().seed(5).build();
        INDArray before = m.graph().parameters().values().dup();
        Model.Gradients first = m.gradients(batch());
        Model.Gradients second = m.gradients(batch());
        assertEquals(before, m.graph().parameters().values(), "weights untouched");
        assertEquals(0.0, m.graph().parameters().grads().norm2Number().doubleValue(), 0.0, "gradient buffer cleared");
        assertEquals(first.loss(), second.loss(), 0.0);
        for (String name : first.byName().keySet()) assertEquals(first.get(name), second.get(name), name + ": no accumulation");
        double sum = 0;
        for (INDArray a : first.byName().values()) sum += Math.pow(a.norm2Number().doubleValue(), 2);
        assertEquals(Math.sqrt(sum), first.norm(), 1e-6);
        assertTrue(first.toString().startsWith("Gradients(loss "), first.toString());
        assertThrows(IllegalArgumentException.class, () -> first.get("lstm_1/W_xx"));
        assertThrows(IllegalArgumentException.class, () -> m.gradients(null));
        Batch outside = new Batch(Nd4j.createFromArray(new double[][] {{2, 9}}), Nd4j.createFromArray(new double[][] {{3, 4}}), null);
        assertThrows(IllegalArgumentException.class, () -> m.gradients(outside), "token 9 is outside the vocabulary");
    }
}
