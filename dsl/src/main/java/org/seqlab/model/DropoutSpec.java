package org.seqlab.model;

import org.seqlab.layers.Dropout;
import org.seqlab.layers.Layer;
import org.seqlab.layers.LayerRules;

/** {@code .dropout(rate)}: inverted dropout while training, the identity otherwise. */
public record DropoutSpec(double rate) implements LayerSpec {
    public static final LayerKind KIND = new LayerKind("dropout", w -> new DropoutSpec(w.decimal()));

    public String describe() { return KIND.form(rate); }

    public Flow plan(Flow in, PlanContext at) {
        at.require(LayerRules.dropoutRate(rate));
        return in;
    }

    public Layer compile(CompileContext at) {
        return new Dropout(at.name(), at.input().width(), rate);
    }
}
