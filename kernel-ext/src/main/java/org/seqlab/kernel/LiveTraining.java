package org.seqlab.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.seqlab.kernel.render.Html;
import org.seqlab.train.ProgressLine;
import org.seqlab.train.EpochRecord;
import org.seqlab.train.StepRecord;
import org.seqlab.train.TrainingHistory;
import org.seqlab.train.TrainingListener;
import org.seqlab.viz.LossCurve;

/**
 * One fit, shown while it runs: a single display holding the loss curve so far and a progress
 * line, redrawn in place through a {@link LiveDisplay} (so at most every 0.5 s, and the chart is
 * only drawn when it is sent), with a last redraw at the end that says why training stopped.
 *
 * <p>The kernel registers {@link #factory} with the engine's {@code TrainingListeners}, so a plain
 * {@code model.fit(...)} in a cell shows progress; the engine knows nothing about notebooks.
 * Runs on the training thread, between steps.
 */
final class LiveTraining implements TrainingListener {
    private final LiveDisplay display;
    private final List<StepRecord> steps = new ArrayList<>();
    private final List<EpochRecord> epochs = new ArrayList<>();
    private int plannedEpochs;
    /** Drawing the chart runs on the training thread: keep it under ~10% of the time. */
    static final int MAX_DRAW_SHARE = 10;
    private final LongSupplier clockNanos;
    private long drawAgainAfterNanos;

    LiveTraining(LiveDisplay display, LongSupplier clockNanos) {
        this.display = display;
        this.clockNanos = clockNanos;
        this.drawAgainAfterNanos = clockNanos.getAsLong();
    }

    /** A live display for each fit that runs on a cell's thread; none for any other fit (null). */
    static Supplier<TrainingListener> factory(BooleanSupplier onCellThread) {
        return () -> onCellThread.getAsBoolean() ? new LiveTraining(new LiveDisplay(Notebook::show), System::nanoTime) : null;
    }

    String displayId() {
        return display.id();
    }

    @Override
    public void onStart(int totalSteps, int epochs) {
        plannedEpochs = epochs;
        display.update(() -> bundle(null, ProgressLine.starting(totalSteps, epochs)));
    }

    @Override
    public void onStep(StepRecord step) {
        steps.add(step);
        if (Thread.currentThread().isInterrupted() || clockNanos.getAsLong() - drawAgainAfterNanos < 0) {
            return; // stopping (onEnd draws the last picture), or the last drawing was too recent
        }
        display.update(this::running);
    }

    @Override
    public void onEpoch(EpochRecord epoch) {
        epochs.add(epoch);
        display.update(this::running);
    }

    @Override
    public void onEnd(TrainingHistory history) {
        display.update(() -> bundle(history.isEmpty() ? null : LossCurve.of(history).png(), ProgressLine.finished(history)));
        display.flush();
    }

    private DisplayData running() {
        long start = clockNanos.getAsLong();
        DisplayData d = bundle(LossCurve.of(steps, epochs).png(), ProgressLine.running(steps, epochs, plannedEpochs));
        long now = clockNanos.getAsLong();
        drawAgainAfterNanos = now + (MAX_DRAW_SHARE - 1) * (now - start);
        return d;
    }

    /** text/html (picture and line together: frontends show one representation), image/png, text/plain. */
    static DisplayData bundle(byte[] png, String line) {
        DisplayData d = new DisplayData();
        String lineHtml = "<div style=\"font-family:monospace\">" + Html.escape(line) + "</div>";
        if (png == null) {
            d.putHTML("<div>" + lineHtml + "</div>");
        } else {
            String b64 = Html.base64(png);
            d.putData(MIMEType.IMAGE_PNG, b64);
            d.putHTML("<div>" + Html.img(b64, "loss curve") + "\n" + lineHtml + "</div>");
        }
        d.putText(line);
        return d;
    }
}
