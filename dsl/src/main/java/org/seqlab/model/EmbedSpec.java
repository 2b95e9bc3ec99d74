package org.seqlab.model;

import org.seqlab.layers.Embedding;
import org.seqlab.layers.Layer;

/** {@code .embed(dim)}: token ids to learned vectors of {@code dim}. */
public record EmbedSpec(int dim) implements LayerSpec {
    public static final LayerKind KIND = new LayerKind("embed", w -> new EmbedSpec(w.integer()));

    public String describe() { return KIND.form(dim); }

    public String baseName() { return "embedding"; }

    public boolean readsTokenIds() { return true; }

    public Flow plan(Flow in, PlanContext at) {
        at.needsTokenIds(in);
        at.positive("embedding size", dim);
        return Flow.steps(dim);
    }

    public Layer compile(CompileContext at) {
        return new Embedding(at.name(), at.input().width(), dim);
    }
}
