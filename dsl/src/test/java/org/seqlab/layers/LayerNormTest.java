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

    /**
     * Float rows ({@link FloatLayerNorm} on the Vector API) against the double path: outputs, dx and
     * the parameter gradients, for widths with and without a partial vector, on one and two threads,
     * twice (the second reuses the arrays and adds into the gradients).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {5, 37, 256})
    void floatRowsEqualTheDoublePath(int width) {
        org.junit.jupiter.api.Assumptions.assumeTrue(StepGemm.VECTORS, "no jdk.incubator.vector: the float rows use ND4J");
        java.util.List<org.nd4j.linalg.api.ndarray.INDArray> expected = null;
        for (int threads : new int[] {0, 1, 2}) { // 0: the double reference
            DataType type = threads == 0 ? DataType.DOUBLE : DataType.FLOAT;
            Blas.setThreads(Math.max(1, threads));
            try {
                LayerNorm ln = new LayerNorm("ln", width, 1e-5);
                ParameterBuffer buffer = bind(ln, type);
                buffer.byName().get("ln/gamma").assign(GradientCheck.randomInput(1, 1, width, null, 3).data().reshape(width).addi(1.5));
                buffer.byName().get("ln/beta").assign(GradientCheck.randomInput(1, 1, width, null, 4).data().reshape(width));
                SeqTensor in = GradientCheck.randomInput(50, 6, width, null, 5);
                SeqTensor x = in.withData(in.data().muli(3).addi(0.7).castTo(type));
                java.util.List<org.nd4j.linalg.api.ndarray.INDArray> results = new java.util.ArrayList<>();
                for (int pass = 0; pass < 2; pass++) {
                    SeqTensor out = ln.forward(x, Mode.train(new Random(0)));
                    results.add(out.data().dup());
                    SeqTensor r = GradientCheck.randomInput(50, 6, width, null, 6 + pass);
                    results.add(ln.backward(out.withData(r.data().castTo(type))).data().dup());
                    results.add(buffer.grads().dup());
                }
                if (expected == null) expected = results;
                else for (int i = 0; i < results.size(); i++) assertClose(expected.get(i), results.get(i), FLOAT_TOL, threads + " threads, result " + i);
            } finally {
                Blas.setThreads(1);
            }
        }
    }
}
