package org.seqlab.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Condition;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.seqlab.data.Batch;
import org.seqlab.data.SequenceDataset;
import org.seqlab.data.TargetKind;

/**
 * One look at real-valued inputs and targets before training, so a bad value is named as the
 * data's problem instead of surfacing steps later as a "diverged, lower the learning rate". NaN,
 * infinities and values whose square overflows the model's number type are refused with where they
 * are; the largest magnitude is returned so a later divergence can say when the data is unscaled.
 * Token data is not scanned (its ids were checked when the dataset was built).
 */
public final class DataScan {
    /** Inputs or targets larger than this are worth standardising before blaming the learning rate. */
    static final double UNSCALED = 100;

    private DataScan() {
    }

    /** The largest |value| among real-valued inputs and targets (0 when there are none). */
    public static double check(SequenceDataset data, DataType dtype, int batchSize) {
        boolean realInputs = data.vocabSize() == 0;
        boolean realTargets = data.targetKind() == TargetKind.VALUES_PER_STEP || data.targetKind() == TargetKind.VALUES_PER_SEQUENCE;
        if (!realInputs && !realTargets) return 0;
        double limit = Math.sqrt(dtype == DataType.DOUBLE ? Double.MAX_VALUE : Float.MAX_VALUE);
        String type = dtype == DataType.DOUBLE ? "double" : "float";
        double largest = 0;
        int first = 0;
        for (Batch b : data.batches(batchSize, null)) {
            if (realInputs) largest = Math.max(largest, scan("input", b.inputs(), first, limit, type));
            if (realTargets) largest = Math.max(largest, scan("target", b.targets(), first, limit, type));
            first += b.size();
        }
        return largest;
    }

    private static double scan(String what, INDArray values, int firstExample, double limit, String type) {
        if (count(values, Conditions.notFinite()) > 0) {
            long[] at = firstWhere(values, Conditions.notFinite());
            throw new IllegalArgumentException("the data is the problem, not the training: " + what + " value "
                    + values.getDouble(at) + " at " + where(at, firstExample) + " is not a finite number; fill or drop "
                    + "missing values before building the dataset");
        }
        double largest = values.amaxNumber().doubleValue();
        if (largest > limit) {
            long[] at = firstWhere(values, Conditions.absGreaterThan(limit));
            throw new IllegalArgumentException(String.format("the data is the problem, not the learning rate: %s value %.3g at %s "
                    + "is too large to train on: the model computes in %s, where squares of values above %.2g overflow. "
                    + "Standardise the data (TimeSeriesWindows.of(..., true), or Standardizer) or divide it by a constant",
                    what, values.getDouble(at), where(at, firstExample), type, limit));
        }
        return largest;
    }

    private static long count(INDArray values, Condition condition) {
        return Nd4j.getExecutioner().exec(new MatchCondition(values, condition)).getLong(0);
    }

    /** Batch-first coordinates of the first element that matches. */
    private static long[] firstWhere(INDArray values, Condition condition) {
        INDArray c = values.dup('c');
        long flat = BooleanIndexing.firstIndex(c, condition).getLong(0);
        return Shape.ind2subC(c.shape(), flat);
    }

    /** Example (in unshuffled order), then step and feature, or the column of a per-sequence target. */
    private static String where(long[] at, int firstExample) {
        String s = "example " + (firstExample + at[0]);
        if (at.length == 2) return s + ", column " + at[1];
        if (at.length == 3) return s + ", step " + at[1] + ", feature " + at[2];
        return s;
    }
}
