package org.seqlab.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.seqlab.train.EpochRecord;
import org.seqlab.train.StepRecord;
import org.seqlab.train.TrainingHistory;

/**
 * The loss curve of a fit: training loss per step (raw, faint, and a moving average on top) and
 * validation loss per epoch, optionally on a log scale. Works on a finished history or on the
 * steps seen so far (the live display).
 */
public final class LossCurve {
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

    public XYChart chart() {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle("step").yAxisTitle(logScale ? "loss (log scale)" : "loss").build();
        Styler s = chart.getStyler();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisLogarithmic(logScale);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        s.setToolTipsEnabled(false);
        if (steps.isEmpty()) {
            chart.addSeries("training", new double[] {0}, new double[] {1}).setMarker(SeriesMarkers.NONE);
            chart.setTitle(title + " (no steps yet)");
            return chart;
        }
        double[] x = new double[steps.size()];
        double[] y = new double[steps.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = steps.get(i).step();
            y[i] = positive(steps.get(i).loss());
        }
        XYSeries raw = chart.addSeries("training (per step)", x, y);
        raw.setMarker(SeriesMarkers.NONE);
        raw.setLineColor(new Color(31, 119, 180, 70));
        raw.setLineStyle(new BasicStroke(1f));
        if (x.length >= 10) {
            XYSeries smooth = chart.addSeries("training (moving average)", x, movingAverage(y, Math.max(5, x.length / 50)));
            smooth.setMarker(SeriesMarkers.NONE);
            smooth.setLineColor(new Color(31, 119, 180));
            smooth.setLineStyle(new BasicStroke(2f));
        }
        double[] vx = epochs.stream().filter(e -> !Double.isNaN(e.validationLoss())).mapToDouble(EpochRecord::lastStep).toArray();
        double[] vy = epochs.stream().filter(e -> !Double.isNaN(e.validationLoss())).mapToDouble(e -> positive(e.validationLoss())).toArray();
        if (vx.length > 0) {
            XYSeries val = chart.addSeries("validation (per epoch)", vx, vy);
            val.setLineColor(new Color(214, 39, 40));
            val.setMarkerColor(new Color(214, 39, 40));
            val.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    public byte[] png() {
        return Png.of(chart());
    }

    public Path savePng(Path file) {
        return Png.save(png(), file);
    }

    private double positive(double v) {
        return logScale ? Math.max(v, 1e-12) : v;
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
