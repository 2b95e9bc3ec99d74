package org.seqlab.model;

/**
 * The output layer and its loss: a dense projection to {@code units} outputs followed by softmax
 * cross-entropy, sigmoid cross-entropy or squared error. {@code units == 0} for softmax means "one
 * class per vocabulary entry".
 */
public record Head(Kind kind, int units) {

    public enum Kind { SOFTMAX, SIGMOID, LINEAR }

    /** Reads what {@link #describe()} wrote: {@code softmax 65}. */
    public static Head parse(String saved) {
        String[] w = saved.trim().split("\\s+");
        return new Head(Kind.valueOf(w[0].toUpperCase()), Integer.parseInt(w[1]));
    }

    public String describe() {
        return kind.name().toLowerCase() + " " + units;
    }
}
