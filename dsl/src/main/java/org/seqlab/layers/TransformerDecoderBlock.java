package org.seqlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One pre-norm transformer decoder block, as torch.nn.TransformerDecoderLayer(norm_first=True):
 * <pre>
 *   h1 = x  + Drop(SelfAttention(LN1(x)))          causal, over the target so far
 *   h2 = h1 + Drop(CrossAttention(LN2(h1), memory)) over the encoder's output
 *   y  = h2 + Drop(W2 Drop(act(W1 LN3(h2) + b1)) + b2)
 * </pre>
 * The self-attention is {@link MultiHeadAttention} (causal, no residual of its own, with its key/value
 * cache when stepping), the cross-attention {@link MultiHeadCrossAttention} (the memory's keys and
 * values projected once when stepping), the feed-forward part two {@link Dense} layers.
 *
 * <p>Parameters, local to the block: {@code ln_1/}, {@code self_attention/W_qkv, b_qkv, W_o, b_o},
 * {@code ln_2/}, {@code cross_attention/W_q, b_q, W_kv, b_kv, W_o, b_o}, {@code ln_3/},
 * {@code ffn_1/W [D, F], b}, {@code ffn_2/W [F, D], b}; from torch: {@code self_attn.in_proj_weight}
 * is {@code W_qkv} transposed, {@code multihead_attn.in_proj_weight} is {@code [W_q | W_kv]}
 * transposed, {@code linear1.weight} is {@code ffn_1/W} transposed, {@code norm1..3} are the layer norms.
 * Backward runs the parts in reverse; each residual adds the gradient arriving at its output to its
 * branch's input gradient, and the cross-attention's dL/d(memory) is kept for the encoder.
 */
public final class TransformerDecoderBlock extends CompositeLayer implements AttendsToMemory {
    private final int width;
    private final int ffn;
    private final LayerNorm norm1;
    private final MultiHeadAttention selfAttention;
    private final Dropout selfDropout;
    private final LayerNorm norm2;
    private final MultiHeadCrossAttention crossAttention;
    private final Dropout crossDropout;
    private final Dense expand;
    private final PreNormFeedForward feedForward;
    private SeqTensor lastInput;

    public TransformerDecoderBlock(String name, int width, int memoryWidth, int heads, int ffn, Activation activation,
                                   double dropout) {
        super(name);
        Checks.positive(name, "width", width);
        Checks.positive(name, "feed-forward size", ffn);
        this.width = width;
        this.ffn = ffn;
        norm1 = part("ln_1/", new LayerNorm(name + "/ln_1", width, LayerNorm.TORCH_EPS));
        selfAttention = part("self_attention/", new MultiHeadAttention(name + "/self_attention", width, heads, true, false));
        selfDropout = part("dropout_1/", new Dropout(name + "/dropout_1", width, dropout));
        norm2 = part("ln_2/", new LayerNorm(name + "/ln_2", width, LayerNorm.TORCH_EPS));
        crossAttention = part("cross_attention/", new MultiHeadCrossAttention(name + "/cross_attention", width, memoryWidth, heads));
        crossDropout = part("dropout_2/", new Dropout(name + "/dropout_2", width, dropout));
        LayerNorm norm3 = part("ln_3/", new LayerNorm(name + "/ln_3", width, LayerNorm.TORCH_EPS));
        expand = part("ffn_1/", new Dense(name + "/ffn_1", width, ffn, activation));
        Dropout hiddenDropout = part("dropout_3/", new Dropout(name + "/dropout_3", ffn, dropout));
        Dense contract = part("ffn_2/", new Dense(name + "/ffn_2", ffn, width, Activation.IDENTITY));
        Dropout ffnDropout = part("dropout_4/", new Dropout(name + "/dropout_4", width, dropout));
        feedForward = new PreNormFeedForward(norm3, expand, hiddenDropout, contract, ffnDropout);
    }

    @Override
    public String kind() {
        return "TransformerDecoderBlock(" + selfAttention.heads() + " heads, ffn " + ffn + ", " + expand.activation().label() + ")";
    }

    @Override
    public int inputSize() {
        return width;
    }

    @Override
    public int outputSize() {
        return width;
    }

    public MultiHeadAttention selfAttention() {
        return selfAttention;
    }

    public MultiHeadCrossAttention crossAttention() {
        return crossAttention;
    }

    @Override
    public void attendTo(SeqTensor memory) {
        crossAttention.attendTo(memory);
    }

    @Override
    public SeqTensor memory() {
        return crossAttention.memory();
    }

    @Override
    public INDArray memoryGradient() {
        return crossAttention.memoryGradient();
    }

    @Override
    public int memoryWidth() {
        return crossAttention.memoryWidth();
    }

    @Override
    public void selectRows(int[] rows) {
        selfAttention.selectRows(rows);
        crossAttention.selectRows(rows);
    }

    @Override
    public SeqTensor forward(SeqTensor x, Mode mode) {
        Checks.width(this, x, width);
        startStep();
        SeqTensor a = internal(selfDropout.forward(internal(selfAttention.forward(internal(norm1.forward(x, mode)), mode)), mode));
        SeqTensor h1 = internal(x.withData(x.data().add(a.data())));
        SeqTensor c = internal(crossDropout.forward(internal(crossAttention.forward(internal(norm2.forward(h1, mode)), mode)), mode));
        SeqTensor h2 = internal(x.withData(h1.data().add(c.data())));
        INDArray y = feedForward.forward(h2, mode, this::internal);
        lastInput = x;
        callers(x.data(), y);
        return x.withData(y);
    }

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        Checks.backwardAfterForward(this, lastInput);
        INDArray dh2 = feedForward.backward(gradOutput, this::internal);
        SeqTensor gc = internal(norm2.backward(internal(crossAttention.backward(internal(crossDropout.backward(gradOutput.withData(dh2)))))));
        INDArray dh1 = gc.data().addi(dh2);
        SeqTensor ga = norm1.backward(internal(selfAttention.backward(internal(selfDropout.backward(gradOutput.withData(dh1))))));
        INDArray dx = ga.data().addi(dh1);
        callers(gradOutput.data(), dx);
        return lastInput.withData(dx);
    }
}
