package org.seqlab.train;

/**
 * Training diverged: the loss, the gradient or the weights became NaN or infinite, or the loss
 * stayed far above its start. Thrown after the model was rolled back to the last weights whose
 * loss was fine (so predict and generate work); the message names the step, the weights restored
 * and what to try. {@link #history()} (also {@code model.history()}) has the steps run, with
 * {@link StopReason#DIVERGED}.
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
