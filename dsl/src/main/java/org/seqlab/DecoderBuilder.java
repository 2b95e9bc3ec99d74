package org.seqlab;

import org.seqlab.model.AttentionSpec;
import org.seqlab.model.CrossAttentionSpec;
import org.seqlab.model.PositionalSpec;
import org.seqlab.model.TransformerDecoderSpec;
import org.seqlab.model.TransformerSpec;

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

    /** Sinusoidal position encodings added to each target step (Vaswani et al. 2017). */
    public DecoderBuilder positional() { return layer(PositionalSpec.sinusoidal()); }

    /** Learned position encodings for targets of at most {@code maxLength} steps ({@code <s>} included). */
    public DecoderBuilder positional(int maxLength) { return layer(new PositionalSpec(maxLength)); }

    /**
     * {@code blocks} pre-norm transformer decoder blocks of {@code heads} heads (causal self-attention,
     * cross-attention to the source, feed-forward 4 x width) and a final norm.
     */
    public DecoderBuilder transformer(int blocks, int heads) {
        return layer(TransformerDecoderSpec.of(TransformerSpec.of(blocks, heads)));
    }

    public DecoderBuilder transformer(int blocks, int heads, int ffn) {
        return layer(TransformerDecoderSpec.of(TransformerSpec.of(blocks, heads).ffn(ffn)));
    }

    /** Decoder blocks with every option: {@code d.transformer(Seq.transformer(2, 4).activation(Activation.RELU))}. */
    public DecoderBuilder transformer(TransformerSpec transformer) { return layer(TransformerDecoderSpec.of(transformer)); }
}
