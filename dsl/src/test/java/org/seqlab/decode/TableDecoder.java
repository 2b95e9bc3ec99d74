package org.seqlab.decode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A decoder for tests whose next-token distribution is a table indexed by the whole prefix
 * (token lists after the begin token); prefixes not in the table get {@code fallback}. It records
 * what it was fed and asked to keep, so tests can check the stepping protocol.
 */
final class TableDecoder implements StepDecoder {
    static final int PAD = 0, BOS = 1, EOS = 2, A = 3, B = 4, C = 5, VOCAB = 6;

    private final Map<List<Integer>, double[]> table;
    private final double[] fallback;
    private List<List<Integer>> rows = new ArrayList<>();
    int steps;
    int maxRows;

    TableDecoder(Map<List<Integer>, double[]> table, double[] fallback) {
        this.table = table;
        this.fallback = fallback;
    }

    /** Probabilities over {pad, bos, eos, a, b, c}. */
    static double[] p(double eos, double a, double b, double c) {
        return new double[] {0, 0, eos, a, b, c};
    }

    @Override
    public int vocabSize() {
        return VOCAB;
    }

    @Override
    public double[][] step(int[] tokens) {
        steps++;
        if (rows.isEmpty()) {
            for (int token : tokens) {
                if (token != BOS) throw new AssertionError("the first step must feed the begin token, got " + token);
                rows.add(new ArrayList<>());
            }
        } else {
            if (tokens.length != rows.size()) throw new AssertionError(tokens.length + " tokens for " + rows.size() + " rows");
            for (int r = 0; r < tokens.length; r++) rows.get(r).add(tokens[r]);
        }
        maxRows = Math.max(maxRows, rows.size());
        double[][] out = new double[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            double[] p = table.getOrDefault(rows.get(r), fallback);
            out[r] = new double[VOCAB];
            for (int v = 0; v < VOCAB; v++) out[r][v] = Math.log(p[v]);
        }
        return out;
    }

    @Override
    public void select(int[] parents) {
        List<List<Integer>> kept = new ArrayList<>();
        for (int p : parents) kept.add(new ArrayList<>(rows.get(p)));
        rows = kept;
    }
}
