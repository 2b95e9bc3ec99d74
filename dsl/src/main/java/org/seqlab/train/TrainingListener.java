package org.seqlab.train;

import java.util.function.Consumer;

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

    /** A listener for the common case, in one line: {@code .listener(TrainingListener.eachStep(s -> ...))}. */
    static TrainingListener eachStep(Consumer<StepRecord> action) {
        return new TrainingListener() {
            @Override
            public void onStep(StepRecord step) {
                action.accept(step);
            }
        };
    }
}
