package org.seqlab;

import org.seqlab.model.AttentionSpec;
import org.seqlab.model.CrossAttentionSpec;

/**
 * The decoder of {@code Seq.seq2seq(src, tgt)...decoder(d -> d.embed(64).gru(128).attention(Attention.additive()))}:
 * it reads {@code <s>} and the target so far and predicts the next target token; its first recurrent
 * layer starts from the encoder's final state, and {@link #attention(CrossAttentionSpec)} reads the
 * encoder's states. The output layer (a softmax over the target vocabulary) is implied.
 */
public final class DecoderBuilder extends StackBuilder<DecoderBuilder> {

    DecoderBuilder() {
    }

    @Override
    DecoderBuilder self() {
        return this;
    }

    /** Attention over the source's encoder states: {@code Attention.additive()}, {@code .dot()} or {@code .general()}. */
    public DecoderBuilder attention(CrossAttentionSpec attention) { return layer(attention); }

    /** Causal multi-head self-attention over the target so far, with a residual connection. */
    public DecoderBuilder attention(int heads) { return layer(new AttentionSpec(heads, true, true)); }
}
