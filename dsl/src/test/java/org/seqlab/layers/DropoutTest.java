package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.seqlab.layers.LayerTestSupport.assertClose;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.graph.ParameterBuffer;
import org.seqlab.testing.GradientCheck;

class DropoutTest {

    @Test
    void gradientCheckInTraining() {
        Dropout dropout = new Dropout("drop", 4, 0.4);
        ParameterBuffer buffer = GradientCheck.bindDouble(dropout, 1);
        GradientCheck.check(dropout, buffer, GradientCheck.randomInput(3, 2, 4, null, 2), true, 3);
    }

    @Test
    void sameSeedSameMaskAndInvertedScaling() {
        Dropout dropout = new Dropout("drop", 50, 0.3);
        SeqTensor in = new SeqTensor(Nd4j.ones(DataType.DOUBLE, 40, 50), 20, 2, null);
        INDArray a = dropout.forward(in, Mode.train(new Random(42))).data();
        INDArray b = dropout.forward(in, Mode.train(new Random(42))).data();
        INDArray c = dropout.forward(in, Mode.train(new Random(43))).data();
        assertClose(a, b, 0, "same seed");
        assertNotEquals(a, c);
        // kept values are 1/(1-p), dropped ones 0, and about p of them are dropped
        double kept = a.gt(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        assertEquals(0.7, kept, 0.05);
        assertEquals(1 / 0.7, a.maxNumber().doubleValue(), 1e-12);
        assertEquals(1.0, a.meanNumber().doubleValue(), 0.08);
    }

    @Test
    void identityAtEvaluation() {
        Dropout dropout = new Dropout("drop", 3, 0.5);
        SeqTensor in = GradientCheck.randomInput(2, 2, 3, null, 1);
        assertSame(in, dropout.forward(in, Mode.eval()));
        assertSame(in, dropout.backward(in));
    }

    @Test
    void probabilityIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new Dropout("drop", 3, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new Dropout("drop", 3, -0.1));
    }
}
