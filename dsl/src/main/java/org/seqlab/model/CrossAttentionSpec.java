package org.seqlab.model;

import org.seqlab.layers.AttentionScore;
import org.seqlab.layers.CrossAttention;
import org.seqlab.layers.Layer;

/**
 * {@code .attention(Attention.additive())} in a recurrent decoder: attention over the encoder's
 * states with a Luong (dot, general) or Bahdanau (additive) score, output {@code tanh([c; h] W_c + b_c)}
 * of the decoder's width ({@link CrossAttention}). {@code size} is the additive score's hidden size
 * (0: the decoder's width); the other scores ignore it.
 */
public record CrossAttentionSpec(AttentionScore score, int size) implements LayerSpec {
    public static final LayerKind KIND = new LayerKind("cross_attention",
            w -> new CrossAttentionSpec(AttentionScore.ofLabel(w.word()), w.integer()));

    public CrossAttentionSpec {
        java.util.Objects.requireNonNull(score, "score");
    }

    public String describe() {
        return KIND.form(score.label(), size);
    }

    public boolean readsMemory() {
        return true;
    }

    public Flow plan(Flow in, PlanContext at) {
        Flow memory = at.needsMemory("attention over the source (Attention." + score.label() + "())");
        at.needsSequence(in, "attention");
        if (size < 0) throw at.refuse("the additive attention size must be positive (or 0 for the decoder's width), got " + size);
        if (score == AttentionScore.DOT && in.width() != memory.width()) {
            throw at.refuse("dot-product attention needs the decoder width (" + in.width() + ") to equal the encoder's output "
                    + "width (" + memory.width() + "); use Attention.general() or Attention.additive(), or make the widths equal");
        }
        return in;
    }

    public Layer compile(CompileContext at) {
        int width = at.input().width();
        return new CrossAttention(at.name(), width, at.memory().width(), score, size == 0 ? width : size);
    }
}
