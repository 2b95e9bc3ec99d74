package org.seqlab.train;

/** Why a fit ended. */
public enum StopReason {
    /** every planned epoch or step ran */
    COMPLETED,
    /** validation loss stopped improving for {@code patience} epochs; the best weights were restored */
    EARLY_STOPPED,
    /** the thread was interrupted (a notebook's stop button); the weights reached so far are kept */
    INTERRUPTED,
    /**
     * the loss, the gradient or the weights became NaN or infinite, or the loss stayed far above its
     * start; the model was rolled back to the last weights whose loss was fine, and the fit threw
     * {@link TrainingDivergedException}
     */
    DIVERGED;

    /** What the reason means for the weights, in words for progress lines and tables. */
    public String describe() {
        return switch (this) {
            case COMPLETED -> "completed";
            case EARLY_STOPPED -> "early stopped: validation loss stopped improving, best weights restored";
            case INTERRUPTED -> "interrupted: the weights reached so far are kept";
            case DIVERGED -> "diverged: training stopped and the last good weights were restored";
        };
    }
}
