package org.seqlab.model;

/** What the model reads: token ids from a vocabulary of {@code vocabSize}, or {@code features} reals per step. */
public record InputSpec(int vocabSize, int features) {

    public static InputSpec tokens(int vocabSize) {
        return new InputSpec(vocabSize, 0);
    }

    public static InputSpec features(int features) {
        return new InputSpec(0, features);
    }

    public boolean isTokens() {
        return vocabSize > 0;
    }

    public String describe() {
        return isTokens() ? "tokens " + vocabSize : "features " + features;
    }
}
