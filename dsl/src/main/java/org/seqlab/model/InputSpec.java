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

    /** Reads what {@link #describe()} wrote: {@code tokens 65} or {@code features 3}. */
    public static InputSpec parse(String saved) {
        String[] w = saved.trim().split("\\s+");
        int n = Integer.parseInt(w[1]);
        return switch (w[0]) {
            case "tokens" -> tokens(n);
            case "features" -> features(n);
            default -> throw new IllegalArgumentException("unknown input '" + saved + "'");
        };
    }

    public String describe() {
        return isTokens() ? "tokens " + vocabSize : "features " + features;
    }
}
