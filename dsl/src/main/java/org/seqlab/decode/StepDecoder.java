package org.seqlab.decode;

/**
 * A decoder that extends several prefixes ("rows") by one token per call, keeping its own state
 * between calls (recurrent states, key/value caches), so no call re-reads a prefix. The decoding
 * algorithms ({@link Greedy}, {@link BeamSearch}) only feed tokens, read log-probabilities and say
 * which rows to keep.
 */
public interface StepDecoder {

    /** The number of token ids the log-probabilities range over. */
    int vocabSize();

    /**
     * Feeds {@code tokens[r]} as the next token of row r and returns {@code [rows][vocabSize]} natural
     * log-probabilities of the token after it. The first call feeds the begin token of every row.
     */
    double[][] step(int[] tokens);

    /**
     * Keeps rows {@code parents[0], parents[1], ...} of the current state, in that order, as the rows
     * of the next call (a row may be kept twice, when two hypotheses share a prefix, or dropped).
     */
    void select(int[] parents);
}
