package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

class TransformerDecoderTest {

    /** Random biases and norm parameters (they start at 0 and 1), so every path is checked. */
    private static ParameterBuffer randomised(Layer layer, long seed) {
        ParameterBuffer buffer = GradientCheck.bindDouble(layer, seed);
        Nd4j.getRandom().setSeed(seed + 1);
        buffer.byName().forEach((name, p) -> {
            if (name.endsWith("/b") || name.endsWith("_q") || name.endsWith("_kv") && !name.contains("W_") || name.endsWith("b_qkv")
                    || name.endsWith("b_o") || name.endsWith("beta")) {
                p.assign(Nd4j.rand(DataType.DOUBLE, p.shape()).subi(0.5));
            }
            if (name.endsWith("gamma")) p.assign(Nd4j.rand(DataType.DOUBLE, p.shape()).addi(0.5));
        });
        return buffer;
    }

    @Test
    void shapesAndParameterNames() {
        TransformerDecoder d = new TransformerDecoder("decoder", 8, 6, 2, 2, 16, Activation.GELU, 0);
        ParameterBuffer buffer = GradientCheck.bindDouble(d, 1);
        assertArrayEquals(new long[] {8, 24}, buffer.byName().get("decoder/block_1/self_attention/W_qkv").shape());
        assertArrayEquals(new long[] {6, 16}, buffer.byName().get("decoder/block_2/cross_attention/W_kv").shape());
        assertArrayEquals(new long[] {8, 16}, buffer.byName().get("decoder/block_2/ffn_1/W").shape());
        assertArrayEquals(new long[] {8}, buffer.byName().get("decoder/norm/gamma").shape());
        d.attendTo(GradientCheck.randomInput(3, 2, 6, null, 2));
        assertEquals(8, d.forward(GradientCheck.randomInput(4, 2, 8, null, 3), Mode.eval()).width());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"RELU", "GELU"})
    void blockGradientCheckWithPaddingOnBothSides(Activation activation) {
        TransformerDecoderBlock b = new TransformerDecoderBlock("block", 4, 3, 2, 6, activation, 0);
        ParameterBuffer buffer = randomised(b, 3);
        SeqTensor memory = GradientCheck.randomInput(4, 2, 3, mask(4, 4, 2), 5);
        SeqTensor x = GradientCheck.randomInput(3, 2, 4, mask(3, 3, 2), 6);
        b.attendTo(memory);
        GradientCheck.check(b, buffer, x, true, 7);
        GradientCheck.checkMemory(b, buffer, x, memory, 7);
    }

    @Test
    void stackGradientCheckSumsTheBlocksMemoryGradients() {
        TransformerDecoder d = new TransformerDecoder("decoder", 4, 4, 2, 2, 4, Activation.GELU, 0);
        ParameterBuffer buffer = randomised(d, 4);
        SeqTensor memory = GradientCheck.randomInput(3, 2, 4, mask(3, 3, 2), 5);
        SeqTensor x = GradientCheck.randomInput(3, 2, 4, mask(3, 2, 3), 6);
        d.attendTo(memory);
        GradientCheck.check(d, buffer, x, true, 8);
        GradientCheck.checkMemory(d, buffer, x, memory, 8);
    }

    /** One target step per call (self-attention cache, memory projected once) gives the rows of the whole pass; rows can be kept. */
    @Test
    void steppingEqualsTheWholePassAndRowsCanBeSelected() {
        TransformerDecoder d = new TransformerDecoder("decoder", 6, 4, 2, 3, 12, Activation.RELU, 0);
        randomised(d, 2);
        SeqTensor memory = GradientCheck.randomInput(5, 3, 4, mask(5, 5, 2, 4), 3);
        SeqTensor x = GradientCheck.randomInput(4, 3, 6, null, 4);
        d.attendTo(memory);
        INDArray full = d.forward(x, Mode.eval()).data();
        d.resetState();
        Mode stepping = Mode.eval().withCarryState(true);
        for (int t = 0; t < 3; t++) {
            INDArray one = d.forward(new SeqTensor(x.step(t).dup(), 1, 3, null), stepping).data();
            assertClose(SeqTensor.stepOf(full, t, 3), one, 1e-12, "step " + t);
        }
        // keep rows [2, 2, 0]: the last step continues each row's own prefix
        int[] rows = {2, 2, 0};
        d.selectRows(rows);
        INDArray last = d.forward(new SeqTensor(Nd4j.pullRows(x.step(3), 1, rows), 1, 3, null), stepping).data();
        assertClose(Nd4j.pullRows(SeqTensor.stepOf(full, 3, 3), 1, rows), last, 1e-12, "selected rows");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"transformer_decoder_block_relu,DOUBLE", "transformer_decoder_block_relu,FLOAT",
            "transformer_decoder_block_gelu,DOUBLE", "transformer_decoder_block_gelu,FLOAT",
            "transformer_decoder_stack_gelu,DOUBLE", "transformer_decoder_stack_gelu,FLOAT"})
    void matchesTorchTransformerDecoderLayerNormFirst(String fixture, DataType type) {
        TorchFixture f = TorchFixture.load("/reference/" + fixture + ".txt");
        INDArray x = f.get("x"), m = f.get("memory");
        int batch = (int) x.size(0), t = (int) x.size(1), width = (int) x.size(2), s = (int) m.size(1);
        int ffn = (int) f.get("block_1.linear1.weight").size(0);
        int heads = fixture.contains("block_gelu") ? 4 : 2;
        int blocks = fixture.contains("stack") ? 2 : 1;
        Activation activation = fixture.contains("relu") ? Activation.RELU : Activation.GELU;
        Layer layer = blocks == 1 ? new TransformerDecoderBlock("d", width, width, heads, ffn, activation, 0)
                : new TransformerDecoder("d", width, width, blocks, heads, ffn, activation, 0);
        ParameterBuffer buffer = bind(layer, type);
        for (int b = 1; b <= blocks; b++) assign(buffer, f, blocks == 1 ? "d/" : "d/block_" + b + "/", "block_" + b + ".", width, false);
        if (blocks > 1) {
            buffer.byName().get("d/norm/gamma").assign(f.get("norm.weight"));
            buffer.byName().get("d/norm/beta").assign(f.get("norm.bias"));
        }
        INDArray tMask = toColumn(f.get("t_mask")).castTo(type);
        ((AttendsToMemory) layer).attendTo(new SeqTensor(toRows(m).castTo(type), s, batch, toColumn(f.get("m_mask")).castTo(type)));
        SeqTensor out = layer.forward(new SeqTensor(toRows(x).castTo(type), t, batch, tMask), Mode.train(new Random(0)));
        double tol = tolerance(type);
        INDArray expected = realRows(toRows(f.get("out")), tMask);
        assertClose(expected, realRows(out.data(), tMask), tol, fixture + " out");
        buffer.grads().assign(0);
        SeqTensor dx = layer.backward(out.withData(toRows(f.get("R")).castTo(type)));
        assertClose(toRows(f.get("grad_x")), dx.data(), tol, fixture + " dx");
        INDArray dm = ((AttendsToMemory) layer).memoryGradient();
        assertClose(toRows(f.get("grad_memory")), dm, tol, fixture + " dmemory");
        for (int b = 1; b <= blocks; b++) assign(buffer, f, blocks == 1 ? "d/" : "d/block_" + b + "/", "block_" + b + ".", width, true);
        if (blocks > 1) {
            assertClose(f.get("grad_norm.weight"), buffer.gradsByName().get("d/norm/gamma"), tol, "dgamma");
            assertClose(f.get("grad_norm.bias"), buffer.gradsByName().get("d/norm/beta"), tol, "dbeta");
        }
        System.out.printf("torch parity %s %s: max |out - torch| %.2e, max |dx - torch| %.2e, max |dmemory - torch| %.2e%n", fixture,
                type, maxAbs(expected, realRows(out.data(), tMask)), maxAbs(toRows(f.get("grad_x")), dx.data()),
                maxAbs(toRows(f.get("grad_memory")), dm));
    }

    /** Ours from torch's (or, with {@code grads}, compares the gradients); torch's [3D, D] cross in_proj splits into W_q | W_kv. */
    private static void assign(ParameterBuffer buffer, TorchFixture f, String ours, String theirs, int d, boolean grads) {
        String[][] pairs = {{"self_attention/W_qkv", "self_attn.in_proj_weight", "T"}, {"self_attention/b_qkv", "self_attn.in_proj_bias", ""},
                {"self_attention/W_o", "self_attn.out_proj.weight", "T"}, {"self_attention/b_o", "self_attn.out_proj.bias", ""},
                {"cross_attention/W_o", "multihead_attn.out_proj.weight", "T"}, {"cross_attention/b_o", "multihead_attn.out_proj.bias", ""},
                {"ffn_1/W", "linear1.weight", "T"}, {"ffn_1/b", "linear1.bias", ""},
                {"ffn_2/W", "linear2.weight", "T"}, {"ffn_2/b", "linear2.bias", ""},
                {"ln_1/gamma", "norm1.weight", ""}, {"ln_1/beta", "norm1.bias", ""},
                {"ln_2/gamma", "norm2.weight", ""}, {"ln_2/beta", "norm2.bias", ""},
                {"ln_3/gamma", "norm3.weight", ""}, {"ln_3/beta", "norm3.bias", ""}};
        for (String[] p : pairs) {
            INDArray torch = f.get((grads ? "grad_" : "") + theirs + p[1]);
            put(buffer, ours + p[0], p[2].equals("T") ? torch.transpose() : torch, grads);
        }
        INDArray w = f.get((grads ? "grad_" : "") + theirs + "multihead_attn.in_proj_weight");
        INDArray b = f.get((grads ? "grad_" : "") + theirs + "multihead_attn.in_proj_bias");
        put(buffer, ours + "cross_attention/W_q", w.get(NDArrayIndex.interval(0, d), NDArrayIndex.all()).transpose(), grads);
        put(buffer, ours + "cross_attention/W_kv", w.get(NDArrayIndex.interval(d, 3 * d), NDArrayIndex.all()).transpose(), grads);
        put(buffer, ours + "cross_attention/b_q", b.get(NDArrayIndex.interval(0, d)), grads);
        put(buffer, ours + "cross_attention/b_kv", b.get(NDArrayIndex.interval(d, 3 * d)), grads);
    }

    private static void put(ParameterBuffer buffer, String name, INDArray torch, boolean grads) {
        if (grads) {
            INDArray g = buffer.gradsByName().get(name);
            assertClose(torch, g, tolerance(g.dataType()), "d" + name);
        } else {
            buffer.byName().get(name).assign(torch);
        }
    }

    private static double maxAbs(INDArray expected, INDArray actual) {
        return expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
