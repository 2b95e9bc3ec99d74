package org.seqlab.model;

import org.seqlab.layers.Activation;
import org.seqlab.layers.RecurrentLayer;
import org.seqlab.layers.SimpleRnn;

/** {@code .rnn(units)} / {@code .rnn(units, activation, identityInit)}: an Elman RNN. */
public record RnnSpec(int units, Activation activation, boolean identityInit) implements RecurrentSpec {
    public static final LayerKind KIND = new LayerKind("rnn", w -> new RnnSpec(w.integer(), w.activation(), w.flag("identity")));

    public String describe() { return KIND.form(units, activation.label(), identityInit ? "identity" : null); }

    public RecurrentLayer cell(String name, int inputWidth) {
        return new SimpleRnn(name, inputWidth, units, activation, identityInit);
    }
}
