package org.seqlab.layers;

import java.util.List;

/**
 * One array a recurrent layer records per step for inspection (a gate, a candidate or a state): its
 * key in {@link Layer#recorded()}, what it means, and the range its values live in (which decides the
 * colour scale and whether it can saturate).
 */
public record Gate(String key, String meaning, Range range) {

    public enum Range {
        /** (0, 1): a sigmoid gate, which saturates near 0 and 1. */
        UNIT,
        /** (-1, 1): a tanh candidate or output. */
        SIGNED,
        /** Unbounded (the LSTM cell state). */
        FREE
    }

    public static Gate sigmoid(String key, String meaning) {
        return new Gate(key, meaning, Range.UNIT);
    }

    public static Gate tanh(String key, String meaning) {
        return new Gate(key, meaning, Range.SIGNED);
    }

    public static Gate free(String key, String meaning) {
        return new Gate(key, meaning, Range.FREE);
    }

    /** The hidden state every recurrent layer records as {@code h}. */
    public static final Gate HIDDEN = tanh("h", "hidden state h");

    /** The keys of {@code gates}, in order. */
    public static List<String> keys(List<Gate> gates) {
        return gates.stream().map(Gate::key).toList();
    }
}
