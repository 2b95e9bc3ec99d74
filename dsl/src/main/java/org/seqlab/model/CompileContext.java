package org.seqlab.model;

/**
 * What a spec needs to make its layer: the planned name, what it reads and writes, whether the
 * model predicts at every step ({@code perStep}: a language model or a decoder, so attention must be
 * causal), and in a decoder what it may attend to (the encoder's output; null elsewhere).
 */
public record CompileContext(String name, Flow input, Flow output, boolean perStep, Flow memory) {

    public CompileContext(String name, Flow input, Flow output, boolean perStep) {
        this(name, input, output, perStep, null);
    }

    /** An explicit choice, or causal exactly when the model predicts every step. */
    public boolean causal(Boolean choice) {
        return choice != null ? choice : perStep;
    }
}
