package org.seqlab.train;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Watches one fit for divergence and keeps the weights to fall back on. Each step it checks that
 * the loss and the gradient norm are finite before the update, that the loss has not stayed above
 * {@code factor} times its start for {@code patience} steps in a row, and that the weights are
 * finite after the update.
 *
 * <p>The start is the median of the first {@link #START_STEPS} losses that passed: a loss already
 * above the limit never joins it, so a fit that explodes on its second step still has the first
 * step's loss as its start. Before each update whose loss passed, the weights are copied; a
 * divergence puts that copy back, so the model ends with weights that were measured to be fine,
 * not merely the weights of the step before the one that failed.
 */
final class DivergenceGuard {
    static final double DEFAULT_FACTOR = 10;
    static final int DEFAULT_STEPS = 5;
    static final int START_STEPS = 5;

    private final INDArray params;
    private final INDArray good;
    private final double factor;
    private final int patience;
    private final double[] start = new double[START_STEPS];
    private int startCount;
    private int grownFor;
    /** The step whose loss measured the weights in {@link #good}; 0 while they are the initial ones, unmeasured. */
    private int goodStep;
    private double goodLoss = Double.NaN;

    DivergenceGuard(INDArray params, double factor, int patience) {
        this.params = params;
        this.good = params.dup();
        this.factor = factor;
        this.patience = patience;
    }

    /**
     * Called with the loss of the current weights and the norm of their gradient, before the
     * update. Returns null when the update may go on; otherwise what went wrong, with the
     * weights already rolled back.
     */
    String beforeUpdate(int step, double loss, double gradNorm) {
        if (!Double.isFinite(loss)) return rollBack("the loss became " + loss);
        if (!Double.isFinite(gradNorm)) return rollBack("the gradient norm became " + gradNorm);
        double limit = factor * start();
        if (startCount > 0 && start() > 0 && loss > limit) {
            if (++grownFor >= patience) {
                return rollBack(String.format("the loss stayed above %s times its start (%.4g) for %d steps, reaching %.4g",
                        factorText(), start(), grownFor, loss));
            }
            return null;
        }
        grownFor = 0;
        if (startCount < START_STEPS) start[startCount++] = loss;
        good.assign(params);
        goodStep = step;
        goodLoss = loss;
        return null;
    }

    /** Called after the update; null when every weight is finite, else what went wrong, rolled back. */
    String afterUpdate(int step) {
        // Any NaN or infinite weight makes the sum NaN or infinite; finite weights make it so only by
        // overflowing, so only then are they counted. The count (MatchCondition) took ~10 ms for the
        // tiny GPT's 1.6M weights, the sum ~1.2 ms (~3% of the GPT's step; within noise on the music model).
        if (Double.isFinite(params.sumNumber().doubleValue())) return null;
        long bad = Nd4j.getExecutioner().exec(new MatchCondition(params, Conditions.notFinite())).getLong(0);
        if (bad == 0) return null;
        return rollBack(String.format("the update of step %d made %,d of the %,d weights NaN or infinite", step, bad, params.length()));
    }

    /** Which weights the model holds after a rollback, in words. */
    String restored() {
        return goodStep <= 1 ? "The model is back at its initial weights"
                : String.format("The model is back at the weights it had at step %d (loss %.4g)", goodStep, goodLoss);
    }

    private String rollBack(String problem) {
        params.assign(good);
        return problem;
    }

    /** The lower median of the start losses: one high early loss does not raise the limit. */
    private double start() {
        if (startCount == 0) return Double.NaN;
        double[] s = Arrays.copyOf(start, startCount);
        Arrays.sort(s);
        return s[(startCount - 1) / 2];
    }

    private String factorText() {
        return factor == Math.rint(factor) ? String.valueOf((long) factor) : String.valueOf(factor);
    }
}
