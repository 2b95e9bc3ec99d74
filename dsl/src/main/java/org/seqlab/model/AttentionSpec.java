package org.seqlab.model;

import org.seqlab.layers.Layer;
import org.seqlab.layers.LayerRules;
import org.seqlab.layers.MultiHeadAttention;

/**
 * {@code .attention(heads)}: multi-head scaled dot-product self-attention. {@code causal} null means
 * "decide from the head": causal for per-step outputs (a language model must not see the future),
 * full for pooled ones.
 */
public record AttentionSpec(int heads, Boolean causal, boolean residual) implements LayerSpec {
    public static final LayerKind KIND = new LayerKind("attention",
            w -> new AttentionSpec(w.integer(), w.choice("causal", "full"), w.flag("residual")));

    public String describe() {
        return KIND.form(heads, SavedForm.choiceWord(causal, "causal", "full"), residual ? "residual" : null);
    }

    public Flow plan(Flow in, PlanContext at) {
        at.positive("number of heads", heads);
        at.needsSequence(in, "attention");
        at.require(LayerRules.headsDivide(in.width(), heads));
        return in;
    }

    public Layer compile(CompileContext at) {
        return new MultiHeadAttention(at.name(), at.input().width(), heads, at.causal(causal), residual);
    }
}
