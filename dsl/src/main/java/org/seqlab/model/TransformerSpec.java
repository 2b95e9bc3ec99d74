package org.seqlab.model;

import org.seqlab.layers.Activation;
import org.seqlab.layers.Layer;
import org.seqlab.layers.LayerRules;
import org.seqlab.layers.Transformer;

/**
 * {@code .transformer(blocks, heads)}: a stack of pre-norm transformer blocks ({@code x + MHA(LN(x))},
 * {@code x + FFN(LN(x))}) and a final layer norm. {@code ffn} is the feed-forward hidden size (0: four
 * times the width), {@code activation} GELU or RELU, {@code dropout} on the residual branches and the
 * feed-forward hidden layer. {@code causal} null decides from the head, as {@link AttentionSpec}: causal
 * when the model predicts every step, full when it pools.
 *
 * <p>Written as {@code Seq.transformer(2, 8).ffn(512).activation(Activation.RELU).dropout(0.1).causal(false)}
 * for the options beyond blocks, heads and ffn.
 */
public record TransformerSpec(int blocks, int heads, int ffn, Activation activation, double dropout, Boolean causal)
        implements LayerSpec {
    public static final LayerKind KIND = new LayerKind("transformer", w -> new TransformerSpec(w.integer(), w.integer(),
            w.integer(), w.activation(), w.decimal(), w.choice("causal", "full")));
    /** The feed-forward size is this many times the width unless given. */
    public static final int FFN_FACTOR = 4;
    /** More blocks than any CPU trains; the cap keeps a damaged or hostile saved spec from building millions. */
    public static final int MAX_BLOCKS = 1024;

    /** {@code blocks} blocks of {@code heads} heads, ffn 4 x width, GELU, no dropout, causal from the head. */
    public static TransformerSpec of(int blocks, int heads) {
        return new TransformerSpec(blocks, heads, 0, Activation.GELU, 0.0, null);
    }

    public TransformerSpec ffn(int size) {
        return new TransformerSpec(blocks, heads, size, activation, dropout, causal);
    }

    public TransformerSpec activation(Activation a) {
        return new TransformerSpec(blocks, heads, ffn, a, dropout, causal);
    }

    public TransformerSpec dropout(double rate) {
        return new TransformerSpec(blocks, heads, ffn, activation, rate, causal);
    }

    public TransformerSpec causal(boolean value) {
        return new TransformerSpec(blocks, heads, ffn, activation, dropout, value);
    }

    public String describe() {
        return KIND.form(blocks, heads, ffn, activation.label(), dropout, SavedForm.choiceWord(causal, "causal", "full"));
    }

    /** The feed-forward size for input width {@code width}. */
    public int ffnFor(int width) {
        return ffn == 0 ? FFN_FACTOR * width : ffn;
    }

    public Flow plan(Flow in, PlanContext at) {
        at.positive("number of blocks", blocks);
        if (blocks > MAX_BLOCKS) throw at.refuse("at most " + MAX_BLOCKS + " blocks, got " + blocks);
        at.positive("number of heads", heads);
        at.needsSequence(in, "a transformer");
        at.require(LayerRules.headsDivide(in.width(), heads));
        if (ffn < 0) throw at.refuse("feed-forward size must be positive (or 0 for " + FFN_FACTOR + " x the width), got " + ffn);
        if (activation != Activation.GELU && activation != Activation.RELU) {
            throw at.refuse("the feed-forward activation is GELU or RELU, not " + activation.label()
                    + "; use .activation(Activation.GELU) or .activation(Activation.RELU)");
        }
        at.require(LayerRules.dropoutRate(dropout));
        return in;
    }

    public Layer compile(CompileContext at) {
        int width = at.input().width();
        return new Transformer(at.name(), width, blocks, heads, ffnFor(width), activation, dropout, at.causal(causal));
    }
}
