package org.seqlab.model;

import org.seqlab.layers.Activation;
import org.seqlab.layers.Layer;
import org.seqlab.layers.TransformerDecoder;

/**
 * {@code .transformer(blocks, heads)} in a decoder: a stack of pre-norm decoder blocks (causal
 * self-attention, cross-attention to the encoder's output, feed-forward; {@link TransformerDecoder})
 * and a final layer norm. The options are {@link TransformerSpec}'s and are checked by its rules
 * (heads divide the width, ffn size, GELU or ReLU, dropout); the self-attention is always causal.
 * Written {@code d.transformer(Seq.transformer(2, 4).ffn(256).activation(Activation.RELU))} for
 * options beyond blocks, heads and ffn.
 */
public record TransformerDecoderSpec(int blocks, int heads, int ffn, Activation activation, double dropout) implements LayerSpec {
    public static final LayerKind KIND = new LayerKind("transformer_decoder",
            w -> new TransformerDecoderSpec(w.integer(), w.integer(), w.integer(), w.activation(), w.decimal()));

    /** The decoder form of a transformer's options (its causal choice does not apply: a decoder is causal). */
    public static TransformerDecoderSpec of(TransformerSpec t) {
        return new TransformerDecoderSpec(t.blocks(), t.heads(), t.ffn(), t.activation(), t.dropout());
    }

    private TransformerSpec options() {
        return new TransformerSpec(blocks, heads, ffn, activation, dropout, true);
    }

    public String describe() {
        return KIND.form(blocks, heads, ffn, activation.label(), dropout);
    }

    public boolean readsMemory() {
        return true;
    }

    public Flow plan(Flow in, PlanContext at) {
        at.needsMemory("a transformer decoder (cross-attention to the source)");
        return options().plan(in, at);
    }

    public Layer compile(CompileContext at) {
        int width = at.input().width();
        return new TransformerDecoder(at.name(), width, at.memory().width(), blocks, heads, options().ffnFor(width), activation,
                dropout);
    }
}
