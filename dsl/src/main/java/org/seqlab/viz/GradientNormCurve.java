package org.seqlab.viz;

import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import org.seqlab.train.StepRecord;
import org.seqlab.train.TrainingHistory;

/**
 * What gradient clipping did in a fit: the global gradient norm of every step before clipping and
 * after it, on a log axis, with the clipping threshold as a dashed line when clipping by norm
 * happened. Steps where the two lines part are the steps that were clipped; a fit that clipped
 * nothing has one line.
 */
public final class GradientNormCurve {
    private static final Color BEFORE = new Color(214, 39, 40);
    private static final Color AFTER = new Color(31, 119, 180);

    private final List<StepRecord> steps;
    private String title = "Gradient norm per step, before and after clipping";
    private int width = 720;
    private int height = 400;
    private boolean logScale = true;

    private GradientNormCurve(List<StepRecord> steps) {
        this.steps = steps;
    }

    public static GradientNormCurve of(TrainingHistory history) {
        return new GradientNormCurve(history.steps());
    }

    public GradientNormCurve title(String title) {
        this.title = title;
        return this;
    }

    public GradientNormCurve size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    /** Log scale (the default): norms of exploding gradients span decades. */
    public GradientNormCurve logScale(boolean log) {
        this.logScale = log;
        return this;
    }

    /** How many steps were clipped (the norm after differs from the norm before). */
    public int clippedSteps() {
        int n = 0;
        for (StepRecord s : steps) if (clipped(s)) n++;
        return n;
    }

    private static boolean clipped(StepRecord s) {
        return s.clippedGradNorm() < s.gradNorm() * (1 - 1e-6);
    }

    /**
     * The norm that clipping scaled gradients down to, when every clipped step ended at the same norm
     * (clipping by norm); NaN when nothing was clipped or clipping was per value.
     */
    public double threshold() {
        double t = Double.NaN;
        for (StepRecord s : steps) {
            if (!clipped(s)) continue;
            if (Double.isNaN(t)) t = s.clippedGradNorm();
            else if (Math.abs(s.clippedGradNorm() - t) > 1e-3 * t) return Double.NaN;
        }
        return t;
    }

    Plot plot() {
        boolean none = clippedSteps() == 0;
        Plot plot = new Plot(none ? title + " (no step was clipped)" : title, "step",
                logScale ? "global gradient norm (log scale)" : "global gradient norm").size(width, height).logY(logScale).integerX(true);
        double[] x = new double[steps.size()], before = new double[steps.size()], after = new double[steps.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = steps.get(i).step();
            before[i] = steps.get(i).gradNorm();
            after[i] = steps.get(i).clippedGradNorm();
        }
        boolean dots = x.length <= 60;
        if (none) { // one line: before and after are the same
            return plot.add(new Plot.Series("gradient norm (no step clipped)", x, before, BEFORE, 1.5f, dots, false));
        }
        plot.add(new Plot.Series("before clipping", x, before, BEFORE, 1.5f, dots, true));
        plot.add(new Plot.Series("after clipping", x, after, AFTER, 1.5f, dots, true));
        double t = threshold();
        if (!Double.isNaN(t)) plot.horizontal("clipping threshold " + Drawing.number(t), t, Color.DARK_GRAY);
        return plot;
    }

    public byte[] png() {
        return plot().png();
    }

    public Path savePng(Path file) {
        return Png.save(png(), file);
    }

    @Override
    public String toString() {
        return String.format("GradientNormCurve(%d steps, %d clipped%s)", steps.size(), clippedSteps(),
                Double.isNaN(threshold()) ? "" : " to norm " + Drawing.number(threshold()));
    }
}
