package org.seqlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One pre-norm transformer block, as torch.nn.TransformerEncoderLayer(norm_first=True):
 * {@code h = x + Drop(MHA(LN1(x)))}, then {@code y = h + Drop(W2 Drop(act(W1 LN2(h) + b1)) + b2)}.
 * The attention is {@link MultiHeadAttention} without its own residual (causal or full, with its
 * key/value cache for step-by-step generation); the feed-forward part is two {@link Dense} layers.
 * Dropout (rate {@code dropout}) acts on both residual branches and on the feed-forward hidden
 * layer, as torch places it; torch also drops attention weights, which this block does not.
 *
 * <p>Parameters, local to the block: {@code ln_1/gamma, ln_1/beta}, {@code attention/W_qkv, b_qkv,
 * W_o, b_o}, {@code ln_2/...}, {@code ffn_1/W [D, F], ffn_1/b}, {@code ffn_2/W [F, D], ffn_2/b}
 * (torch's linear1.weight is {@code ffn_1/W} transposed). Backward runs the same parts in reverse;
 * each residual adds the gradient arriving at the block's output to the branch's input gradient.
 */
public final class TransformerBlock extends CompositeLayer {
    private final int width;
    private final int ffn;
    private final LayerNorm norm1;
    private final MultiHeadAttention attention;
    private final Dropout attentionDropout;
    private final Dense expand;
    private final PreNormFeedForward feedForward;
    private SeqTensor lastInput;

    public TransformerBlock(String name, int width, int heads, int ffn, Activation activation, double dropout, boolean causal) {
        super(name);
        Checks.positive(name, "width", width);
        Checks.positive(name, "feed-forward size", ffn);
        this.width = width;
        this.ffn = ffn;
        norm1 = part("ln_1/", new LayerNorm(name + "/ln_1", width, LayerNorm.TORCH_EPS));
        attention = part("attention/", new MultiHeadAttention(name, width, heads, causal, false));
        attentionDropout = part("dropout_1/", new Dropout(name + "/dropout_1", width, dropout));
        LayerNorm norm2 = part("ln_2/", new LayerNorm(name + "/ln_2", width, LayerNorm.TORCH_EPS));
        expand = part("ffn_1/", new Dense(name + "/ffn_1", width, ffn, activation));
        Dropout hiddenDropout = part("dropout_2/", new Dropout(name + "/dropout_2", ffn, dropout));
        Dense contract = part("ffn_2/", new Dense(name + "/ffn_2", ffn, width, Activation.IDENTITY));
        Dropout ffnDropout = part("dropout_3/", new Dropout(name + "/dropout_3", width, dropout));
        feedForward = new PreNormFeedForward(norm2, expand, hiddenDropout, contract, ffnDropout);
    }

    @Override
    public String kind() {
        return "TransformerBlock(" + attention.heads() + " heads, ffn " + ffn + ", " + expand.activation().label()
                + (attention.causal() ? ", causal" : "") + ")";
    }

    @Override
    public int inputSize() {
        return width;
    }

    @Override
    public int outputSize() {
        return width;
    }

    /** The block's self-attention (its weights are what inspection shows). */
    public MultiHeadAttention attention() {
        return attention;
    }

    @Override
    public SeqTensor forward(SeqTensor x, Mode mode) {
        Checks.width(this, x, width);
        startStep();
        SeqTensor branch = internal(attentionDropout.forward(internal(attention.forward(internal(norm1.forward(x, mode)), mode)), mode));
        SeqTensor h = internal(x.withData(x.data().add(branch.data())));
        INDArray y = feedForward.forward(h, mode, this::internal);
        lastInput = x;
        callers(x.data(), y);
        return x.withData(y);
    }

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        Checks.backwardAfterForward(this, lastInput);
        INDArray dh = feedForward.backward(gradOutput, this::internal);
        SeqTensor gh = gradOutput.withData(dh);
        SeqTensor ga = norm1.backward(internal(attention.backward(internal(attentionDropout.backward(gh)))));
        INDArray dx = ga.data().addi(dh);
        callers(gradOutput.data(), dx);
        return lastInput.withData(dx);
    }
}
