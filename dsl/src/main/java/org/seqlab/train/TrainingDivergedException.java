package org.seqlab.train;

/**
 * The loss or the gradient became NaN or infinite. Thrown before the bad update is applied, so the
 * model keeps the last finite weights; the message names the step and what to try.
 */
public final class TrainingDivergedException extends IllegalStateException {
    private final int step;
    private final TrainingHistory history;

    public TrainingDivergedException(String message, int step, TrainingHistory history) {
        super(message);
        this.step = step;
        this.history = history;
    }

    public int step() {
        return step;
    }

    /** Everything measured up to the step that diverged. */
    public TrainingHistory history() {
        return history;
    }
}
