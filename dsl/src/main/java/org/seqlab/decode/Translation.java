package org.seqlab.decode;

import java.util.List;

/**
 * One decoded target sentence: its tokens (without {@code <s>} and {@code </s>}), the text they join
 * to, its log-probability under the model, its length-normalised score (what beam search ranks by,
 * {@link Hypothesis#score(double)}), and whether it ended with {@code </s>} (false: cut at the maximum length).
 */
public record Translation(List<String> tokens, String text, double logProb, double score, boolean ended) {

    public Translation {
        tokens = List.copyOf(tokens);
    }

    @Override
    public String toString() {
        return text + String.format("  (log p %.3f, score %.3f%s)", logProb, score, ended ? "" : ", cut at the maximum length");
    }
}
