package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqlab.layers.LayerTestSupport.*;

import java.util.List;
import java.util.Map;
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

class TransformerTest {

    @Test
    void parametersHaveStableNamesAndTorchSizes() {
        Transformer t = new Transformer("transformer_1", 8, 2, 2, 32, Activation.GELU, 0, true);
        ParameterBuffer buffer = GradientCheck.bindDouble(t, 1);
        long block = 2 * 8 + (8 * 24 + 24 + 8 * 8 + 8) + 2 * 8 + (8 * 32 + 32) + (32 * 8 + 8);
        assertEquals(2 * block + 2 * 8, buffer.size());
        assertArrayEquals(new long[] {8, 24}, buffer.byName().get("transformer_1/block_1/attention/W_qkv").shape());
        assertArrayEquals(new long[] {8, 32}, buffer.byName().get("transformer_1/block_2/ffn_1/W").shape());
        assertArrayEquals(new long[] {32, 8}, buffer.byName().get("transformer_1/block_2/ffn_2/W").shape());
        assertArrayEquals(new long[] {8}, buffer.byName().get("transformer_1/norm/gamma").shape());
        assertEquals("Transformer(2 x 2 heads, ffn 32, gelu, causal)", t.kind());
        SeqTensor out = t.forward(GradientCheck.randomInput(5, 3, 8, null, 2), Mode.eval());
        assertArrayEquals(new long[] {15, 8}, out.data().shape());
    }

