package org.seqlab.model;

import org.seqlab.layers.Layer;
import org.seqlab.layers.LayerNorm;

/** {@code .layerNorm()}: normalises each row's features (eps 1e-5, as torch). */
public record LayerNormSpec() implements LayerSpec {
    public static final LayerKind KIND = new LayerKind("layernorm", w -> new LayerNormSpec());

    public String describe() { return KIND.form(); }

    public Flow plan(Flow in, PlanContext at) {
        return in;
    }

    public Layer compile(CompileContext at) {
        return new LayerNorm(at.name(), at.input().width(), LayerNorm.TORCH_EPS);
    }
}
