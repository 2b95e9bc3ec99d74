package org.seqlab.model;

/**
 * What a spec needs to make its layer: the planned name, what it reads and writes, and whether the
 * model predicts at every step ({@code perStep}: a language model, so attention must be causal).
 */
public record CompileContext(String name, Flow input, Flow output, boolean perStep) {

    /** An explicit choice, or causal exactly when the model predicts every step. */
    public boolean causal(Boolean choice) {
        return choice != null ? choice : perStep;
    }
}
