package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.seqlab.layers.LayerTestSupport.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.seqlab.graph.ParameterBuffer;
import org.seqlab.testing.GradientCheck;
import org.seqlab.testing.TorchFixture;

class LayerNormTest {

    @Test
    void parametersStartAtIdentity() {
        LayerNorm ln = new LayerNorm("ln", 5, 1e-5);
        ParameterBuffer buffer = GradientCheck.bindDouble(ln, 1);
        assertEquals(10, buffer.size());
        assertEquals(5, buffer.byName().get("ln/gamma").sumNumber().doubleValue(), 0);
        assertEquals(0, buffer.byName().get("ln/beta").sumNumber().doubleValue(), 0);
        SeqTensor out = ln.forward(GradientCheck.randomInput(2, 3, 5, null, 1), Mode.eval());
        assertEquals(0, out.data().mean(1).amaxNumber().doubleValue(), 1e-12);
    }

    @Test
    void gradientCheck() {
        LayerNorm ln = new LayerNorm("ln", 5, 1e-5);
        ParameterBuffer buffer = GradientCheck.bindDouble(ln, 1);
        // non-trivial gamma and beta so their gradients and dx through gamma are exercised
        buffer.byName().get("ln/gamma").assign(GradientCheck.randomInput(1, 1, 5, null, 3).data().reshape(5).addi(1.5));
        buffer.byName().get("ln/beta").assign(GradientCheck.randomInput(1, 1, 5, null, 4).data().reshape(5));
        GradientCheck.check(ln, buffer, GradientCheck.randomInput(3, 2, 5, mask(3, 3, 1), 5), true, 6);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void matchesTorch(DataType type) {
        TorchFixture f = TorchFixture.load("/reference/layer_norm.txt");
        LayerNorm ln = new LayerNorm("ln", 6, 1e-5);
        ParameterBuffer buffer = bind(ln, type);
        buffer.byName().get("ln/gamma").assign(f.get("weight"));
        buffer.byName().get("ln/beta").assign(f.get("bias"));
        SeqTensor out = ln.forward(new SeqTensor(f.get("x", type), 5, 1, null), Mode.train(new Random(0)));
        double tol = tolerance(type);
        assertClose(f.get("out"), out.data(), tol, "out");
        SeqTensor dx = ln.backward(out.withData(f.get("R", type)));
        assertClose(f.get("grad_x"), dx.data(), tol, "dx");
        assertClose(f.get("grad_weight"), buffer.gradsByName().get("ln/gamma"), tol, "dgamma");
        assertClose(f.get("grad_bias"), buffer.gradsByName().get("ln/beta"), tol, "dbeta");
    }
}
