package org.seqlab.data;

/** Validation shared by the dataset constructors; every message says what is wrong and what to do. */
final class Checks {

    private Checks() {
    }

    static void positive(String what, int value, String hint) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " is " + value + "; it must be at least 1 (" + hint + ")");
        }
    }

    static void notEmpty(String what, int count, String hint) {
        if (count == 0) {
            throw new IllegalArgumentException(what + " is empty; " + hint);
        }
    }

    /** Every id in {@code ids} lies in {@code [0, vocabSize)}. */
    static void idsInRange(String where, int[] ids, int vocabSize) {
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] < 0 || ids[t] >= vocabSize) {
                throw new IllegalArgumentException(where + ": id " + ids[t] + " at position " + t
                        + " is outside the vocabulary (ids 0.." + (vocabSize - 1) + "); encode the data with the"
                        + " same vocabulary, or pass a vocabulary size above " + ids[t]);
            }
        }
    }

    static void classInRange(String where, int label, int numClasses) {
        if (label < 0 || label >= numClasses) {
            throw new IllegalArgumentException(where + ": class " + label + " is outside 0.." + (numClasses - 1)
                    + "; pass numClasses above " + label + " or fix the label");
        }
    }

    /**
     * Datasets keep values in float and the losses square them: above sqrt(Float.MAX_VALUE), about
     * 1.8e19, training can only overflow, whatever the learning rate.
     */
    static final double MAX_TRAINABLE = Math.sqrt(Float.MAX_VALUE);

    /** {@code value} as the float a dataset stores, or an error naming it as the data's problem. */
    static float trainable(double value, String what, int row, int feature, String hint) {
        if (Math.abs(value) > MAX_TRAINABLE) {
            throw new IllegalArgumentException(String.format("%s: value %.3g at row %d, feature %d is too large to train on: "
                    + "models compute in float, where squares of values above %.2g overflow; %s", what, value, row, feature,
                    MAX_TRAINABLE, hint));
        }
        return (float) value;
    }

    /** Finite values and, for multivariate rows, the same width everywhere. Returns the width. */
    static int finiteRows(String what, double[][] rows, int expectedWidth) {
        int width = expectedWidth;
        for (int t = 0; t < rows.length; t++) {
            if (rows[t] == null) {
                throw new IllegalArgumentException(what + ": row " + t + " is null; remove it or fill it in");
            }
            if (width < 0) {
                width = rows[t].length;
            }
            if (rows[t].length != width) {
                throw new IllegalArgumentException(what + ": row " + t + " has " + rows[t].length
                        + " features but earlier rows have " + width + "; every step needs the same number of"
                        + " features (fill missing values or drop the short rows)");
            }
            for (int f = 0; f < width; f++) {
                if (!Double.isFinite(rows[t][f])) {
                    throw new IllegalArgumentException(what + ": value " + rows[t][f] + " at row " + t + ", feature "
                            + f + " is not a finite number; fill or drop missing values before building the"
                            + " dataset");
                }
            }
        }
        if (width == 0) {
            throw new IllegalArgumentException(what + " has rows with no features; give every step at least one value");
        }
        return width;
    }
}
