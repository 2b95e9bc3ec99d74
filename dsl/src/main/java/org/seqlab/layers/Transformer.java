package org.seqlab.layers;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stack of {@link TransformerBlock}s and a final layer norm (GPT-2's {@code ln_f}; pre-norm blocks
 * leave their output unnormalised), as torch.nn.TransformerEncoder(layer, blocks, norm=LayerNorm).
 * Parameters: each block's under {@code block_1/}, {@code block_2/}, ..., then {@code norm/gamma},
 * {@code norm/beta}. When causal, each block keeps its own key/value cache, so generation feeds one
 * token per call and no block re-reads the prefix.
 */
public final class Transformer extends CompositeLayer implements Recurrent {
    private final int width;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final LayerNorm norm;

    public Transformer(String name, int width, int blocks, int heads, int ffn, Activation activation, double dropout,
                       boolean causal) {
        super(name);
        Checks.positive(name, "number of blocks", blocks);
        this.width = width;
        for (int b = 1; b <= blocks; b++) {
            String local = "block_" + b;
            this.blocks.add(part(local + "/", new TransformerBlock(name + "/" + local, width, heads, ffn, activation,
                    dropout, causal)));
        }
        norm = part("norm/", new LayerNorm(name + "/norm", width, LayerNorm.TORCH_EPS));
    }

    @Override
    public String kind() {
        TransformerBlock first = blocks.get(0);
        return "Transformer(" + blocks.size() + " x " + first.kind().substring("TransformerBlock(".length());
    }

    @Override
    public int inputSize() {
        return width;
    }

    @Override
    public int outputSize() {
        return width;
    }

    public List<TransformerBlock> blocks() {
        return List.copyOf(blocks);
    }

    @Override
    public SeqTensor forward(SeqTensor input, Mode mode) {
        Checks.width(this, input, width);
        startStep();
        SeqTensor x = input;
        for (TransformerBlock b : blocks) x = internal(b.forward(x, mode));
        SeqTensor y = norm.forward(x, mode);
        callers(input.data(), y.data());
        return y;
    }

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        SeqTensor g = internal(norm.backward(gradOutput));
        for (int b = blocks.size() - 1; b >= 0; b--) g = internal(blocks.get(b).backward(g));
        callers(gradOutput.data(), g.data());
        return g;
    }

    /** Every block's key/value cache, {@code [K, V]} per block in order; empty before a causal forward. */
    @Override
    public List<INDArray> finalState() {
        List<INDArray> all = new ArrayList<>();
        for (TransformerBlock b : blocks) all.addAll(b.attention().finalState());
        return List.copyOf(all);
    }
}
