package org.seqlab.model;

import org.seqlab.layers.Layer;
import org.seqlab.layers.MeanPool;

/** {@code .meanPool()}: sequence to one, the mean over the real steps. */
public record MeanPoolSpec() implements LayerSpec {
    public static final LayerKind KIND = new LayerKind("meanpool", w -> new MeanPoolSpec());

    public String describe() { return KIND.form(); }

    public Flow plan(Flow in, PlanContext at) {
        return pool(in, at);
    }

    public Layer compile(CompileContext at) {
        return new MeanPool(at.name(), at.input().width());
    }

    /** The rule both poolings share: a sequence in, one vector out, once. */
    static Flow pool(Flow in, PlanContext at) {
        if (in.isPooled()) throw at.refuse("the sequence is already reduced to one vector");
        return Flow.pooled(in.width());
    }
}
