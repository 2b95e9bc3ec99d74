package org.seqlab.data.synthetic;

import java.util.List;
import java.util.Random;

import org.seqlab.data.LabelledSequences;
import org.seqlab.data.Vocab;

/**
 * Balanced or not: strings of {@code (} and {@code )} of varying even length, class 1 when every
 * bracket is matched. Half the examples are balanced; the other half are balanced strings with one
 * defect, either a flipped bracket (the final depth is off by two) or an adjacent {@code ()} swapped to
 * {@code )(} (the count still matches but the depth dips below zero). Lengths are even so that length
 * parity gives nothing away: the model has to keep a running depth. Sequences vary in length within a
 * batch, so batches carry a mask (CLASS_PER_SEQUENCE).
 */
public final class BracketMatching {

    public static final int OPEN = 2;
    public static final int CLOSE = 3;

    private BracketMatching() {
    }

    /** Lengths vary over the even numbers in {@code [minLength, maxLength]}, e.g. 5..40 gives 6..40. */
    public static LabelledSequences generate(int n, int minLength, int maxLength, long seed) {
        int low = minLength + (minLength % 2);
        if (n < 1 || minLength < 2 || low > maxLength) {
            throw new IllegalArgumentException("bracket matching needs n >= 1 and an even length in [minLength, "
                    + "maxLength] with minLength >= 2; got n=" + n + ", lengths " + minLength + ".." + maxLength);
        }
        Random random = new Random(seed);
        int[][] sequences = new int[n][];
        int[] labels = new int[n];
        int choices = (maxLength - low) / 2 + 1;
        for (int i = 0; i < n; i++) {
            int length = low + 2 * random.nextInt(choices);
            int[] s = balanced(length, random);
            labels[i] = random.nextBoolean() ? 1 : 0;
            if (labels[i] == 0) {
                if (random.nextBoolean()) {
                    int at = random.nextInt(length);
                    s[at] = s[at] == OPEN ? CLOSE : OPEN;
                } else {
                    swapAnOpenClosePair(s, random);
                }
            }
            sequences[i] = s;
        }
        return LabelledSequences.classes(sequences, labels, vocab(), List.of("unbalanced", "balanced"));
    }

    /** {@code <pad> <unk> ( )} */
    public static Vocab vocab() {
        return Vocab.of(List.of(Vocab.PAD, Vocab.UNK, "(", ")"));
    }

    /** Whether {@code ids} (OPEN/CLOSE) is balanced; the reference the labels follow. */
    public static boolean isBalanced(int[] ids) {
        int depth = 0;
        for (int id : ids) {
            depth += id == OPEN ? 1 : -1;
            if (depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    /** A random balanced string: open while it can still close in time, choosing by coin when both are legal. */
    private static int[] balanced(int length, Random random) {
        int[] s = new int[length];
        int depth = 0;
        for (int t = 0; t < length; t++) {
            int left = length - t;
            boolean mustClose = depth == left;
            boolean mustOpen = depth == 0;
            boolean open = !mustClose && (mustOpen || random.nextBoolean());
            s[t] = open ? OPEN : CLOSE;
            depth += open ? 1 : -1;
        }
        return s;
    }

    // Swapping "()" to ")(" where the depth before is 0 makes it dip to -1; the string is always balanced
    // at a depth-0 point at the start, so such a pair exists.
    private static void swapAnOpenClosePair(int[] s, Random random) {
        int candidates = 0;
        int depth = 0;
        int chosen = -1;
        for (int t = 0; t + 1 < s.length; t++) {
            if (depth == 0 && s[t] == OPEN && s[t + 1] == CLOSE && random.nextInt(++candidates) == 0) {
                chosen = t;
            }
            depth += s[t] == OPEN ? 1 : -1;
        }
        if (chosen < 0) {
            // no "()" at depth 0 (e.g. "(())"): close first instead, which also dips below zero
            s[0] = CLOSE;
            s[s.length - 1] = OPEN;
            return;
        }
        s[chosen] = CLOSE;
        s[chosen + 1] = OPEN;
    }
}
