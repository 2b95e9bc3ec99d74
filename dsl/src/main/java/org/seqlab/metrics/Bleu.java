package org.seqlab.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Corpus BLEU (Papineni et al. 2002): the geometric mean of the modified n-gram precisions for
 * n = 1..4, times the brevity penalty. Counts are summed over the whole corpus before dividing (as
 * sacreBLEU and NLTK's {@code corpus_bleu}, not an average of sentence scores):
 * <pre>
 *   p_n = sum over sentences of clipped n-gram matches / sum of hypothesis n-grams
 *   BP  = 1 if c &gt; r, else exp(1 - r / c)       (c: hypothesis tokens, r: reference tokens)
 *   BLEU = BP * exp(sum_n log(p_n) / 4)
 * </pre>
 * A hypothesis n-gram's count is clipped to its largest count in any one reference of that sentence;
 * with several references, r adds per sentence the reference length closest to the hypothesis
 * length (the shorter on a tie). No smoothing: when some p_n is 0 the score is 0. Tokens are
 * compared as given (tokenize before, e.g. with the target {@code Vocab}'s tokenizer).
 */
public final class Bleu {
    public static final int MAX_ORDER = 4;

    private final double score;
    private final double[] precisions;
    private final long[] matches;
    private final long[] totals;
    private final double brevityPenalty;
    private final long hypothesisLength;
    private final long referenceLength;

    private Bleu(long[] matches, long[] totals, long hypothesisLength, long referenceLength) {
        this.matches = matches;
        this.totals = totals;
        this.hypothesisLength = hypothesisLength;
        this.referenceLength = referenceLength;
        precisions = new double[MAX_ORDER];
        double logSum = 0;
        boolean zero = false;
        for (int n = 0; n < MAX_ORDER; n++) {
            precisions[n] = totals[n] == 0 ? 0 : matches[n] / (double) totals[n];
            if (precisions[n] == 0) zero = true;
            else logSum += Math.log(precisions[n]);
        }
        brevityPenalty = hypothesisLength == 0 ? 0
                : hypothesisLength > referenceLength ? 1 : Math.exp(1 - referenceLength / (double) hypothesisLength);
        score = zero ? 0 : brevityPenalty * Math.exp(logSum / MAX_ORDER);
    }

    /** Corpus BLEU of tokenized hypotheses against one reference each. */
    public static Bleu corpus(List<List<String>> hypotheses, List<List<String>> references) {
        Objects.requireNonNull(references, "references");
        List<List<List<String>>> multi = new ArrayList<>(references.size());
        for (List<String> r : references) multi.add(List.of(Objects.requireNonNull(r, "a reference is null")));
        return corpusMulti(hypotheses, multi);
    }

    /** Corpus BLEU with one or more references per hypothesis. */
    public static Bleu corpusMulti(List<List<String>> hypotheses, List<List<List<String>>> references) {
        Objects.requireNonNull(hypotheses, "hypotheses");
        Objects.requireNonNull(references, "references");
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException(hypotheses.size() + " hypotheses but " + references.size()
                    + " references; give one (list of) reference(s) per hypothesis, in the same order");
        }
        if (hypotheses.isEmpty()) throw new IllegalArgumentException("BLEU of an empty corpus is undefined; give at least one sentence");
        long[] matches = new long[MAX_ORDER], totals = new long[MAX_ORDER];
        long c = 0, r = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            List<String> hyp = Objects.requireNonNull(hypotheses.get(i), "hypothesis " + i + " is null");
            List<List<String>> refs = references.get(i);
            if (refs == null || refs.isEmpty()) throw new IllegalArgumentException("hypothesis " + i + " has no reference");
            c += hyp.size();
            r += closestLength(hyp.size(), refs);
            for (int n = 1; n <= MAX_ORDER; n++) {
                Map<List<String>, Integer> hypCounts = ngrams(hyp, n);
                Map<List<String>, Integer> maxRef = new HashMap<>();
                for (List<String> ref : refs) ngrams(ref, n).forEach((g, k) -> maxRef.merge(g, k, Math::max));
                for (Map.Entry<List<String>, Integer> e : hypCounts.entrySet()) {
                    matches[n - 1] += Math.min(e.getValue(), maxRef.getOrDefault(e.getKey(), 0));
                    totals[n - 1] += e.getValue();
                }
            }
        }
        return new Bleu(matches, totals, c, r);
    }

    /** Corpus BLEU of sentences split on whitespace. */
    public static Bleu ofSentences(List<String> hypotheses, List<String> references) {
        return corpus(split(hypotheses), split(references));
    }

    private static List<List<String>> split(List<String> sentences) {
        List<List<String>> out = new ArrayList<>(sentences.size());
        for (String s : sentences) out.add(s.isBlank() ? List.of() : List.of(s.trim().split("\\s+")));
        return out;
    }

    private static int closestLength(int length, List<List<String>> refs) {
        int best = refs.get(0).size();
        for (List<String> ref : refs) {
            int d = Math.abs(ref.size() - length), bd = Math.abs(best - length);
            if (d < bd || (d == bd && ref.size() < best)) best = ref.size();
        }
        return best;
    }

    private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) counts.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
        return counts;
    }

    /** BLEU in [0, 1] (sacreBLEU prints 100 times this). */
    public double score() {
        return score;
    }

    /** Modified precisions p_1..p_4. */
    public double[] precisions() {
        return precisions.clone();
    }

    /** Clipped matches per order (1..4). */
    public long[] matches() {
        return matches.clone();
    }

    /** Hypothesis n-grams per order (1..4). */
    public long[] totals() {
        return totals.clone();
    }

    public double brevityPenalty() {
        return brevityPenalty;
    }

    public long hypothesisLength() {
        return hypothesisLength;
    }

    public long referenceLength() {
        return referenceLength;
    }

    @Override
    public String toString() {
        return String.format("BLEU %.2f (%.1f/%.1f/%.1f/%.1f, BP %.3f, hyp %d / ref %d tokens)", 100 * score,
                100 * precisions[0], 100 * precisions[1], 100 * precisions[2], 100 * precisions[3], brevityPenalty,
                hypothesisLength, referenceLength);
    }
}
