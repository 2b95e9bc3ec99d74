package org.seqlab.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy decoding of many rows at once (one per source sentence): every row takes its most likely
 * next token until it produces the end token or reaches {@code maxLength} output tokens; finished
 * rows are dropped from the decoder's state, so the batch shrinks as sentences end.
 */
public final class Greedy {

    private Greedy() {
    }

    /** One hypothesis per row, in row order. */
    public static List<Hypothesis> decode(StepDecoder decoder, int rows, int bos, int eos, int maxLength) {
        if (rows < 1) throw new IllegalArgumentException("nothing to decode: rows is " + rows);
        if (maxLength < 1) throw new IllegalArgumentException("maximum length is " + maxLength + "; use 1 or more");
        List<List<Integer>> tokens = new ArrayList<>();
        double[] logProb = new double[rows];
        Hypothesis[] done = new Hypothesis[rows];
        for (int r = 0; r < rows; r++) tokens.add(new ArrayList<>());
        int[] active = new int[rows]; // original row of each decoder row
        for (int r = 0; r < rows; r++) active[r] = r;
        int[] fed = new int[rows];
        Arrays.fill(fed, bos);
        for (int step = 1; active.length > 0; step++) {
            double[][] lp = decoder.step(fed);
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < active.length; i++) {
                int r = active[i], best = argMax(lp[i]);
                logProb[r] += lp[i][best];
                if (best == eos) {
                    done[r] = new Hypothesis(ints(tokens.get(r)), logProb[r], true);
                } else {
                    tokens.get(r).add(best);
                    if (step == maxLength) done[r] = new Hypothesis(ints(tokens.get(r)), logProb[r], false);
                    else keep.add(i);
                }
            }
            if (keep.isEmpty()) break;
            int[] kept = keep.stream().mapToInt(Integer::intValue).toArray();
            if (kept.length < active.length) decoder.select(kept);
            int[] nextActive = new int[kept.length];
            fed = new int[kept.length];
            for (int j = 0; j < kept.length; j++) {
                nextActive[j] = active[kept[j]];
                List<Integer> t = tokens.get(nextActive[j]);
                fed[j] = t.get(t.size() - 1);
            }
            active = nextActive;
        }
        return List.of(done);
    }

    static int argMax(double[] row) {
        int best = 0;
        for (int v = 1; v < row.length; v++) if (row[v] > row[best]) best = v;
        return best;
    }

    private static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
