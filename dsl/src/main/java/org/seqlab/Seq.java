package org.seqlab;

import org.seqlab.layers.Activation;
import org.seqlab.model.GruSpec;
import org.seqlab.model.LstmSpec;
import org.seqlab.model.RecurrentSpec;
import org.seqlab.model.RnnSpec;
import org.seqlab.model.TransformerSpec;

/**
 * Where a model starts: {@code Seq.model().vocab(vocab).embed(64).lstm(128).softmax().build()}.
 * The static layer factories are for wrappers and options: {@code .bidirectional(Seq.lstm(64))},
 * {@code .transformer(Seq.transformer(2, 4).dropout(0.1))}.
 */
public final class Seq {
    private Seq() {
    }

    public static ModelBuilder model() {
        return new ModelBuilder();
    }

    /**
     * An encoder-decoder from {@code source} to {@code target} token sequences:
     * {@code Seq.seq2seq(data.sourceVocab(), data.targetVocab()).encoder(e -> ...).decoder(d -> ...).build()}.
     */
    public static Seq2SeqBuilder seq2seq(org.seqlab.data.Vocab source, org.seqlab.data.Vocab target) {
        return new Seq2SeqBuilder(source, target);
    }

    public static RecurrentSpec lstm(int units) {
        return new LstmSpec(units);
    }

    public static RecurrentSpec gru(int units) {
        return new GruSpec(units);
    }

    public static RecurrentSpec rnn(int units) {
        return new RnnSpec(units, Activation.TANH, false);
    }

    public static RecurrentSpec rnn(int units, Activation activation, boolean identityInit) {
        return new RnnSpec(units, activation, identityInit);
    }

    /** A transformer spec to refine: {@code Seq.transformer(2, 4).ffn(256).activation(Activation.RELU).dropout(0.1)}. */
    public static TransformerSpec transformer(int blocks, int heads) {
        return TransformerSpec.of(blocks, heads);
    }
}
