package org.seqlab;

import org.seqlab.model.AttentionSpec;
import org.seqlab.model.BidirectionalSpec;
import org.seqlab.model.PositionalSpec;
import org.seqlab.model.RecurrentSpec;
import org.seqlab.model.TransformerSpec;

/**
 * The encoder of {@code Seq.seq2seq(src, tgt).encoder(e -> e.embed(64).bidirectional(Seq.gru(128)))}:
 * it reads the source ids and writes one state per source step, which the decoder attends to.
 */
public final class EncoderBuilder extends StackBuilder<EncoderBuilder> {

    EncoderBuilder() {
    }

    @Override
    EncoderBuilder self() {
        return this;
    }

    /** A recurrent layer read forwards and backwards ({@code Seq.gru(n)}, {@code Seq.lstm(n)}): each state sees the whole source. */
    public EncoderBuilder bidirectional(RecurrentSpec recurrent) { return layer(new BidirectionalSpec(recurrent)); }

    /** Multi-head self-attention over the source (full, not causal), with a residual connection. */
    public EncoderBuilder attention(int heads) { return layer(new AttentionSpec(heads, false, true)); }

    /** Sinusoidal position encodings added to each step (Vaswani et al. 2017). */
    public EncoderBuilder positional() { return layer(PositionalSpec.sinusoidal()); }

    /** Learned position encodings for sources of at most {@code maxLength} steps ({@code </s>} included). */
    public EncoderBuilder positional(int maxLength) { return layer(new PositionalSpec(maxLength)); }

    /** {@code blocks} pre-norm transformer encoder blocks of {@code heads} heads (full attention, ffn 4 x width) and a final norm. */
    public EncoderBuilder transformer(int blocks, int heads) { return layer(TransformerSpec.of(blocks, heads).causal(false)); }

    public EncoderBuilder transformer(int blocks, int heads, int ffn) {
        return layer(TransformerSpec.of(blocks, heads).ffn(ffn).causal(false));
    }

    /** A transformer encoder with every option: {@code e.transformer(Seq.transformer(2, 4).dropout(0.1))}; always full attention. */
    public EncoderBuilder transformer(TransformerSpec transformer) { return layer(transformer.causal(false)); }
}
