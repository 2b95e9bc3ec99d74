package org.seqlab.model;

import org.seqlab.layers.Gru;
import org.seqlab.layers.RecurrentLayer;

/** {@code .gru(units)}. */
public record GruSpec(int units) implements RecurrentSpec {
    public static final LayerKind KIND = new LayerKind("gru", w -> new GruSpec(w.integer()));

    public String describe() { return KIND.form(units); }

    public RecurrentLayer cell(String name, int inputWidth) {
        return new Gru(name, inputWidth, units);
    }
}
