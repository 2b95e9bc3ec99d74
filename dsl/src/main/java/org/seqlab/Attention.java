package org.seqlab;

import org.seqlab.layers.AttentionScore;
import org.seqlab.model.CrossAttentionSpec;

/**
 * The attention of a recurrent decoder over the encoder's states, for
 * {@code Seq.seq2seq(src, tgt)...decoder(d -> d.embed(64).gru(128).attention(Attention.additive()))}.
 * Each scores the decoder's state h against every encoder state m; the decoder then reads
 * {@code tanh([context; h] W_c + b_c)}.
 */
public final class Attention {
    private Attention() {
    }

    /** Bahdanau et al. (2015): {@code v . tanh(h W_q + m W_k + b)}, hidden size = the decoder's width. */
    public static CrossAttentionSpec additive() {
        return new CrossAttentionSpec(AttentionScore.ADDITIVE, 0);
    }

    /** The additive score with hidden size {@code size}. */
    public static CrossAttentionSpec additive(int size) {
        return new CrossAttentionSpec(AttentionScore.ADDITIVE, size);
    }

    /** Luong et al. (2015) "dot": {@code h . m}; the decoder and encoder widths must be equal. */
    public static CrossAttentionSpec dot() {
        return new CrossAttentionSpec(AttentionScore.DOT, 0);
    }

    /** Luong et al. (2015) "general": {@code h W_a m}. */
    public static CrossAttentionSpec general() {
        return new CrossAttentionSpec(AttentionScore.GENERAL, 0);
    }
}
