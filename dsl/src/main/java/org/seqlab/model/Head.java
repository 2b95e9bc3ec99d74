package org.seqlab.model;

/**
 * The output layer and its loss: a dense projection to {@code units} outputs followed by softmax
 * cross-entropy, sigmoid cross-entropy or squared error. {@code units == 0} for softmax means "one
 * class per vocabulary entry".
 */
public record Head(Kind kind, int units) {

    public enum Kind { SOFTMAX, SIGMOID, LINEAR }

    public String describe() {
        return kind.name().toLowerCase() + " " + units;
    }
}
