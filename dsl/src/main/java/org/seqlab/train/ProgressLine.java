package org.seqlab.train;

import java.util.List;

/**
 * The one line of text under a live loss curve: where the fit is, how fast it goes, and the
 * numbers a learner watches (loss, perplexity or accuracy, gradient norm before and after clipping).
 * The notebook kernel shows it under its live chart; {@code ./seqlab demo} and JShell users print it.
 */
public final class ProgressLine {
    /** Throughput is the median of this many recent steps: one step's rate jumps with GC and rendering. */
    static final int RATE_WINDOW = 20;
    static final String SEP = " \u00b7 ";

    private ProgressLine() {}

    public static String starting(int totalSteps, int epochs) {
        return String.format("training: %,d steps%s", totalSteps, epochs > 1 ? String.format(" in %d epochs", epochs) : "");
    }

    public static String running(List<StepRecord> steps, List<EpochRecord> epochs, int plannedEpochs) {
        if (steps.isEmpty()) {
            return "training: waiting for the first step";
        }
        StepRecord last = steps.get(steps.size() - 1);
        StringBuilder s = new StringBuilder(String.format("step %,d/%,d", last.step(), last.totalSteps()));
        if (plannedEpochs > 1) s.append(SEP).append("epoch ").append(last.epoch()).append('/').append(plannedEpochs);
        s.append(SEP).append(String.format("%,.0f tokens/s", recentRate(steps)));
        long eta = last.step() == 0 ? 0 : last.elapsedMillis() * (last.totalSteps() - last.step()) / last.step();
        s.append(SEP).append("ETA ").append(ProgressFormat.duration(eta));
        return s.append(metrics(last, epochs)).toString();
    }

    public static String finished(TrainingHistory h) {
        if (h.isEmpty()) {
            return h.stopReason() == StopReason.DIVERGED ? h.stopDetail() : "stopped before the first step: " + h.stopDetail();
        }
        StepRecord last = h.last();
        String head = switch (h.stopReason()) {
            case COMPLETED -> String.format("done: %,d steps in %s", last.step(), ProgressFormat.duration(last.elapsedMillis()));
            case INTERRUPTED -> String.format("interrupted at step %,d/%,d after %s: the weights reached so far are kept",
                    last.step(), last.totalSteps(), ProgressFormat.duration(last.elapsedMillis()));
            case EARLY_STOPPED -> String.format("early stopped after epoch %d (step %,d): validation loss stopped improving, "
                    + "best weights restored", h.epochs().isEmpty() ? last.epoch() : h.epochs().get(h.epochs().size() - 1).epoch(), last.step());
            case DIVERGED -> h.stopDetail();
        };
        return head + SEP + String.format("%,.0f tokens/s (median)", h.medianTokensPerSecond()) + metrics(last, h.epochs());
    }

    private static String metrics(StepRecord last, List<EpochRecord> epochs) {
        StringBuilder s = new StringBuilder();
        s.append(SEP).append(String.format("loss %.4f", last.loss()));
        if (!Double.isNaN(last.perplexity())) s.append(SEP).append(String.format("perplexity %.2f", last.perplexity()));
        if (!Double.isNaN(last.accuracy())) s.append(SEP).append(String.format("accuracy %.3f", last.accuracy()));
        for (int i = epochs.size() - 1; i >= 0; i--) {
            if (!Double.isNaN(epochs.get(i).validationLoss())) {
                s.append(SEP).append(String.format("validation loss %.4f", epochs.get(i).validationLoss()));
                break;
            }
        }
        s.append(SEP).append("grad norm ").append(ProgressFormat.norm(last.gradNorm()));
        if (last.clippedGradNorm() != last.gradNorm()) {
            s.append(" \u2192 ").append(ProgressFormat.norm(last.clippedGradNorm())).append(" (clipped)");
        }
        return s.toString();
    }

    /** Median tokens/s over the last {@link #RATE_WINDOW} steps, leaving out the first (warm-up). */
    static double recentRate(List<StepRecord> steps) {
        int from = Math.max(steps.size() > 1 ? 1 : 0, steps.size() - RATE_WINDOW);
        double[] rates = steps.subList(from, steps.size()).stream().mapToDouble(StepRecord::tokensPerSecond).sorted().toArray();
        return rates[rates.length / 2];
    }
}