    @Test
    void badArgumentsNameTheLayer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Transformer("transformer_1", 10, 2, 4, 40, Activation.GELU, 0, true));
        assertTrue(e.getMessage().contains("transformer_1/block_1") && e.getMessage().contains("4 heads do not divide the width 10"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Transformer("t", 8, 0, 2, 8, Activation.RELU, 0, true));
        assertTrue(e.getMessage().contains("number of blocks must be positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Transformer("t", 8, 1, 2, 8, Activation.RELU, 1.0, true));
        assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} causal={1} dropout={2}")
    @CsvSource({"GELU,true,0.0", "RELU,false,0.0", "GELU,false,0.25"})
    void blockGradientCheckWithPadding(Activation activation, boolean causal, double dropout) {
        TransformerBlock block = new TransformerBlock("block", 4, 2, 6, activation, dropout, causal);
        ParameterBuffer buffer = GradientCheck.bindDouble(block, 3);
        randomize(buffer, 4);
        GradientCheck.check(block, buffer, GradientCheck.randomInput(3, 2, 4, mask(3, 3, 2), 5), true, 6);
    }

    @Test
    void stackGradientCheck() {
        // small (width 2, one value per head): the blocks' parts are checked above; this checks their wiring
        Transformer t = new Transformer("t", 2, 2, 2, 3, Activation.GELU, 0, true);
        ParameterBuffer buffer = GradientCheck.bindDouble(t, 7);
        randomize(buffer, 8);
        GradientCheck.check(t, buffer, GradientCheck.randomInput(3, 2, 2, mask(3, 2, 3), 9), true, 10);
    }

    /** Zero-initialised biases and unit layer-norm scales would leave some gradient paths unexercised. */
    private static void randomize(ParameterBuffer buffer, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (Map.Entry<String, INDArray> e : buffer.byName().entrySet()) {
            INDArray p = e.getValue();
            if (p.rank() == 1) p.addi(Nd4j.rand(DataType.DOUBLE, p.shape()).subi(0.5));
        }
    }

    /** One token per call through every block's key/value cache gives the rows of the full causal pass. */
    @Test
    void kvCacheSteppingEqualsTheFullCausalForward() {
        int time = 6, batch = 2, width = 8;
        Transformer t = new Transformer("t", width, 2, 4, 16, Activation.GELU, 0, true);
        randomize(GradientCheck.bindDouble(t, 11), 12);
        SeqTensor in = GradientCheck.randomInput(time, batch, width, null, 13);
        INDArray full = t.forward(in, Mode.eval()).data();
        t.resetState();
        Mode step = Mode.eval().withCarryState(true);
        for (int s = 0; s < time; s++) {
            INDArray out = t.forward(new SeqTensor(in.step(s).dup(), 1, batch, null), step).data();
            assertClose(SeqTensor.stepOf(full, s, batch), out, 1e-12, "step " + s);
        }
        assertEquals(4, t.finalState().size(), "K and V of each of 2 blocks");
        assertEquals(time, t.finalState().get(0).size(2));
        t.resetState();
        assertTrue(t.finalState().isEmpty());
    }

    /** {@code blocks == 0}: the fixture is one TransformerEncoderLayer; else a TransformerEncoder with a final norm. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"transformer_block_causal_gelu,DOUBLE", "transformer_block_causal_gelu,FLOAT",
            "transformer_block_full_relu,DOUBLE", "transformer_block_full_relu,FLOAT",
            "transformer_stack_causal_gelu,DOUBLE", "transformer_stack_causal_gelu,FLOAT"})
    void matchesTorchTransformerEncoderLayerNormFirst(String fixture, DataType type) {
        TorchFixture f = TorchFixture.load("/reference/" + fixture + ".txt");
        INDArray x = f.get("x");
        int batch = (int) x.size(0), time = (int) x.size(1), width = (int) x.size(2);
        int ffn = (int) f.get("l0_linear1_weight").size(0);
        int heads = Integer.parseInt(fixture.contains("full_relu") ? "3" : fixture.contains("stack") ? "4" : "2");
        Activation activation = fixture.contains("relu") ? Activation.RELU : Activation.GELU;
        boolean causal = fixture.contains("causal"), stack = fixture.contains("stack");
        Layer layer = stack ? new Transformer("t", width, 2, heads, ffn, activation, 0, causal)
                : new TransformerBlock("t", width, heads, ffn, activation, 0, causal);
        ParameterBuffer buffer = bind(layer, type);
        int blocks = stack ? 2 : 1;
        for (int b = 0; b < blocks; b++) assign(buffer, f, stack ? "t/block_" + (b + 1) + "/" : "t/", "l" + b + "_", false);
        if (stack) {
            buffer.byName().get("t/norm/gamma").assign(f.get("norm_weight"));
            buffer.byName().get("t/norm/beta").assign(f.get("norm_bias"));
        }
        INDArray mask = toColumn(f.get("mask")).castTo(type);
        SeqTensor out = layer.forward(new SeqTensor(toRows(x).castTo(type), time, batch, mask), Mode.train(new Random(0)));
        double tol = tolerance(type);
        // padded query rows differ by design (torch attends from them, seqlab's attention outputs 0 there)
        INDArray expectedOut = realRows(toRows(f.get("out")), mask);
        assertClose(expectedOut, realRows(out.data(), mask), tol, fixture + " out");
        SeqTensor dx = layer.backward(out.withData(toRows(f.get("R")).castTo(type)));
        assertClose(toRows(f.get("grad_x")), dx.data(), tol, fixture + " dx");
        for (int b = 0; b < blocks; b++) assign(buffer, f, stack ? "t/block_" + (b + 1) + "/" : "t/", "l" + b + "_", true);
        if (stack) {
            assertClose(f.get("grad_norm_weight"), buffer.gradsByName().get("t/norm/gamma"), tol, "dgamma");
            assertClose(f.get("grad_norm_bias"), buffer.gradsByName().get("t/norm/beta"), tol, "dbeta");
        }
        System.out.printf("torch parity %s %s: max |out - torch| %.2e, max |dx - torch| %.2e%n", fixture, type,
                maxAbs(expectedOut, realRows(out.data(), mask)), maxAbs(toRows(f.get("grad_x")), dx.data()));
    }

    /** Writes torch's parameters into the block under {@code ours} (or, with {@code grads}, checks the gradients). */
    private static void assign(ParameterBuffer buffer, TorchFixture f, String ours, String theirs, boolean grads) {
        String[][] pairs = {{"attention/W_qkv", "in_proj_weight", "T"}, {"attention/b_qkv", "in_proj_bias", ""},
                {"attention/W_o", "out_proj_weight", "T"}, {"attention/b_o", "out_proj_bias", ""},
                {"ffn_1/W", "linear1_weight", "T"}, {"ffn_1/b", "linear1_bias", ""},
                {"ffn_2/W", "linear2_weight", "T"}, {"ffn_2/b", "linear2_bias", ""},
                {"ln_1/gamma", "norm1_weight", ""}, {"ln_1/beta", "norm1_bias", ""},
                {"ln_2/gamma", "norm2_weight", ""}, {"ln_2/beta", "norm2_bias", ""}};
        for (String[] p : pairs) {
            INDArray torch = f.get(theirs + (grads ? "grad_" : "") + p[1]);
            if (p[2].equals("T")) torch = torch.transpose();
            if (grads) {
                INDArray g = buffer.gradsByName().get(ours + p[0]);
                assertClose(torch, g, tolerance(g.dataType()), "d" + ours + p[0]);
            } else {
                buffer.byName().get(ours + p[0]).assign(torch);
            }
        }
    }

    private static double maxAbs(INDArray expected, INDArray actual) {
        return expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    @Test
    void inspectionSeesEveryBlocksAttention() {
        Transformer t = new Transformer("transformer_1", 4, 3, 2, 8, Activation.RELU, 0, false);
        GradientCheck.bindDouble(t, 1);
        t.forward(GradientCheck.randomInput(4, 1, 4, null, 2), Mode.eval().withRecord(true));
        List<TransformerBlock> blocks = t.blocks();
        assertEquals(3, blocks.size());
        for (TransformerBlock b : blocks) {
            assertArrayEquals(new long[] {1, 2, 4, 4}, b.attention().recorded().get("weights").shape());
            assertTrue(b.parts().contains(b.attention()));
        }
        assertEquals("transformer_1/block_2", blocks.get(1).attention().name());
    }

    @Test
    void dropoutOnlyActsWhileTraining() {
        Transformer t = new Transformer("t", 4, 1, 2, 8, Activation.GELU, 0.5, false);
        GradientCheck.bindDouble(t, 1);
        SeqTensor in = GradientCheck.randomInput(3, 2, 4, null, 2);
        INDArray eval1 = t.forward(in, Mode.eval()).data().dup();
        INDArray train = t.forward(in, Mode.train(new Random(3))).data().dup();
        INDArray eval2 = t.forward(in, Mode.eval()).data();
        assertEquals(eval1, eval2);
        assertTrue(eval1.sub(train).amaxNumber().doubleValue() > 1e-3, "training output differs from evaluation");
    }
}
