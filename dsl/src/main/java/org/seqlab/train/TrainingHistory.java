package org.seqlab.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Everything a fit measured, per step and per epoch, and why it stopped. */
public final class TrainingHistory {
    private final List<StepRecord> steps = new ArrayList<>();
    private final List<EpochRecord> epochs = new ArrayList<>();
    private StopReason stopReason = StopReason.COMPLETED;
    private String stopDetail;

    void add(StepRecord step) {
        steps.add(step);
    }

    void add(EpochRecord epoch) {
        epochs.add(epoch);
    }

    void stoppedBecause(StopReason reason) {
        stoppedBecause(reason, null);
    }

    void stoppedBecause(StopReason reason, String detail) {
        this.stopReason = reason;
        this.stopDetail = detail;
    }

    public List<StepRecord> steps() {
        return Collections.unmodifiableList(steps);
    }

    public List<EpochRecord> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    public StopReason stopReason() {
        return stopReason;
    }

    /** Why it stopped in words: for a divergence, at which step, what went wrong and which weights were restored. */
    public String stopDetail() {
        return stopDetail != null ? stopDetail : stopReason.describe();
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    public StepRecord last() {
        if (steps.isEmpty()) throw new IllegalStateException("no step was trained");
        return steps.get(steps.size() - 1);
    }

    /** Training loss per step. */
    public double[] losses() {
        return steps.stream().mapToDouble(StepRecord::loss).toArray();
    }

    /** Mean of the last {@code n} step losses (a less noisy "final loss"). */
    public double recentLoss(int n) {
        int from = Math.max(0, steps.size() - n);
        return steps.subList(from, steps.size()).stream().mapToDouble(StepRecord::loss).average().orElse(Double.NaN);
    }

    /** Validation losses per epoch (NaN where none was measured). */
    public double[] validationLosses() {
        return epochs.stream().mapToDouble(EpochRecord::validationLoss).toArray();
    }

    /** Median tokens per second over the steps after the first (which includes warm-up). */
    public double medianTokensPerSecond() {
        double[] t = steps.stream().skip(steps.size() > 1 ? 1 : 0).mapToDouble(StepRecord::tokensPerSecond).sorted().toArray();
        return t.length == 0 ? Double.NaN : t[t.length / 2];
    }

    @Override
    public String toString() {
        if (steps.isEmpty()) return "TrainingHistory(no steps)";
        StepRecord l = last();
        StringBuilder s = new StringBuilder(String.format("TrainingHistory(%d step%s, %d epoch%s, %s): loss %.4f",
                steps.size(), steps.size() == 1 ? "" : "s", epochs.size(), epochs.size() == 1 ? "" : "s",
                stopReason.name().toLowerCase().replace('_', ' '), recentLoss(10)));
        if (!Double.isNaN(l.accuracy())) s.append(String.format(", accuracy %.3f", l.accuracy()));
        if (!Double.isNaN(l.perplexity())) s.append(String.format(", perplexity %.2f", l.perplexity()));
        if (!epochs.isEmpty() && !Double.isNaN(epochs.get(epochs.size() - 1).validationLoss())) {
            s.append(String.format(", validation loss %.4f", epochs.get(epochs.size() - 1).validationLoss()));
        }
        s.append(String.format(", %.0f tokens/s", medianTokensPerSecond()));
        return s.append(')').toString();
    }
}
