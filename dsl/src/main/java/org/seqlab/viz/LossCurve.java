package org.seqlab.viz;

import java.awt.Color;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seqlab.train.EpochRecord;
import org.seqlab.train.StepRecord;
import org.seqlab.train.TrainingHistory;

/**
 * The loss curve of a fit: training loss per step (raw, faint, and a moving average on top) and
 * validation loss per epoch, optionally on a log scale. Works on a finished history or on the
 * steps seen so far (the live display).
 */
public final class LossCurve {
    private static final Color BLUE = new Color(31, 119, 180);
    private static final Color FAINT_BLUE = new Color(160, 196, 224);
    private static final Color RED = new Color(214, 39, 40);
    private final List<StepRecord> steps;
    private final List<EpochRecord> epochs;
    private boolean logScale;
    private int width = 720;
    private int height = 400;
    private String title = "Training loss";

    private LossCurve(List<StepRecord> steps, List<EpochRecord> epochs) {
        this.steps = steps;
        this.epochs = epochs;
    }

    public static LossCurve of(TrainingHistory history) {
        return new LossCurve(history.steps(), history.epochs());
    }

    public static LossCurve of(List<StepRecord> steps, List<EpochRecord> epochs) {
        return new LossCurve(steps, epochs);
    }

    /**
     * Several fits on one chart, one line per run: the training loss per step, smoothed by a moving
     * average, on a log scale (runs that differ tenfold stay readable; a run that diverged ends where it stopped).
     */
    public static LineChart compare(Map<String, TrainingHistory> runs) {
        Map<String, LineChart.Line> lines = new LinkedHashMap<>();
        runs.forEach((name, h) -> {
            double[] x = h.steps().stream().mapToDouble(StepRecord::step).toArray();
            double[] y = h.losses();
            lines.put(name, new LineChart.Line(x, y.length >= 10 ? movingAverage(y, Math.max(5, y.length / 25)) : y));
        });
        return LineChart.of(lines).integerX(true).logY(true).title("Training loss (moving average)").axes("step", "loss (log scale)");
    }

    public LossCurve logScale(boolean log) {
        this.logScale = log;
        return this;
    }

    public LossCurve size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    public LossCurve title(String title) {
        this.title = title;
        return this;
    }

    /** Per step (faint), its moving average and the validation loss per epoch, on a step axis with round ticks. */
    Plot plot() {
        Plot plot = new Plot(steps.isEmpty() ? title + " (no steps yet)" : title, "step",
                logScale ? "loss (log scale)" : "loss").size(width, height).logY(logScale).integerX(true);
        if (steps.isEmpty()) {
            return plot.add(new Plot.Series("training", new double[] {0}, new double[] {Double.NaN}, BLUE, 1f, false, false));
        }
        double[] x = new double[steps.size()];
        double[] y = new double[steps.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = steps.get(i).step();
            y[i] = positive(steps.get(i).loss());
        }
        boolean smoothed = x.length >= 10;
        plot.add(new Plot.Series("training (per step)", x, y, smoothed ? FAINT_BLUE : BLUE, smoothed ? 1f : 2f, x.length == 1, true));
        if (smoothed) {
            plot.add(new Plot.Series("training (moving average)", x, movingAverage(y, Math.max(5, x.length / 50)), BLUE, 2f, false, true));
        }
        double[] vx = epochs.stream().filter(e -> !Double.isNaN(e.validationLoss())).mapToDouble(EpochRecord::lastStep).toArray();
        double[] vy = epochs.stream().filter(e -> !Double.isNaN(e.validationLoss())).mapToDouble(e -> positive(e.validationLoss())).toArray();
        if (vx.length > 0) plot.add(new Plot.Series("validation (per epoch)", vx, vy, RED, 2f, true, true));
        return plot;
    }

    public byte[] png() {
        return plot().png();
    }

    public Path savePng(Path file) {
        return Png.save(png(), file);
    }

    private double positive(double v) {
        return logScale ? Math.max(v, 1e-12) : v;
    }

    @Override
    public String toString() {
        return "LossCurve(" + title + ": " + steps.size() + " steps" + (epochs.isEmpty() ? "" : ", " + epochs.size() + " epochs") + ")";
    }

    static double[] movingAverage(double[] y, int window) {
        double[] out = new double[y.length];
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += y[i];
            if (i >= window) sum -= y[i - window];
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }
}
