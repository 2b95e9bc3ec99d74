package org.seqlab.data;

import java.util.Objects;

import tech.tablesaw.api.Table;

/**
 * Windows over a real-valued series ({@code [time][feature]}): example {@code i} starts at step
 * {@code s = i * stride} and its inputs are steps {@code s .. s+window-1}. With VALUES_PER_SEQUENCE the
 * target is the next step {@code s+window} (all features); with VALUES_PER_STEP the targets are the
 * steps one later, {@code s+1 .. s+window}. Values may be standardised per feature, with statistics from
 * the whole series or given (fitted on the training part only); {@link #normalizer()} maps predictions back.
 */
public final class TimeSeriesWindows extends ExampleDataset {

    private final float[][] series;
    private final int window;
    private final int[] starts;
    private final TargetKind kind;
    private final Standardizer normalizer;

    private TimeSeriesWindows(float[][] series, int window, int[] starts, TargetKind kind, Standardizer normalizer) {
        this.series = series;
        this.window = window;
        this.starts = starts;
        this.kind = kind;
        this.normalizer = normalizer;
    }

    /** A univariate series. */
    public static TimeSeriesWindows of(double[] series, int window, int stride, TargetKind kind, boolean standardise) {
        Objects.requireNonNull(series, "series");
        double[][] rows = new double[series.length][];
        for (int t = 0; t < series.length; t++) {
            rows[t] = new double[] {series[t]};
        }
        return of(rows, window, stride, kind, standardise);
    }

    /**
     * A univariate series standardised with statistics computed elsewhere: for a forecast, fit them on the
     * training part only ({@code Standardizer.fit}) and use the same ones for the test part, so that nothing
     * about the test years leaks into training.
     */
    public static TimeSeriesWindows of(double[] series, int window, int stride, TargetKind kind, Standardizer scale) {
        Objects.requireNonNull(series, "series");
        double[][] rows = new double[series.length][];
        for (int t = 0; t < series.length; t++) {
            rows[t] = new double[] {series[t]};
        }
        return of(rows, window, stride, kind, scale);
    }

    /** A multivariate series, {@code series[time][feature]}. */
    public static TimeSeriesWindows of(double[][] series, int window, int stride, TargetKind kind,
                                       boolean standardise) {
        Objects.requireNonNull(series, "series");
        Checks.notEmpty("series", series.length, "pass at least window + 1 steps");
        int width = Checks.finiteRows("series", series, -1);
        return of(series, window, stride, kind, standardise ? Standardizer.fit(series) : Standardizer.identity(width));
    }

    /** A multivariate series standardised with the given statistics (one mean and std per feature). */
    public static TimeSeriesWindows of(double[][] series, int window, int stride, TargetKind kind, Standardizer scale) {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(scale, "scale");
        if (kind != TargetKind.VALUES_PER_SEQUENCE && kind != TargetKind.VALUES_PER_STEP) {
            throw new IllegalArgumentException("time-series windows predict values; use VALUES_PER_SEQUENCE (the "
                    + "next step) or VALUES_PER_STEP (every step), not " + kind);
        }
        Checks.positive("window", window, "the number of input steps per example");
        Checks.positive("stride", stride, "use 1 for every offset, or window for non-overlapping windows");
        Checks.notEmpty("series", series.length, "pass at least window + 1 steps");
        int width = Checks.finiteRows("series", series, -1);
        if (series.length < window + 1) {
            throw new IllegalArgumentException("series has " + series.length + " steps but a window of " + window
                    + " needs at least " + (window + 1) + " (the inputs plus the next value as target); use a "
                    + "window of at most " + (series.length - 1) + " or a longer series");
        }
        if (scale.width() != width) {
            throw new IllegalArgumentException("the standardizer has " + scale.width() + " features but the series has "
                    + width + "; fit it on rows of the same series (Standardizer.fit(trainingRows))");
        }
        Standardizer normalizer = scale;
        float[][] values = new float[series.length][width];
        for (int t = 0; t < series.length; t++) {
            for (int f = 0; f < width; f++) {
                values[t][f] = Checks.trainable(normalizer.transform(series[t][f], f), "series", t, f,
                        "standardise the series (standardise = true) or divide it by a constant");
            }
        }
        int count = (series.length - 1 - window) / stride + 1;
        int[] starts = new int[count];
        for (int i = 0; i < count; i++) {
            starts[i] = i * stride;
        }
        return new TimeSeriesWindows(values, window, starts, kind, normalizer);
    }

    /** Numeric columns of a table, in the order given, as a multivariate series (one row per step). */
    public static TimeSeriesWindows fromTable(Table table, int window, int stride, TargetKind kind,
                                              boolean standardise, String... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("name at least one column to use; available columns: "
                    + table.columnNames());
        }
        double[][] byColumn = new double[columns.length][];
        for (int c = 0; c < columns.length; c++) {
            byColumn[c] = Csv.doubles(table, columns[c]);
        }
        double[][] rows = new double[table.rowCount()][columns.length];
        for (int t = 0; t < rows.length; t++) {
            for (int c = 0; c < columns.length; c++) {
                rows[t][c] = byColumn[c][t];
            }
        }
        return of(rows, window, stride, kind, standardise);
    }

    /** The standardisation applied to inputs and targets (identity when not standardised). */
    public Standardizer normalizer() {
        return normalizer;
    }

    public int window() {
        return window;
    }

    /** Step where example {@code i} starts. */
    public int start(int i) {
        return starts[i];
    }

    @Override
    int length(int i) {
        return window;
    }

    @Override
    void writeInputs(int i, float[] dst, int offset) {
        int width = featureSize();
        for (int t = 0; t < window; t++) {
            System.arraycopy(series[starts[i] + t], 0, dst, offset + t * width, width);
        }
    }

    @Override
    void writeTargets(int i, float[] dst, int offset) {
        int width = featureSize();
        if (kind == TargetKind.VALUES_PER_SEQUENCE) {
            System.arraycopy(series[starts[i] + window], 0, dst, offset, width);
        } else {
            for (int t = 0; t < window; t++) {
                System.arraycopy(series[starts[i] + t + 1], 0, dst, offset + t * width, width);
            }
        }
    }

    @Override
    SequenceDataset select(int[] examples) {
        int[] picked = new int[examples.length];
        for (int k = 0; k < examples.length; k++) {
            picked[k] = starts[examples[k]];
        }
        return new TimeSeriesWindows(series, window, picked, kind, normalizer);
    }

    @Override
    public int size() {
        return starts.length;
    }

    @Override
    public TargetKind targetKind() {
        return kind;
    }

    @Override
    public int vocabSize() {
        return 0;
    }

    @Override
    public int featureSize() {
        return series[0].length;
    }

    @Override
    public int targetSize() {
        return series[0].length;
    }

    @Override
    public String toString() {
        return "TimeSeriesWindows[" + size() + " windows of " + window + " steps x " + featureSize() + " features, "
                + kind + (normalizer.isIdentity() ? "" : ", standardised") + "]";
    }
}
