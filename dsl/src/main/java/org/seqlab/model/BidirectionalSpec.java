package org.seqlab.model;

import org.seqlab.layers.Bidirectional;
import org.seqlab.layers.Layer;

/** {@code .bidirectional(Seq.lstm(n))}: a recurrent kind run forwards and backwards, outputs side by side. */
public record BidirectionalSpec(LayerSpec inner) implements LayerSpec {
    public static final LayerKind KIND = new LayerKind("bidirectional", w -> new BidirectionalSpec(w.layer()));

    public String describe() { return KIND.form(inner.describe()); }

    public Flow plan(Flow in, PlanContext at) {
        Flow one = recurrent(at).plan(in, at);
        return one.withWidth(2 * one.width());
    }

    public Layer compile(CompileContext at) {
        RecurrentSpec r = (RecurrentSpec) inner;
        int w = at.input().width();
        return new Bidirectional(at.name(), r.cell(at.name() + "_fw", w), r.cell(at.name() + "_bw", w));
    }

    private RecurrentSpec recurrent(PlanContext at) {
        if (inner instanceof RecurrentSpec r) return r;
        throw at.refuse("bidirectional(...) wraps a recurrent layer (Seq.lstm(n), Seq.gru(n), Seq.rnn(n)), not "
                + inner.describe());
    }
}
