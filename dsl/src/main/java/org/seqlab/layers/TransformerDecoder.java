package org.seqlab.layers;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stack of {@link TransformerDecoderBlock}s and a final layer norm, as
 * torch.nn.TransformerDecoder(layer, blocks, norm=LayerNorm): every block attends to the same memory
 * (the encoder's output), and dL/d(memory) is the sum of the blocks'. Parameters: each block's under
 * {@code block_1/}, {@code block_2/}, ..., then {@code norm/gamma}, {@code norm/beta}. Stepping one
 * token per call, each block's self-attention keeps its key/value cache and its cross-attention the
 * memory's projected keys and values, so no call re-reads the target prefix or re-projects the source.
 */
public final class TransformerDecoder extends CompositeLayer implements AttendsToMemory, Recurrent {
    private final int width;
    private final List<TransformerDecoderBlock> blocks = new ArrayList<>();
    private final LayerNorm norm;
    private INDArray memoryGradient;

    public TransformerDecoder(String name, int width, int memoryWidth, int blocks, int heads, int ffn, Activation activation,
                              double dropout) {
        super(name);
        Checks.positive(name, "number of blocks", blocks);
        this.width = width;
        for (int b = 1; b <= blocks; b++) {
            String local = "block_" + b;
            this.blocks.add(part(local + "/", new TransformerDecoderBlock(name + "/" + local, width, memoryWidth, heads, ffn,
                    activation, dropout)));
        }
        norm = part("norm/", new LayerNorm(name + "/norm", width, LayerNorm.TORCH_EPS));
    }

    @Override
    public String kind() {
        return "TransformerDecoder(" + blocks.size() + " x " + blocks.get(0).kind().substring("TransformerDecoderBlock(".length());
    }

    @Override
    public int inputSize() {
        return width;
    }

    @Override
    public int outputSize() {
        return width;
    }

    public List<TransformerDecoderBlock> blocks() {
        return List.copyOf(blocks);
    }

    @Override
    public void attendTo(SeqTensor memory) {
        for (TransformerDecoderBlock b : blocks) b.attendTo(memory);
        memoryGradient = null;
    }

    @Override
    public SeqTensor memory() {
        return blocks.get(0).memory();
    }

    @Override
    public INDArray memoryGradient() {
        return memoryGradient;
    }

    @Override
    public int memoryWidth() {
        return blocks.get(0).memoryWidth();
    }

    @Override
    public void selectRows(int[] rows) {
        for (TransformerDecoderBlock b : blocks) b.selectRows(rows);
    }

    @Override
    public SeqTensor forward(SeqTensor input, Mode mode) {
        Checks.width(this, input, width);
        startStep();
        SeqTensor x = input;
        for (TransformerDecoderBlock b : blocks) x = internal(b.forward(x, mode));
        SeqTensor y = norm.forward(x, mode);
        callers(input.data(), y.data());
        return y;
    }

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        SeqTensor g = internal(norm.backward(gradOutput));
        INDArray dMemory = null;
        for (int b = blocks.size() - 1; b >= 0; b--) {
            g = internal(blocks.get(b).backward(g));
            INDArray d = blocks.get(b).memoryGradient();
            dMemory = dMemory == null ? d.dup() : dMemory.addi(d);
        }
        memoryGradient = dMemory;
        callers(gradOutput.data(), g.data());
        return g;
    }

    /** Every block's self-attention key/value cache, {@code [K, V]} per block in order; empty before a stepping call. */
    @Override
    public List<INDArray> finalState() {
        List<INDArray> all = new ArrayList<>();
        for (TransformerDecoderBlock b : blocks) all.addAll(b.selfAttention().finalState());
        return List.copyOf(all);
    }
}
