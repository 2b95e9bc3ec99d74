package org.seqlab.eval;

import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqlab.Model;
import org.seqlab.data.Batch;
import org.seqlab.data.SequenceDataset;
import org.seqlab.data.TargetKind;

/**
 * A trained model's answers for every example of a dataset, in the dataset's order: the predicted
 * class of each sequence, or the predicted values. Batches are padded and masked as in training.
 */
public final class Predictions {
    private static final int BATCH = 64;

    private Predictions() {
    }

    /** The most likely class of every sequence (datasets with one class per sequence). */
    public static int[] classes(Model model, SequenceDataset data) {
        require(model, data, TargetKind.CLASS_PER_SEQUENCE, "classes");
        int[] out = new int[data.size()];
        int next = 0;
        for (Batch b : data.batches(BATCH, null)) {
            INDArray p = model.predict(b.inputs(), b.mask());
            for (int i = 0; i < b.size(); i++) {
                out[next++] = (int) p.getRow(i).argMax().getLong(0);
            }
        }
        return out;
    }

    /** The true class of every sequence, in the same order as {@link #classes}. */
    public static int[] labels(SequenceDataset data) {
        requireKind(data, TargetKind.CLASS_PER_SEQUENCE, "labels");
        int[] out = new int[data.size()];
        int next = 0;
        for (Batch b : data.batches(BATCH, null)) {
            for (int i = 0; i < b.size(); i++) out[next++] = (int) b.targets().getDouble(i);
        }
        return out;
    }

    /** {@code [example][feature]}: the predicted values (datasets with values per sequence), in the data's units. */
    public static double[][] values(Model model, SequenceDataset data) {
        require(model, data, TargetKind.VALUES_PER_SEQUENCE, "values");
        return collect(data, b -> model.predict(b.inputs(), b.mask()));
    }

    /** {@code [example][feature]}: the true target values, in the same order as {@link #values}. */
    public static double[][] targets(SequenceDataset data) {
        requireKind(data, TargetKind.VALUES_PER_SEQUENCE, "targets");
        return collect(data, Batch::targets);
    }

    private static double[][] collect(SequenceDataset data, java.util.function.Function<Batch, INDArray> rows) {
        double[][] out = new double[data.size()][];
        int next = 0;
        for (Batch b : data.batches(BATCH, null)) {
            INDArray v = rows.apply(b);
            for (int i = 0; i < b.size(); i++) out[next++] = v.getRow(i).toDoubleVector();
        }
        return out;
    }

    private static void require(Model model, SequenceDataset data, TargetKind kind, String what) {
        Objects.requireNonNull(model, "model");
        requireKind(data, kind, what);
    }

    private static void requireKind(SequenceDataset data, TargetKind kind, String what) {
        Objects.requireNonNull(data, "data");
        if (data.targetKind() != kind) {
            throw new IllegalArgumentException("Predictions." + what + " needs a dataset with " + kind
                    + " targets, but this one has " + data.targetKind() + "; for other kinds call model.predict(inputs)");
        }
        if (data.size() == 0) throw new IllegalArgumentException("the dataset is empty");
    }
}
