package org.seqlab;

import org.seqlab.model.AttentionSpec;
import org.seqlab.model.BidirectionalSpec;
import org.seqlab.model.RecurrentSpec;

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
}
