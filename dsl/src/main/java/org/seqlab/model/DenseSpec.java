package org.seqlab.model;

import org.seqlab.layers.Activation;
import org.seqlab.layers.Dense;
import org.seqlab.layers.Layer;

/** {@code .dense(units, activation)}: a position-wise affine map and activation. */
public record DenseSpec(int units, Activation activation) implements LayerSpec {
    public static final LayerKind KIND = new LayerKind("dense", w -> new DenseSpec(w.integer(), w.activation()));

    public String describe() { return KIND.form(units, activation.label()); }

    public Flow plan(Flow in, PlanContext at) {
        at.positive("dense size", units);
        return in.withWidth(units);
    }

    public Layer compile(CompileContext at) {
        return new Dense(at.name(), at.input().width(), units, activation);
    }
}
