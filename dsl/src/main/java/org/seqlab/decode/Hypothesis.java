package org.seqlab.decode;

import java.util.Arrays;

/**
 * One decoded sequence: its tokens (without the begin and end tokens), its log-probability under
 * the model (the sum over its tokens, the end token included when it ended), and whether it ended
 * with the end token (false: cut at the maximum length).
 */
public record Hypothesis(int[] tokens, double logProb, boolean ended) {

    public Hypothesis {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** Tokens scored: the output tokens plus the end token when there is one. */
    public int scoredLength() {
        return tokens.length + (ended ? 1 : 0);
    }

    /**
     * The length-normalised score {@code logProb / scoredLength^alpha} (as fairseq's {@code lenpen}):
     * alpha 0 is the plain log-probability, which prefers short outputs; alpha 1 the mean per token.
     */
    public double score(double alpha) {
        return alpha == 0 ? logProb : logProb / Math.pow(Math.max(1, scoredLength()), alpha);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hypothesis h && Arrays.equals(h.tokens, tokens) && h.logProb == logProb && h.ended == ended;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokens) * 31 + Double.hashCode(logProb) + (ended ? 1 : 0);
    }

    @Override
    public String toString() {
        return "Hypothesis(" + Arrays.toString(tokens) + ", logProb " + String.format("%.4f", logProb)
                + (ended ? "" : ", cut at the maximum length") + ")";
    }
}
