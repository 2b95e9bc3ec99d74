package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqlab.layers.LayerTestSupport.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqlab.graph.ParameterBuffer;
import org.seqlab.testing.GradientCheck;
import org.seqlab.testing.TorchFixture;

class DenseTest {

    @Test
    void shapesParameterCountAndXavierBound() {
        Dense dense = new Dense("dense", 30, 20, Activation.TANH);
        ParameterBuffer buffer = GradientCheck.bindDouble(dense, 1);
        assertEquals(30 * 20 + 20, buffer.size());
        assertEquals("Dense(tanh)", dense.kind());
        double bound = Math.sqrt(6.0 / 50);
        assertTrue(buffer.byName().get("dense/W").amaxNumber().doubleValue() <= bound);
        assertTrue(buffer.byName().get("dense/W").amaxNumber().doubleValue() > 0.9 * bound);
        assertEquals(0, buffer.byName().get("dense/b").amaxNumber().doubleValue(), 0);
        SeqTensor out = dense.forward(GradientCheck.randomInput(3, 2, 30, null, 1), Mode.eval());
        assertArrayEquals(new long[] {6, 20}, out.data().shape());
    }

    @Test
    void wrongInputWidthNamesTheLayer() {
        Dense dense = new Dense("dense_2", 4, 3, Activation.RELU);
        GradientCheck.bindDouble(dense, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dense.forward(GradientCheck.randomInput(2, 2, 5, null, 1), Mode.eval()));
        assertTrue(e.getMessage().contains("dense_2"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void gradientCheck(Activation activation) {
        Dense dense = new Dense("dense", 4, 3, activation);
        ParameterBuffer buffer = GradientCheck.bindDouble(dense, 5);
        buffer.byName().get("dense/b").assign(0.1); // non-zero bias checks db through the activation
        GradientCheck.check(dense, buffer, GradientCheck.randomInput(3, 2, 4, mask(3, 3, 2), 9), true, 13);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void matchesTorchLinear(DataType type) {
        TorchFixture f = TorchFixture.load("/reference/linear.txt");
        double tol = tolerance(type);
        for (Activation activation : Activation.values()) {
            String a = activation.label();
            Dense dense = new Dense("dense", 4, 3, activation);
            ParameterBuffer buffer = bind(dense, type);
            buffer.byName().get("dense/W").assign(f.get("weight").transpose());
            buffer.byName().get("dense/b").assign(f.get("bias"));
            INDArray x = f.get("x", type);
            SeqTensor out = dense.forward(new SeqTensor(x, 5, 1, null), Mode.train(new Random(0)));
            assertClose(f.get(a + "_out"), out.data(), tol, a + " out");
            SeqTensor dx = dense.backward(out.withData(f.get("R", type)));
            assertClose(f.get(a + "_grad_x"), dx.data(), tol, a + " dx");
            assertClose(f.get(a + "_grad_weight").transpose(), buffer.gradsByName().get("dense/W"), tol, a + " dW");
            assertClose(f.get(a + "_grad_bias"), buffer.gradsByName().get("dense/b"), tol, a + " db");
        }
    }
}
