package org.seqlab.data.synthetic;

import java.util.Random;

import org.seqlab.data.ValueSequences;

/**
 * The adding problem (Hochreiter and Schmidhuber, 1997), in the common form with one marker in each
 * half: every step has two features, a value drawn uniformly from [0, 1) and a marker that is 1 at
 * exactly two steps (one in the first half, one in the second) and 0 elsewhere. The target is the sum of
 * the two marked values (VALUES_PER_SEQUENCE, width 1). Predicting 1.0 always gives a mean squared error
 * of about 0.167, the baseline a model with memory must beat.
 */
public final class AddingProblem {

    private AddingProblem() {
    }

    public static ValueSequences generate(int n, int length, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("n is " + n + "; ask for at least one sequence");
        }
        if (length < 2) {
            throw new IllegalArgumentException("length is " + length + "; the two markers need at least 2 steps");
        }
        Random random = new Random(seed);
        double[][][] inputs = new double[n][length][2];
        double[][] targets = new double[n][1];
        int half = length / 2;
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < length; t++) {
                inputs[i][t][0] = random.nextDouble();
            }
            int first = random.nextInt(half);
            int second = half + random.nextInt(length - half);
            inputs[i][first][1] = 1;
            inputs[i][second][1] = 1;
            targets[i][0] = inputs[i][first][0] + inputs[i][second][0];
        }
        return ValueSequences.regression(inputs, targets);
    }
}
