package org.seqlab.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Beam search: keeps the {@code width} most likely prefixes, extends each by every token, and keeps
 * the {@code width} most likely of those, step after step.
 *
 * <p>Rules, as in fairseq: live prefixes are ranked by their log-probability; a candidate that ends
 * with the end token and ranks before the last kept live prefix is set aside as finished; search
 * stops when {@code width} hypotheses have finished or after {@code maxLength} output tokens (the
 * live prefixes then join the finished ones, marked as not ended). The result is the {@code width}
 * best by the length-normalised score {@link Hypothesis#score(double) logProb / length^alpha},
 * best first. Width 1 is greedy decoding.
 *
 * <pre>BeamSearch.width(5).maxLength(40).lengthPenalty(1.0).search(decoder, bos, eos)</pre>
 */
public final class BeamSearch {
    private final int width;
    private int maxLength = 100;
    private double alpha = 1.0;

    private BeamSearch(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("beam width is " + width + "; use 1 (greedy) or more, e.g. beam(5)");
        }
        this.width = width;
    }

    public static BeamSearch width(int k) {
        return new BeamSearch(k);
    }

    /** The most output tokens per hypothesis (the end token included); default 100. */
    public BeamSearch maxLength(int n) {
        if (n < 1) throw new IllegalArgumentException("maximum length is " + n + "; use 1 or more");
        this.maxLength = n;
        return this;
    }

    /** The exponent alpha of the length normalisation; 0 ranks by plain log-probability. Default 1. */
    public BeamSearch lengthPenalty(double alpha) {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("length penalty alpha is " + alpha + "; use a value >= 0 (0: none, 1: per token)");
        }
        this.alpha = alpha;
        return this;
    }

    public int width() {
        return width;
    }

    public int maxLength() {
        return maxLength;
    }

    public double lengthPenalty() {
        return alpha;
    }

    private record Prefix(int[] tokens, double logProb) {
        Prefix extend(int token, double logProb) {
            int[] t = Arrays.copyOf(tokens, tokens.length + 1);
            t[tokens.length] = token;
            return new Prefix(t, logProb);
        }
    }

    private record Candidate(int row, int token, double logProb) {
    }

    /**
     * The best hypotheses after {@code bos}, at most {@code width} of them, best first. {@code decoder}
     * starts with one row (the source, read once) and is asked to keep rows as the beam changes.
     */
    public List<Hypothesis> search(StepDecoder decoder, int bos, int eos) {
        int vocab = decoder.vocabSize();
        if (bos < 0 || bos >= vocab || eos < 0 || eos >= vocab) {
            throw new IllegalArgumentException("begin token " + bos + " or end token " + eos + " is outside the vocabulary of " + vocab);
        }
        List<Prefix> live = List.of(new Prefix(new int[0], 0.0));
        List<Hypothesis> finished = new ArrayList<>();
        int[] fed = {bos};
        for (int step = 1; step <= maxLength && finished.size() < width; step++) {
            double[][] logProbs = decoder.step(fed);
            List<Candidate> ranked = best(live, logProbs, 2 * width);
            List<Prefix> next = new ArrayList<>(width);
            List<Integer> parents = new ArrayList<>(width);
            for (Candidate c : ranked) {
                if (next.size() == width) break;
                Prefix p = live.get(c.row());
                if (c.token() == eos) {
                    if (finished.size() < width) finished.add(new Hypothesis(p.tokens(), c.logProb(), true));
                } else {
                    next.add(p.extend(c.token(), c.logProb()));
                    parents.add(c.row());
                }
            }
            if (finished.size() >= width || next.isEmpty()) break;
            if (step == maxLength) {
                for (Prefix p : next) finished.add(new Hypothesis(p.tokens(), p.logProb(), false));
                break;
            }
            decoder.select(parents.stream().mapToInt(Integer::intValue).toArray());
            live = next;
            fed = new int[next.size()];
            for (int i = 0; i < fed.length; i++) fed[i] = next.get(i).tokens()[step - 1];
        }
        finished.sort(Comparator.comparingDouble((Hypothesis h) -> -h.score(alpha)));
        return List.copyOf(finished.subList(0, Math.min(width, finished.size())));
    }

    /** The {@code n} most likely one-token extensions of the live prefixes, most likely first. */
    private static List<Candidate> best(List<Prefix> live, double[][] logProbs, int n) {
        if (logProbs.length != live.size()) {
            throw new IllegalStateException("the decoder returned " + logProbs.length + " rows for " + live.size() + " prefixes");
        }
        Comparator<Candidate> byLogProb = Comparator.comparingDouble(Candidate::logProb);
        PriorityQueue<Candidate> heap = new PriorityQueue<>(n + 1, byLogProb); // smallest on top
        for (int r = 0; r < live.size(); r++) {
            double base = live.get(r).logProb();
            double[] row = logProbs[r];
            for (int v = 0; v < row.length; v++) {
                double total = base + row[v];
                if (heap.size() < n) heap.add(new Candidate(r, v, total));
                else if (total > heap.peek().logProb()) {
                    heap.poll();
                    heap.add(new Candidate(r, v, total));
                }
            }
        }
        List<Candidate> out = new ArrayList<>(heap);
        out.sort(byLogProb.reversed());
        return out;
    }
}
