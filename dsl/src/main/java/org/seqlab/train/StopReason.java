package org.seqlab.train;

/** Why a fit ended. */
public enum StopReason {
    /** every planned epoch or step ran */
    COMPLETED,
    /** validation loss stopped improving for {@code patience} epochs; the best weights were restored */
    EARLY_STOPPED,
    /** the thread was interrupted (a notebook's stop button); the weights reached so far are kept */
    INTERRUPTED;

    /** What the reason means for the weights, in words for progress lines and tables. */
    public String describe() {
        return switch (this) {
            case COMPLETED -> "completed";
            case EARLY_STOPPED -> "early stopped: validation loss stopped improving, best weights restored";
            case INTERRUPTED -> "interrupted: the weights reached so far are kept";
        };
    }
}
