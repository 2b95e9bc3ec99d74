package org.seqlab.model;

import org.seqlab.layers.Layer;
import org.seqlab.layers.PositionalEncoding;

/**
 * {@code .positional()}: sinusoidal position encodings added to each step (Vaswani et al. 2017), any
 * length; {@code .positional(maxLength)}: learned ones for at most {@code maxLength} steps.
 * {@code maxLength == 0} means sinusoidal.
 */
public record PositionalSpec(int maxLength) implements LayerSpec {
    public static final LayerKind KIND = new LayerKind("positional",
            w -> new PositionalSpec(w.flag("sinusoidal") ? 0 : learned(w)));

    private static int learned(SavedForm w) {
        if (!w.flag("learned")) throw new IllegalArgumentException("positional is sinusoidal or learned N");
        return w.integer();
    }

    public static PositionalSpec sinusoidal() {
        return new PositionalSpec(0);
    }

    public boolean learned() {
        return maxLength != 0;
    }

    public String describe() {
        return learned() ? KIND.form("learned", maxLength) : KIND.form("sinusoidal");
    }

    public Flow plan(Flow in, PlanContext at) {
        if (maxLength < 0) throw at.refuse("maxLength must be positive, got " + maxLength + "; or use positional() (sinusoidal)");
        at.needsSequence(in, "positional()");
        return in;
    }

    public Layer compile(CompileContext at) {
        int width = at.input().width();
        return learned() ? PositionalEncoding.learned(at.name(), width, maxLength) : PositionalEncoding.sinusoidal(at.name(), width);
    }
}
