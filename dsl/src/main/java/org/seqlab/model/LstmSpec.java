package org.seqlab.model;

import org.seqlab.layers.Lstm;
import org.seqlab.layers.RecurrentLayer;

/** {@code .lstm(units)}. */
public record LstmSpec(int units) implements RecurrentSpec {
    public static final LayerKind KIND = new LayerKind("lstm", w -> new LstmSpec(w.integer()));

    public String describe() { return KIND.form(units); }

    public RecurrentLayer cell(String name, int inputWidth) {
        return new Lstm(name, inputWidth, units);
    }
}
