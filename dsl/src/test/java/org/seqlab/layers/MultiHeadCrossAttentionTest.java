package org.seqlab.layers;

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
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.seqlab.graph.ParameterBuffer;
import org.seqlab.testing.GradientCheck;
import org.seqlab.testing.TorchFixture;

class MultiHeadCrossAttentionTest {

    @Test
    void gradientCheckWithPaddingOnBothSides() {
        MultiHeadCrossAttention a = new MultiHeadCrossAttention("cross", 4, 3, 2);
        ParameterBuffer buffer = GradientCheck.bindDouble(a, 3);
        Nd4j.getRandom().setSeed(4);
        buffer.byName().get("cross/b_q").assign(Nd4j.rand(DataType.DOUBLE, 4).subi(0.5));
        buffer.byName().get("cross/b_kv").assign(Nd4j.rand(DataType.DOUBLE, 8).subi(0.5));
        buffer.byName().get("cross/b_o").assign(Nd4j.rand(DataType.DOUBLE, 4).subi(0.5));
        SeqTensor memory = GradientCheck.randomInput(4, 2, 3, mask(4, 4, 2), 5);
        SeqTensor queries = GradientCheck.randomInput(3, 2, 4, mask(3, 3, 2), 6);
        a.attendTo(memory);
        GradientCheck.check(a, buffer, queries, true, 7);
        GradientCheck.checkMemory(a, buffer, queries, memory, 7);
    }

    @Test
    void steppingReusesTheMemoryProjectionAndSelectsRows() {
        MultiHeadCrossAttention a = new MultiHeadCrossAttention("cross", 6, 6, 3);
        GradientCheck.bindDouble(a, 1);
        SeqTensor memory = GradientCheck.randomInput(5, 3, 6, mask(5, 5, 2, 4), 2);
        SeqTensor queries = GradientCheck.randomInput(4, 3, 6, null, 3);
        a.attendTo(memory);
        INDArray full = a.forward(queries, Mode.eval()).data();
        Mode stepping = Mode.eval().withCarryState(true);
        for (int t = 0; t < 4; t++) {
            INDArray one = a.forward(new SeqTensor(queries.step(t).dup(), 1, 3, null), stepping).data();
            assertClose(SeqTensor.stepOf(full, t, 3), one, 1e-12, "step " + t);
        }
        int[] rows = {1, 1, 2};
        a.selectRows(rows);
        INDArray picked = a.forward(new SeqTensor(Nd4j.pullRows(queries.step(1), 1, rows), 1, 3, null), stepping).data();
        assertClose(Nd4j.pullRows(SeqTensor.stepOf(full, 1, 3), 1, rows), picked, 1e-12, "selected rows");
    }

    @Test
    void headsMustDivideTheWidth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MultiHeadCrossAttention("cross_1", 10, 10, 4));
        assertTrue(e.getMessage().contains("cross_1") && e.getMessage().contains("divide"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void matchesTorch(DataType type) {
        TorchFixture f = TorchFixture.load("/reference/mha_cross_padded.txt");
        INDArray x = f.get("x"), m = f.get("memory");
        int batch = (int) x.size(0), t = (int) x.size(1), d = (int) x.size(2), s = (int) m.size(1);
        int heads = (int) f.get("weights").size(1);
        MultiHeadCrossAttention a = new MultiHeadCrossAttention("cross", d, d, heads);
        ParameterBuffer buffer = bind(a, type);
        INDArray w = f.get("in_proj_weight"), b = f.get("in_proj_bias");
        buffer.byName().get("cross/W_q").assign(w.get(NDArrayIndex.interval(0, d), NDArrayIndex.all()).transpose());
        buffer.byName().get("cross/W_kv").assign(w.get(NDArrayIndex.interval(d, 3 * d), NDArrayIndex.all()).transpose());
        buffer.byName().get("cross/b_q").assign(b.get(NDArrayIndex.interval(0, d)));
        buffer.byName().get("cross/b_kv").assign(b.get(NDArrayIndex.interval(d, 3 * d)));
        buffer.byName().get("cross/W_o").assign(f.get("out_proj_weight").transpose());
        buffer.byName().get("cross/b_o").assign(f.get("out_proj_bias"));
        a.attendTo(new SeqTensor(toRows(m).castTo(type), s, batch, toColumn(f.get("m_mask")).castTo(type)));
        SeqTensor in = new SeqTensor(toRows(x).castTo(type), t, batch, toColumn(f.get("t_mask")).castTo(type));
        SeqTensor out = a.forward(in, Mode.train(new Random(0)).withRecord(true));
        double tol = tolerance(type);
        assertClose(toRows(f.get("out")), out.data(), tol, "output");
        INDArray weights = a.recorded().get("weights").dup().muli(f.get("t_mask").reshape(batch, 1, t, 1).castTo(type));
        assertClose(f.get("weights"), weights, tol, "weights");
        buffer.grads().assign(0);
        SeqTensor dx = a.backward(out.withData(toRows(f.get("R")).castTo(type)));
        assertClose(toRows(f.get("grad_x")), dx.data(), tol, "dL/dx");
        assertClose(toRows(f.get("grad_memory")), a.memoryGradient(), tol, "dL/dmemory");
        INDArray gw = f.get("grad_in_proj_weight"), gb = f.get("grad_in_proj_bias");
        assertClose(gw.get(NDArrayIndex.interval(0, d), NDArrayIndex.all()).transpose(), buffer.gradsByName().get("cross/W_q"), tol, "dW_q");
        assertClose(gw.get(NDArrayIndex.interval(d, 3 * d), NDArrayIndex.all()).transpose(), buffer.gradsByName().get("cross/W_kv"), tol, "dW_kv");
        assertClose(gb.get(NDArrayIndex.interval(0, d)), buffer.gradsByName().get("cross/b_q"), tol, "db_q");
        assertClose(gb.get(NDArrayIndex.interval(d, 3 * d)), buffer.gradsByName().get("cross/b_kv"), tol, "db_kv");
        assertClose(f.get("grad_out_proj_weight").transpose(), buffer.gradsByName().get("cross/W_o"), tol, "dW_o");
        assertClose(f.get("grad_out_proj_bias"), buffer.gradsByName().get("cross/b_o"), tol, "db_o");
    }
}
