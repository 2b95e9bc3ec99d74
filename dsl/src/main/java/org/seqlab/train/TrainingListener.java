package org.seqlab.train;

/**
 * Receives training events as they happen, on the training thread. The kernel's live display is
 * one; a test or a JShell session can add its own. Keep the methods cheap: they run between steps.
 */
public interface TrainingListener {

    /** Before the first step: how many updates are planned. */
    default void onStart(int totalSteps, int epochs) {
    }

    default void onStep(StepRecord step) {
    }

    default void onEpoch(EpochRecord epoch) {
    }

    default void onEnd(TrainingHistory history) {
    }
}
