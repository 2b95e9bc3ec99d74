package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqlab.layers.LayerTestSupport.*;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.graph.ParameterBuffer;
import org.seqlab.testing.GradientCheck;
import org.seqlab.testing.TorchFixture;

class CrossAttentionTest {

    private static CrossAttention layer(AttentionScore score, int dq, int dm) {
        return new CrossAttention("attend", dq, dm, score, 5);
    }

    /** Random biases and v too (they start at zero or small), so every path is checked. */
    private static ParameterBuffer bound(CrossAttention a, long seed) {
        ParameterBuffer buffer = GradientCheck.bindDouble(a, seed);
        Nd4j.getRandom().setSeed(seed + 10);
        for (var e : buffer.byName().entrySet()) {
            if (e.getKey().endsWith("/b") || e.getKey().endsWith("/b_c")) e.getValue().assign(Nd4j.rand(DataType.DOUBLE, e.getValue().shape()).subi(0.5));
        }
        return buffer;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(AttentionScore.class)
    void gradientCheckWithPaddingOnBothSides(AttentionScore score) {
        int dq = 4, dm = score == AttentionScore.DOT ? 4 : 3;
        CrossAttention a = layer(score, dq, dm);
        ParameterBuffer buffer = bound(a, 3);
        SeqTensor memory = GradientCheck.randomInput(5, 2, dm, mask(5, 5, 3), 4);
        SeqTensor queries = GradientCheck.randomInput(3, 2, dq, mask(3, 2, 3), 5);
        a.attendTo(memory);
        GradientCheck.check(a, buffer, queries, true, 6);
        GradientCheck.checkMemory(a, buffer, queries, memory, 6);
    }

    @Test
    void weightsAreDistributionsOverTheRealSourceSteps() {
        CrossAttention a = layer(AttentionScore.ADDITIVE, 4, 3);
        GradientCheck.bindDouble(a, 1);
        a.attendTo(GradientCheck.randomInput(5, 2, 3, mask(5, 5, 2), 2));
        a.forward(GradientCheck.randomInput(3, 2, 4, mask(3, 3, 2), 3), Mode.eval().withRecord(true));
        INDArray w = a.recorded().get("weights"); // [B, Tq, S]
        assertArrayEquals(new long[] {2, 3, 5}, w.shape());
        for (int i = 0; i < 3; i++) assertEquals(1, w.slice(0).getRow(i).sumNumber().doubleValue(), 1e-12);
        for (int i = 0; i < 2; i++) {
            assertEquals(1, w.slice(1).getRow(i).sumNumber().doubleValue(), 1e-12);
            for (int j = 2; j < 5; j++) assertEquals(0, w.getDouble(1, i, j), 0, "padded source step " + j);
        }
        assertEquals(0, w.slice(1).getRow(2).sumNumber().doubleValue(), 0, "a padded target step attends nowhere");
    }

    /** Stepping one query at a time (memory projection computed once) gives the rows of the whole pass. */
    @Test
    void steppingEqualsTheWholeSequenceAndRowsCanBeSelected() {
        CrossAttention a = layer(AttentionScore.ADDITIVE, 4, 3);
        GradientCheck.bindDouble(a, 1);
        SeqTensor memory = GradientCheck.randomInput(5, 3, 3, mask(5, 5, 2, 4), 2);
        SeqTensor queries = GradientCheck.randomInput(4, 3, 4, null, 3);
        a.attendTo(memory);
        INDArray full = a.forward(queries, Mode.eval()).data();
        Mode stepping = Mode.eval().withCarryState(true);
        for (int t = 0; t < 4; t++) {
            INDArray one = a.forward(new SeqTensor(queries.step(t).dup(), 1, 3, null), stepping).data();
            assertClose(SeqTensor.stepOf(full, t, 3), one, 1e-12, "step " + t);
        }
        a.selectRows(new int[] {2, 2, 0});
        INDArray picked = a.forward(new SeqTensor(Nd4j.pullRows(queries.step(0), 1, new int[] {2, 2, 0}), 1, 3, null), stepping).data();
        INDArray expected = Nd4j.pullRows(SeqTensor.stepOf(full, 0, 3), 1, new int[] {2, 2, 0});
        assertClose(expected, picked, 1e-12, "selected rows");
    }

    @Test
    void dotNeedsEqualWidthsAndMemoryMustBeGiven() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layer(AttentionScore.DOT, 4, 6));
        assertTrue(e.getMessage().contains("Attention.general()"), e.getMessage());
        CrossAttention a = layer(AttentionScore.GENERAL, 4, 6);
        GradientCheck.bindDouble(a, 1);
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> a.forward(GradientCheck.randomInput(2, 1, 4, null, 1), Mode.eval()));
        assertTrue(s.getMessage().contains("attendTo"), s.getMessage());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"dot,DOUBLE", "dot,FLOAT", "general,DOUBLE", "general,FLOAT", "additive,DOUBLE", "additive,FLOAT"})
    void matchesTorch(String kind, DataType type) {
        TorchFixture f = TorchFixture.load("/reference/cross_attention_" + kind + ".txt");
        INDArray q = f.get("q"), m = f.get("m");
        int batch = (int) q.size(0), tq = (int) q.size(1), dq = (int) q.size(2), s = (int) m.size(1), dm = (int) m.size(2);
        AttentionScore score = AttentionScore.ofLabel(kind);
        int att = f.has("v") ? (int) f.get("v").length() : 1;
        CrossAttention a = new CrossAttention("attend", dq, dm, score, att);
        ParameterBuffer buffer = bind(a, type);
        for (String p : List.of("W_a", "W_q", "W_k", "b", "v", "W_c", "b_c")) {
            if (f.has(p)) buffer.byName().get("attend/" + p).assign(f.get(p));
        }
        SeqTensor memory = new SeqTensor(toRows(m).castTo(type), s, batch, toColumn(f.get("m_mask")).castTo(type));
        SeqTensor queries = new SeqTensor(toRows(q).castTo(type), tq, batch, toColumn(f.get("q_mask")).castTo(type));
        a.attendTo(memory);
        SeqTensor out = a.forward(queries, Mode.train(new java.util.Random(0)).withRecord(true));
        double tol = tolerance(type);
        assertClose(toRows(f.get("out")), out.data(), tol, "output");
        assertClose(f.get("weights"), a.recorded().get("weights"), tol, "weights");
        buffer.grads().assign(0);
        SeqTensor dq0 = a.backward(out.withData(toRows(f.get("R")).castTo(type)));
        assertClose(toRows(f.get("grad_q")), dq0.data(), tol, "dL/dq");
        assertClose(toRows(f.get("grad_m")), a.memoryGradient(), tol, "dL/dm");
        for (String p : List.of("W_a", "W_q", "W_k", "b", "v", "W_c", "b_c")) {
            if (f.has(p)) assertClose(f.get("grad_" + p), buffer.gradsByName().get("attend/" + p), tol, "dL/d" + p);
        }
    }
}
