package org.seqlab.train;

/** Why a fit ended. */
public enum StopReason {
    /** every planned epoch or step ran */
    COMPLETED,
    /** validation loss stopped improving for {@code patience} epochs; the best weights were restored */
    EARLY_STOPPED,
    /** the thread was interrupted (a notebook's stop button); the weights reached so far are kept */
    INTERRUPTED
}
