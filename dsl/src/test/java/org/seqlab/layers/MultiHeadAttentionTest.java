package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqlab.layers.LayerTestSupport.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.seqlab.graph.ParameterBuffer;
import org.seqlab.testing.GradientCheck;
import org.seqlab.testing.TorchFixture;

class MultiHeadAttentionTest {

    private static Mode recording() {
        return Mode.eval().withRecord(true);
    }

    @Test
    void shapesAndParameterCount() {
        MultiHeadAttention mha = new MultiHeadAttention("attn", 8, 2, true, true);
        ParameterBuffer buffer = GradientCheck.bindDouble(mha, 1);
        assertEquals(4 * 8 * 8 + 4 * 8, buffer.size());
        assertArrayEquals(new long[] {8, 24}, buffer.byName().get("attn/W_qkv").shape());
        SeqTensor out = mha.forward(GradientCheck.randomInput(5, 3, 8, null, 2), recording());
        assertArrayEquals(new long[] {15, 8}, out.data().shape());
        assertArrayEquals(new long[] {3, 2, 5, 5}, mha.recorded().get("weights").shape());
    }

    @Test
    void headsMustDivideWidth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MultiHeadAttention("attn_1", 10, 4, false, true));
        assertTrue(e.getMessage().contains("attn_1") && e.getMessage().contains("divide"), e.getMessage());
    }

    @ParameterizedTest(name = "causal={0} residual={1}")
    @CsvSource({"true,true", "true,false", "false,true", "false,false"})
    void gradientCheckWithKeyPadding(boolean causal, boolean residual) {
        MultiHeadAttention mha = new MultiHeadAttention("attn", 4, 2, causal, residual);
        ParameterBuffer buffer = GradientCheck.bindDouble(mha, 3);
        // random biases (zero at init) so their paths are checked too
        Nd4j.getRandom().setSeed(4);
        buffer.byName().get("attn/b_qkv").assign(Nd4j.rand(DataType.DOUBLE, 12).subi(0.5));
        buffer.byName().get("attn/b_o").assign(Nd4j.rand(DataType.DOUBLE, 4).subi(0.5));
        GradientCheck.check(mha, buffer, GradientCheck.randomInput(3, 2, 4, mask(3, 3, 2), 5), true, 6);
    }

    @Test
    void attentionRowsSumToOneAndPaddedKeysGetNoWeight() {
        MultiHeadAttention mha = new MultiHeadAttention("attn", 6, 3, false, true);
        GradientCheck.bindDouble(mha, 1);
        mha.forward(GradientCheck.randomInput(4, 2, 6, mask(4, 4, 2), 2), recording());
        INDArray w = mha.recorded().get("weights"); // [B, H, T, T]
        assertClose(Nd4j.ones(DataType.DOUBLE, 2, 3, 4), w.sum(3), 1e-12, "row sums");
        INDArray padded = w.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(2, 4));
        assertEquals(0, padded.amaxNumber().doubleValue(), 0, "weight on padded keys");
    }

    @Test
    void causalWeightsAreLowerTriangular() {
        MultiHeadAttention mha = new MultiHeadAttention("attn", 4, 2, true, false);
        GradientCheck.bindDouble(mha, 1);
        mha.forward(GradientCheck.randomInput(5, 2, 4, null, 2), recording());
        INDArray w = mha.recorded().get("weights");
        for (int b = 0; b < 2; b++) for (int h = 0; h < 2; h++) for (int i = 0; i < 5; i++) {
            double rowSum = 0;
            for (int j = 0; j < 5; j++) {
                double v = w.getDouble(b, h, i, j);
                rowSum += v;
                if (j > i) assertEquals(0, v, 0, "future weight at " + i + "," + j);
                else assertTrue(v > 0);
            }
            assertEquals(1, rowSum, 1e-12);
        }
    }

    @Test
    void paddedQueryRowsOutputZeroOrTheResidual() {
        INDArray m = mask(3, 3, 1);
        SeqTensor in = GradientCheck.randomInput(3, 2, 4, m, 2);
        for (boolean residual : new boolean[] {false, true}) {
            MultiHeadAttention mha = new MultiHeadAttention("attn", 4, 2, false, residual);
            GradientCheck.bindDouble(mha, 1);
            INDArray out = mha.forward(in, Mode.eval()).data();
            INDArray expected = residual ? in.data() : Nd4j.zeros(DataType.DOUBLE, 6, 4);
            for (int row : new int[] {3, 5}) {
                assertClose(expected.getRow(row), out.getRow(row), 0, "padded row " + row);
            }
        }
    }

    /** One step at a time through the KV cache gives the rows of the full causal forward. */
    @Test
    void kvCacheSteppingEqualsFullCausalForward() {
        int time = 5, batch = 2, width = 6;
        for (INDArray m : new INDArray[] {null, mask(time, 5, 3)}) {
            MultiHeadAttention mha = new MultiHeadAttention("attn", width, 3, true, true);
            GradientCheck.bindDouble(mha, 7);
            SeqTensor in = GradientCheck.randomInput(time, batch, width, m, 8);
            INDArray full = mha.forward(in, Mode.eval()).data();

            mha.resetState();
            Mode step = Mode.eval().withCarryState(true).withRecord(true);
            for (int t = 0; t < time; t++) {
                SeqTensor one = new SeqTensor(in.step(t).dup(), 1, batch, m == null ? null : in.maskStep(t).dup());
                INDArray out = mha.forward(one, step).data();
                assertClose(SeqTensor.stepOf(full, t, batch), out, 1e-12, "step " + t);
                assertArrayEquals(new long[] {batch, 3, 1, t + 1}, mha.recorded().get("weights").shape());
            }
            assertEquals(time, mha.finalState().get(0).size(2));

            // chunks of 3 and 2 steps (truncated BPTT) also continue where the cache ended
            mha.resetState();
            INDArray first = mha.forward(sub(in, 0, 3), step).data();
            INDArray second = mha.forward(sub(in, 3, 5), step).data();
            assertClose(full, Nd4j.vstack(first, second), 1e-12, "chunks");
        }
    }

    /**
     * Backward after a cached chunk: the gradient w.r.t. the second chunk's input matches finite
     * differences with the first chunk's keys and values held fixed (truncated BPTT).
     */
    @Test
    void backwardThroughCachedChunkMatchesFiniteDifferences() {
        MultiHeadAttention mha = new MultiHeadAttention("attn", 4, 2, true, true);
        GradientCheck.bindDouble(mha, 3);
        SeqTensor in = GradientCheck.randomInput(5, 2, 4, mask(5, 5, 4), 4);
        SeqTensor first = sub(in, 0, 3), second = sub(in, 3, 5);
        Mode carry = Mode.train(new Random(0)).withCarryState(true);
        Nd4j.getRandom().setSeed(5);
        INDArray r = Nd4j.rand(DataType.DOUBLE, 4, 4).subi(0.5).muliColumnVector(second.mask());

        mha.resetState();
        mha.forward(first, carry);
        SeqTensor out = mha.forward(second, carry);
        INDArray analytic = mha.backward(out.withData(r)).data();

        INDArray x = second.data();
        double eps = GradientCheck.EPS;
        for (int i = 0; i < x.rows(); i++) for (int j = 0; j < x.columns(); j++) {
            double orig = x.getDouble(i, j);
            x.putScalar(i, j, orig + eps);
            double plus = chunkLoss(mha, first, second, r, carry);
            x.putScalar(i, j, orig - eps);
            double minus = chunkLoss(mha, first, second, r, carry);
            x.putScalar(i, j, orig);
            assertEquals((plus - minus) / (2 * eps), analytic.getDouble(i, j), 1e-7, "dx[" + i + "," + j + "]");
        }
    }

    private static double chunkLoss(MultiHeadAttention mha, SeqTensor first, SeqTensor second, INDArray r, Mode carry) {
        mha.resetState();
        mha.forward(first, carry);
        return mha.forward(second, carry).data().mul(r).sumNumber().doubleValue();
    }

    private static SeqTensor sub(SeqTensor in, int from, int to) {
        int b = in.batch();
        INDArray rows = in.data().get(NDArrayIndex.interval((long) from * b, (long) to * b), NDArrayIndex.all()).dup();
        INDArray m = in.mask() == null ? null : in.mask().get(NDArrayIndex.interval((long) from * b, (long) to * b), NDArrayIndex.all()).dup();
        return new SeqTensor(rows, to - from, b, m);
    }

    @Test
    void resetStateClearsTheCache() {
        MultiHeadAttention mha = new MultiHeadAttention("attn", 4, 2, true, false);
        GradientCheck.bindDouble(mha, 1);
        SeqTensor in = GradientCheck.randomInput(1, 2, 4, null, 2);
        Mode step = Mode.eval().withCarryState(true);
        INDArray firstAlone = mha.forward(in, step).data().dup();
        mha.forward(in, step);
        assertEquals(2, mha.finalState().get(0).size(2));
        mha.resetState();
        assertTrue(mha.finalState().isEmpty());
        assertClose(firstAlone, mha.forward(in, step).data(), 0, "after reset");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"mha_causal_padded_residual,DOUBLE", "mha_causal_padded_residual,FLOAT",
            "mha_padded,DOUBLE", "mha_padded,FLOAT"})
    void matchesTorch(String fixture, DataType type) {
        TorchFixture f = TorchFixture.load("/reference/" + fixture + ".txt");
        INDArray x = f.get("x");
        int batch = (int) x.size(0), time = (int) x.size(1), width = (int) x.size(2);
        int heads = (int) f.get("weights_heads").size(1);
        boolean causal = fixture.contains("causal"), residual = fixture.contains("residual");
        MultiHeadAttention mha = new MultiHeadAttention("attn", width, heads, causal, residual);
        ParameterBuffer buffer = bind(mha, type);
        buffer.byName().get("attn/W_qkv").assign(f.get("in_proj_weight").transpose());
        buffer.byName().get("attn/b_qkv").assign(f.get("in_proj_bias"));
        buffer.byName().get("attn/W_o").assign(f.get("out_proj_weight").transpose());
        buffer.byName().get("attn/b_o").assign(f.get("out_proj_bias"));
        INDArray mask = toColumn(f.get("mask")).castTo(type);
        SeqTensor in = new SeqTensor(toRows(x).castTo(type), time, batch, mask);
        SeqTensor out = mha.forward(in, Mode.train(new Random(0)).withRecord(true));
        double tol = tolerance(type);

        // padded query rows differ by design (torch attends from them, seqlab outputs 0 there)
        assertClose(realRows(toRows(f.get("out")), mask), realRows(out.data(), mask), tol, "out");
        INDArray weights = mha.recorded().get("weights");
        assertClose(f.get("weights_heads"), weights, tol, "per-head weights");
        assertClose(f.get("weights_avg"), weights.mean(1), tol, "averaged weights");

        SeqTensor dx = mha.backward(out.withData(toRows(f.get("R")).castTo(type)));
        assertClose(toRows(f.get("grad_x")), dx.data(), tol, "dx");
        assertClose(f.get("grad_in_proj_weight").transpose(), buffer.gradsByName().get("attn/W_qkv"), tol, "dW_qkv");
        assertClose(f.get("grad_in_proj_bias"), buffer.gradsByName().get("attn/b_qkv"), tol, "db_qkv");
        assertClose(f.get("grad_out_proj_weight").transpose(), buffer.gradsByName().get("attn/W_o"), tol, "dW_o");
        assertClose(f.get("grad_out_proj_bias"), buffer.gradsByName().get("attn/b_o"), tol, "db_o");
    }
}
