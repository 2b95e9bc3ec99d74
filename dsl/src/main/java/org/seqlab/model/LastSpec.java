package org.seqlab.model;

import org.seqlab.layers.LastStep;
import org.seqlab.layers.Layer;

/** {@code .last()}: sequence to one, the last real step of each sequence. */
public record LastSpec() implements LayerSpec {
    public static final LayerKind KIND = new LayerKind("last", w -> new LastSpec());

    public String describe() { return KIND.form(); }

    public Flow plan(Flow in, PlanContext at) {
        return MeanPoolSpec.pool(in, at);
    }

    public Layer compile(CompileContext at) {
        return new LastStep(at.name(), at.input().width());
    }
}
