package org.seqlab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Corpus BLEU against values worked out by hand and computed by sacreBLEU 2.6.0
 * ({@code sacrebleu.corpus_bleu(hyps, refs, tokenize='none', smooth_method='none', force=True)},
 * score / 100) in a throwaway virtualenv; NLTK 3.10's {@code corpus_bleu} agrees on B and C. On A it
 * gives 0.5816, because it counts a hypothesis shorter than n as one n-gram (denominator
 * {@code max(1, count)}), unlike the definition and sacreBLEU.
 */
class BleuTest {
    private static final List<String> A_HYP = List.of("the cat sat on the mat", "a dog runs in the park today", "birds sing");
    private static final List<String> A_REF = List.of("the cat sat on the red mat", "the dog runs in the park", "the birds sing loudly");

    /**
     * By hand: unigrams 6/6, bigrams 4/5, trigrams 3/4, 4-grams 2/3; BP = exp(1 - 7/6);
     * BLEU = exp(-1/6) * (1 * 0.8 * 0.75 * 2/3)^(1/4) = 0.846482 * 0.795271 = 0.673182.
     */
    @Test
    void oneSentenceByHand() {
        Bleu b = Bleu.ofSentences(List.of("the cat sat on the mat"), List.of("the cat sat on the red mat"));
        assertArrayEquals(new long[] {6, 4, 3, 2}, b.matches());
        assertArrayEquals(new long[] {6, 5, 4, 3}, b.totals());
        assertEquals(Math.exp(-1.0 / 6), b.brevityPenalty(), 1e-15);
        assertEquals(Math.exp(-1.0 / 6) * Math.pow(0.4, 0.25), b.score(), 1e-12);
        assertEquals(0.6731821382417487, b.score(), 1e-12);
    }

    /** Counts are summed over the corpus; "birds sing" has no 3- or 4-grams. */
    @Test
    void corpusWithBrevityPenalty() {
        Bleu b = Bleu.ofSentences(A_HYP, A_REF);
        assertArrayEquals(new long[] {13, 9, 6, 4}, b.matches());
        assertArrayEquals(new long[] {15, 12, 9, 7}, b.totals());
        assertEquals(15, b.hypothesisLength());
        assertEquals(17, b.referenceLength());
        assertEquals(0.8751733190429475, b.brevityPenalty(), 1e-12);
        assertEquals(0.6173622660027064, b.score(), 1e-12);
    }

    /** Two references per sentence: counts clip to the larger count in any one reference. */
    @Test
    void multipleReferences() {
        List<String> hyp = List.of("the small house stands near the old river", "kelo na mara vide miro ko",
                "he reads a book in the garden every morning");
        List<String> r1 = List.of("the little house stands by the old river", "kelo na maro vide miro ko",
                "every morning he reads a book in the garden");
        List<String> r2 = List.of("a small house stands near the river", "kelo le mara miro ko vide",
                "he reads books in the garden in the morning");
        List<List<List<String>>> refs = List.of(
                List.of(words(r1.get(0)), words(r2.get(0))), List.of(words(r1.get(1)), words(r2.get(1))),
                List.of(words(r1.get(2)), words(r2.get(2))));
        Bleu b = Bleu.corpusMulti(hyp.stream().map(BleuTest::words).toList(), refs);
        assertArrayEquals(new long[] {23, 16, 10, 6}, b.matches());
        assertArrayEquals(new long[] {23, 20, 17, 14}, b.totals());
        assertEquals(1.0, b.brevityPenalty(), 0);
        assertEquals(0.6701408159029504, b.score(), 1e-12);
    }

    @Test
    void perfectShortOutputIsOnlyPenalisedForLength() {
        Bleu b = Bleu.ofSentences(List.of("one two three four five six seven eight"),
                List.of("one two three four five six seven eight nine ten eleven"));
        assertEquals(Math.exp(1 - 11.0 / 8), b.score(), 1e-12);
        assertEquals(0.6872892787909726, b.score(), 1e-12);
        assertEquals(1.0, Bleu.ofSentences(A_REF, A_REF).score(), 1e-15);
    }

    @Test
    void noFourGramMatchGivesZero() {
        assertEquals(0.0, Bleu.ofSentences(List.of("x y z w"), List.of("x y w z")).score(), 0);
        assertEquals(0.0, Bleu.ofSentences(List.of(""), List.of("a b c d")).score(), 0);
    }

    @Test
    void refusesMismatchedOrEmptyCorpora() {
        assertThrows(IllegalArgumentException.class, () -> Bleu.ofSentences(List.of("a"), List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> Bleu.ofSentences(List.of(), List.of()));
    }

    @Test
    void exactMatch() {
        assertEquals(2 / 3.0, ExactMatch.rate(List.of(words("a b"), words("c"), words("d e")),
                List.of(words("a b"), words("c d"), words("d e"))), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> ExactMatch.rate(List.of(words("a")), List.of()));
    }

    private static List<String> words(String s) {
        return List.of(s.split(" "));
    }
}
