package org.seqlab.kernel;

import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.seqlab.train.StepRecord;
import org.seqlab.train.StopReason;
import org.seqlab.train.TrainingHistory;
import org.seqlab.train.TrainingListener;

/**
 * Tells the kernel how long an interrupt may take to be noticed while a fit runs on the cell
 * thread. The trainer checks the flag before every step, so the wait is one step, not the kernel's
 * fixed 1 s grace: a model whose steps take 2 s then stops cleanly between two steps instead of
 * being killed by {@code Thread.stop} in the middle of an update.
 */
final class CooperativeFit implements TrainingListener {
    /** The first step also warms up (JIT, native buffers). */
    static final long FIRST_STEP_MILLIS = 10_000;
    static final long MIN_MILLIS = 1_000;
    /** Slack over the last step's duration (the next may be slower: GC, a chart being drawn). */
    static final int SLACK = 3;
    /**
     * After a fit that stopped for an interrupt: time for its last picture and for the cell's
     * statement to return its history, which a hard stop would lose.
     */
    static final long FINISH_MILLIS = 3_000;

    private final LongConsumer promise;
    private final Consumer<TrainingHistory> ended;
    private long lastElapsedMillis;

    CooperativeFit(LongConsumer promise) {
        this(promise, h -> {});
    }

    /** {@code ended} hears how the fit ended (the kernel words an interrupted fit's cell from it). */
    CooperativeFit(LongConsumer promise, Consumer<TrainingHistory> ended) {
        this.promise = promise;
        this.ended = ended;
    }

    @Override
    public void onStart(int totalSteps, int epochs) {
        promise.accept(FIRST_STEP_MILLIS);
    }

    @Override
    public void onStep(StepRecord step) {
        long took = step.elapsedMillis() - lastElapsedMillis;
        lastElapsedMillis = step.elapsedMillis();
        promise.accept(Math.max(MIN_MILLIS, SLACK * took));
    }

    @Override
    public void onEnd(TrainingHistory history) {
        // the code after a fit gets the ordinary grace; an interrupted fit gets to return first
        promise.accept(history.stopReason() == StopReason.INTERRUPTED ? FINISH_MILLIS : 0);
        ended.accept(history);
    }
}
