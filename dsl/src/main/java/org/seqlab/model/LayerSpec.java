package org.seqlab.model;

import org.seqlab.layers.Activation;

/**
 * One layer as the user wrote it, before any array exists. Records are immutable and printable;
 * {@link #describe()} gives the line the summary and the save file use.
 */
public sealed interface LayerSpec {

    /** Kind and options, such as {@code lstm 512} or {@code attention 8 causal residual}. */
    String describe();

    /** The first word of {@link #describe()}; layer names are this plus a counter ({@code lstm_1}). */
    default String baseName() {
        String d = describe();
        int space = d.indexOf(' ');
        return space < 0 ? d : d.substring(0, space);
    }

    record Embed(int dim) implements LayerSpec {
        public String describe() { return "embed " + dim; }
    }

    record OneHot() implements LayerSpec {
        public String describe() { return "onehot"; }
    }

    record Rnn(int units, Activation activation, boolean identityInit) implements LayerSpec {
        public String describe() { return "rnn " + units + " " + activation.label() + (identityInit ? " identity" : ""); }
    }

    record Lstm(int units) implements LayerSpec {
        public String describe() { return "lstm " + units; }
    }

    record Gru(int units) implements LayerSpec {
        public String describe() { return "gru " + units; }
    }

    /** A recurrent layer run forwards and backwards in time, outputs concatenated. */
    record Bidirectional(LayerSpec inner) implements LayerSpec {
        public String describe() { return "bidirectional " + inner.describe(); }
    }

    /**
     * Multi-head scaled dot-product self-attention. {@code causal} null means "decide from the head":
     * causal for per-step outputs (a language model must not see the future), full for pooled ones.
     */
    record Attention(int heads, Boolean causal, boolean residual) implements LayerSpec {
        public String describe() {
            return "attention " + heads + (causal == null ? " auto" : causal ? " causal" : " full") + (residual ? " residual" : "");
        }
    }

    record Dropout(double rate) implements LayerSpec {
        public String describe() { return "dropout " + rate; }
    }

    record Dense(int units, Activation activation) implements LayerSpec {
        public String describe() { return "dense " + units + " " + activation.label(); }
    }

    record LayerNorm() implements LayerSpec {
        public String describe() { return "layernorm"; }
    }

    /** Sequence to one: the last real step of each sequence. */
    record Last() implements LayerSpec {
        public String describe() { return "last"; }
    }

    /** Sequence to one: the mean over the real steps. */
    record MeanPool() implements LayerSpec {
        public String describe() { return "meanpool"; }
    }
}
