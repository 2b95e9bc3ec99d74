package org.seqlab.data.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.seqlab.data.LabelledSequences;
import org.seqlab.data.Vocab;

/**
 * The copy task: remember a random string of symbols and repeat it after a delay. A sequence has
 * {@code length + delay} steps; the input is the {@code length} symbols followed by {@code delay} blanks,
 * and the target at step t is the blank for {@code t < delay} and the input at step {@code t - delay}
 * afterwards, so the last {@code length} targets are the symbols again (CLASS_PER_STEP).
 *
 * <p>Ids follow {@link #vocab(int)}: 0 {@code <pad>} and 1 {@code <unk>} (never used), 2 the blank
 * {@code _}, then the symbols {@code a, b, c, ...}; targets use the same ids.
 */
public final class CopyTask {

    public static final int BLANK = 2;

    private CopyTask() {
    }

    public static LabelledSequences generate(int n, int symbols, int length, int delay, long seed) {
        if (n < 1 || symbols < 1 || symbols > 26 || length < 1 || delay < 1) {
            throw new IllegalArgumentException("copy task needs n >= 1, 1 <= symbols <= 26, length >= 1 and delay"
                    + " >= 1, got n=" + n + ", symbols=" + symbols + ", length=" + length + ", delay=" + delay);
        }
        Random random = new Random(seed);
        int steps = length + delay;
        int[][] inputs = new int[n][steps];
        int[][] targets = new int[n][steps];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < steps; t++) {
                inputs[i][t] = t < length ? BLANK + 1 + random.nextInt(symbols) : BLANK;
            }
            for (int t = 0; t < steps; t++) {
                targets[i][t] = t < delay ? BLANK : inputs[i][t - delay];
            }
        }
        Vocab vocab = vocab(symbols);
        return LabelledSequences.tagged(inputs, targets, vocab, vocab.tokens());
    }

    /** {@code <pad> <unk> _ a b c ...} with {@code symbols} letters. */
    public static Vocab vocab(int symbols) {
        List<String> tokens = new ArrayList<>(List.of(Vocab.PAD, Vocab.UNK, "_"));
        for (int s = 0; s < symbols; s++) {
            tokens.add(String.valueOf((char) ('a' + s)));
        }
        return Vocab.of(tokens);
    }
}
