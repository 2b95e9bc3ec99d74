package org.seqlab.data;

import java.util.Objects;

/**
 * Real-valued input sequences ({@code [example][time][feature]}, lengths may differ) with one value
 * vector per sequence (VALUES_PER_SEQUENCE) or one class per sequence (CLASS_PER_SEQUENCE). Synthetic
 * tasks such as the adding problem are built on it.
 */
public final class ValueSequences extends ExampleDataset {

    private final float[][][] inputs;
    private final float[][] values;   // per-sequence target vectors, or null for classes
    private final int[] labels;       // per-sequence classes, or null for values
    private final int features;
    private final int targetSize;

    private ValueSequences(float[][][] inputs, float[][] values, int[] labels, int features, int targetSize) {
        this.inputs = inputs;
        this.values = values;
        this.labels = labels;
        this.features = features;
        this.targetSize = targetSize;
    }

    /** Regression: {@code targets[i]} is the value vector to predict from sequence {@code i}. */
    public static ValueSequences regression(double[][][] inputs, double[][] targets) {
        Objects.requireNonNull(targets, "targets");
        int features = checkInputs(inputs);
        if (targets.length != inputs.length) {
            throw new IllegalArgumentException(inputs.length + " sequences but " + targets.length
                    + " targets; give one target vector per sequence");
        }
        int width = Checks.finiteRows("targets", targets, -1);
        float[][] values = new float[targets.length][width];
        for (int i = 0; i < targets.length; i++) {
            for (int f = 0; f < width; f++) {
                values[i][f] = Checks.trainable(targets[i][f], "targets", i, f, "divide the targets by a constant or standardise them");
            }
        }
        return new ValueSequences(toFloats(inputs, features), values, null, features, width);
    }

    /** Classification: {@code labels[i]} in {@code [0, numClasses)} is the class of sequence {@code i}. */
    public static ValueSequences classes(double[][][] inputs, int[] labels, int numClasses) {
        Objects.requireNonNull(labels, "labels");
        int features = checkInputs(inputs);
        if (labels.length != inputs.length) {
            throw new IllegalArgumentException(inputs.length + " sequences but " + labels.length
                    + " labels; give one label per sequence");
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("number of classes is " + numClasses + "; classification needs at"
                    + " least 2");
        }
        for (int i = 0; i < labels.length; i++) {
            Checks.classInRange("label of sequence " + i, labels[i], numClasses);
        }
        return new ValueSequences(toFloats(inputs, features), null, labels.clone(), features, numClasses);
    }

    private static int checkInputs(double[][][] inputs) {
        Objects.requireNonNull(inputs, "inputs");
        Checks.notEmpty("inputs", inputs.length, "pass at least one sequence");
        int width = -1;
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null || inputs[i].length == 0) {
                throw new IllegalArgumentException("sequence " + i + " is empty; drop it, every sequence needs at"
                        + " least one step");
            }
            width = Checks.finiteRows("sequence " + i, inputs[i], width);
        }
        return width;
    }

    private static float[][][] toFloats(double[][][] inputs, int features) {
        float[][][] out = new float[inputs.length][][];
        for (int i = 0; i < inputs.length; i++) {
            out[i] = new float[inputs[i].length][features];
            for (int t = 0; t < inputs[i].length; t++) {
                for (int f = 0; f < features; f++) {
                    out[i][t][f] = Checks.trainable(inputs[i][t][f], "sequence " + i, t, f, "divide the inputs by a constant or standardise them");
                }
            }
        }
        return out;
    }

    @Override
    int length(int i) {
        return inputs[i].length;
    }

    @Override
    void writeInputs(int i, float[] dst, int offset) {
        for (int t = 0; t < inputs[i].length; t++) {
            System.arraycopy(inputs[i][t], 0, dst, offset + t * features, features);
        }
    }

    @Override
    void writeTargets(int i, float[] dst, int offset) {
        if (values != null) {
            System.arraycopy(values[i], 0, dst, offset, targetSize);
        } else {
            dst[offset] = labels[i];
        }
    }

    @Override
    SequenceDataset select(int[] examples) {
        float[][][] in = new float[examples.length][][];
        float[][] vals = values == null ? null : new float[examples.length][];
        int[] labs = labels == null ? null : new int[examples.length];
        for (int k = 0; k < examples.length; k++) {
            in[k] = inputs[examples[k]];
            if (values != null) {
                vals[k] = values[examples[k]];
            } else {
                labs[k] = labels[examples[k]];
            }
        }
        return new ValueSequences(in, vals, labs, features, targetSize);
    }

    /** Example {@code i}'s value target (regression only). */
    public float[] target(int i) {
        if (values == null) {
            throw new IllegalStateException("this dataset has class labels; use label(i)");
        }
        return values[i].clone();
    }

    public int label(int i) {
        if (labels == null) {
            throw new IllegalStateException("this dataset has value targets; use target(i)");
        }
        return labels[i];
    }

    @Override
    public int size() {
        return inputs.length;
    }

    @Override
    public TargetKind targetKind() {
        return values != null ? TargetKind.VALUES_PER_SEQUENCE : TargetKind.CLASS_PER_SEQUENCE;
    }

    @Override
    public int vocabSize() {
        return 0;
    }

    @Override
    public int featureSize() {
        return features;
    }

    @Override
    public int targetSize() {
        return targetSize;
    }

    @Override
    public String toString() {
        return "ValueSequences[" + size() + " sequences, lengths up to " + maxLength() + " x " + features
                + " features, " + targetKind() + " of size " + targetSize + "]";
    }
}
