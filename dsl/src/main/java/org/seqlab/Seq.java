package org.seqlab;

import org.seqlab.layers.Activation;
import org.seqlab.model.LayerSpec;
import org.seqlab.model.ModelBuilder;

/**
 * Where a model starts: {@code Seq.model().vocab(vocab).embed(64).lstm(128).softmax().build()}.
 * The static layer factories are for wrappers: {@code .bidirectional(Seq.lstm(64))}.
 */
public final class Seq {
    private Seq() {
    }

    public static ModelBuilder model() {
        return new ModelBuilder();
    }

    public static LayerSpec lstm(int units) {
        return new LayerSpec.Lstm(units);
    }

    public static LayerSpec gru(int units) {
        return new LayerSpec.Gru(units);
    }

    public static LayerSpec rnn(int units) {
        return new LayerSpec.Rnn(units, Activation.TANH, false);
    }

    public static LayerSpec rnn(int units, Activation activation, boolean identityInit) {
        return new LayerSpec.Rnn(units, activation, identityInit);
    }
}
