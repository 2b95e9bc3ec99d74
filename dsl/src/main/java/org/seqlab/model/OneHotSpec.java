package org.seqlab.model;

import org.seqlab.layers.Layer;
import org.seqlab.layers.OneHot;

/** {@code .oneHot()}: token ids to one-hot vectors as wide as the vocabulary. */
public record OneHotSpec() implements LayerSpec {
    public static final LayerKind KIND = new LayerKind("onehot", w -> new OneHotSpec());

    public String describe() { return KIND.form(); }

    public boolean readsTokenIds() { return true; }

    public Flow plan(Flow in, PlanContext at) {
        at.needsTokenIds(in);
        return Flow.steps(in.width());
    }

    public Layer compile(CompileContext at) {
        return new OneHot(at.name(), at.input().width());
    }
}
