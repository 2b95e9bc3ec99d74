package org.seqlab.data;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-feature standardisation {@code (x - mean) / std} with the statistics kept, so that model outputs
 * can be mapped back to the original units with {@link #inverse}. A constant feature gets std 1 rather
 * than a division by zero.
 */
public final class Standardizer {

    private final double[] mean;
    private final double[] std;

    public Standardizer(double[] mean, double[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException(mean.length + " means but " + std.length + " standard deviations;"
                    + " give one of each per feature");
        }
        for (int f = 0; f < std.length; f++) {
            if (!(std[f] > 0) || !Double.isFinite(mean[f]) || !Double.isFinite(std[f])) {
                throw new IllegalArgumentException("feature " + f + " has mean " + mean[f] + " and std " + std[f]
                        + "; the mean must be finite and the std finite and positive");
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Mean and (population) standard deviation of every column of {@code rows} ({@code [time][feature]}). */
    public static Standardizer fit(double[][] rows) {
        int width = rows[0].length;
        // Statistics of x / scale, scaled back: squares of values near 1e300 would overflow otherwise.
        double[] scale = new double[width];
        for (double[] row : rows) {
            for (int f = 0; f < width; f++) {
                scale[f] = Math.max(scale[f], Math.abs(row[f]));
            }
        }
        for (int f = 0; f < width; f++) {
            if (!(scale[f] > 0) || !Double.isFinite(scale[f])) scale[f] = 1.0;
        }
        double[] mean = new double[width];
        double[] std = new double[width];
        for (double[] row : rows) {
            for (int f = 0; f < width; f++) {
                mean[f] += row[f] / scale[f] / rows.length;
            }
        }
        for (double[] row : rows) {
            for (int f = 0; f < width; f++) {
                double d = row[f] / scale[f] - mean[f];
                std[f] += d * d / rows.length;
            }
        }
        for (int f = 0; f < width; f++) {
            double s = Math.sqrt(std[f]) * scale[f];
            std[f] = std[f] > 0 && s > 1e-12 ? s : 1.0;
            mean[f] *= scale[f];
        }
        return new Standardizer(mean, std);
    }

    /** Mean and (population) standard deviation of a univariate series. */
    public static Standardizer fit(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to fit the standardizer on; pass the training part of the series");
        }
        double[][] rows = new double[values.length][];
        for (int t = 0; t < values.length; t++) rows[t] = new double[] {values[t]};
        return fit(rows);
    }

    /** Mean 0, std 1: leaves values as they are. */
    public static Standardizer identity(int width) {
        double[] ones = new double[width];
        Arrays.fill(ones, 1.0);
        return new Standardizer(new double[width], ones);
    }

    public int width() {
        return mean.length;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }

    public boolean isIdentity() {
        for (int f = 0; f < mean.length; f++) {
            if (mean[f] != 0 || std[f] != 1) {
                return false;
            }
        }
        return true;
    }

    public double transform(double value, int feature) {
        return (value - mean[feature]) / std[feature];
    }

    public double inverse(double value, int feature) {
        return value * std[feature] + mean[feature];
    }

    public double[][] transform(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int t = 0; t < rows.length; t++) {
            out[t] = new double[rows[t].length];
            for (int f = 0; f < rows[t].length; f++) {
                out[t][f] = transform(rows[t][f], f);
            }
        }
        return out;
    }

    public double[][] inverse(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int t = 0; t < rows.length; t++) {
            out[t] = new double[rows[t].length];
            for (int f = 0; f < rows[t].length; f++) {
                out[t][f] = inverse(rows[t][f], f);
            }
        }
        return out;
    }

    /** Maps predictions whose last dimension is the features ({@code [B,n]} or {@code [B,T,n]}) back to original units. */
    public INDArray inverse(INDArray values) {
        long[] shape = values.shape();
        if (shape.length == 0 || shape[shape.length - 1] != width()) {
            throw new IllegalArgumentException("expected the last dimension to be the " + width() + " features but"
                    + " the shape is " + Arrays.toString(shape));
        }
        double[] data = values.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < data.length; i++) {
            data[i] = inverse(data[i], i % width());
        }
        return Nd4j.create(data, shape, DataType.DOUBLE).castTo(values.dataType());
    }

    @Override
    public String toString() {
        return "Standardizer[mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + "]";
    }
}
