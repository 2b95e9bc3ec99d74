package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqlab.layers.LayerTestSupport.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.graph.ParameterBuffer;
import org.seqlab.testing.GradientCheck;
import org.seqlab.testing.TorchFixture;

class EmbeddingTest {

    private static SeqTensor ids(int time, int batch, INDArray mask, double... ids) {
        return new SeqTensor(Nd4j.create(ids, new long[] {ids.length, 1}, DataType.DOUBLE), time, batch, mask);
    }

    @Test
    void shapesAndParameterCount() {
        Embedding emb = new Embedding("emb", 7, 3);
        ParameterBuffer buffer = GradientCheck.bindDouble(emb, 1);
        assertEquals(21, buffer.size());
        SeqTensor out = emb.forward(ids(2, 2, null, 0, 1, 6, 3), Mode.eval());
        assertArrayEqualsShape(new long[] {4, 3}, out.data().shape());
        assertEquals(2, out.time());
        assertEquals(2, out.batch());
    }

    private static void assertArrayEqualsShape(long[] expected, long[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
    }

    @Test
    void initialisationIsStandardNormal() {
        Embedding emb = new Embedding("emb", 200, 50);
        ParameterBuffer buffer = GradientCheck.bindDouble(emb, 3);
        INDArray e = buffer.byName().get("emb/E");
        assertEquals(0, e.meanNumber().doubleValue(), 0.03);
        assertEquals(1, e.stdNumber().doubleValue(), 0.03);
    }

    @Test
    void gradientCheckParameters() {
        Embedding emb = new Embedding("emb", 5, 3);
        ParameterBuffer buffer = GradientCheck.bindDouble(emb, 2);
        SeqTensor in = ids(3, 2, mask(3, 3, 2), 1, 4, 1, 1, 0, 2);
        GradientCheck.check(emb, buffer, in, false, 7);
    }

    @Test
    void duplicatesAccumulateAndMaskedRowsAddNothing() {
        Embedding emb = new Embedding("emb", 4, 2);
        ParameterBuffer buffer = GradientCheck.bindDouble(emb, 2);
        // rows (t*B+b): t0: ids 1, 2; t1: ids 1, 3 (the second sequence is padded at t1)
        SeqTensor in = ids(2, 2, mask(2, 2, 1), 1, 2, 1, 3);
        SeqTensor out = emb.forward(in, Mode.train(new Random(1)));
        INDArray g = Nd4j.create(new double[] {1, 2, 10, 20, 100, 200, 1000, 2000}, new long[] {4, 2}, DataType.DOUBLE);
        assertNull(emb.backward(out.withData(g)));
        INDArray dE = buffer.gradsByName().get("emb/E");
        assertClose(Nd4j.create(new double[] {0, 0, 101, 202, 10, 20, 0, 0}, new long[] {4, 2}, DataType.DOUBLE), dE, 0, "dE");
    }

    @Test
    void backwardAddsToExistingGradient() {
        Embedding emb = new Embedding("emb", 3, 2);
        ParameterBuffer buffer = GradientCheck.bindDouble(emb, 2);
        SeqTensor in = ids(1, 1, null, 2);
        SeqTensor out = emb.forward(in, Mode.train(new Random(1)));
        INDArray g = Nd4j.ones(DataType.DOUBLE, 1, 2);
        emb.backward(out.withData(g));
        emb.backward(out.withData(g));
        assertEquals(2.0, buffer.gradsByName().get("emb/E").getDouble(2, 1), 0);
    }

    @Test
    void outOfRangeIdIsRejected() {
        Embedding emb = new Embedding("emb", 3, 2);
        GradientCheck.bindDouble(emb, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> emb.forward(ids(1, 2, null, 0, 3), Mode.eval()));
        assertTrue(e.getMessage().contains("emb") && e.getMessage().contains("3"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void matchesTorch(DataType type) {
        TorchFixture f = TorchFixture.load("/reference/embedding.txt");
        Embedding emb = new Embedding("emb", 7, 3);
        ParameterBuffer buffer = bind(emb, type);
        buffer.byName().get("emb/E").assign(f.get("weight"));
        INDArray ids = f.get("ids");
        INDArray mask = toColumn(f.get("mask")).castTo(type);
        SeqTensor in = new SeqTensor(toColumn(ids).castTo(type), (int) ids.size(1), (int) ids.size(0), mask);
        SeqTensor out = emb.forward(in, Mode.train(new Random(0)));
        double tol = tolerance(type);
        assertClose(toRows(f.get("out")), out.data(), tol, "out");
        emb.backward(out.withData(toRows(f.get("R")).castTo(type)));
        assertClose(f.get("grad_weight"), buffer.gradsByName().get("emb/E"), tol, "grad E");
    }
}
