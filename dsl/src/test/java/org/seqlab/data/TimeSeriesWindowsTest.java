package org.seqlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqlab.data.LabelledSequencesTest.assertMessage;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TimeSeriesWindowsTest {

    private static final double[] SERIES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void nextValueTargets() {
        TimeSeriesWindows windows = TimeSeriesWindows.of(SERIES, 3, 2, TargetKind.VALUES_PER_SEQUENCE, false);
        assertEquals(4, windows.size()); // starts 0, 2, 4, 6
        Batch batch = windows.batches(4, null).get(0);
        assertArrayEquals(new long[] {4, 3, 1}, batch.inputs().shape());
        assertArrayEquals(new long[] {4, 1}, batch.targets().shape());
        assertNull(batch.mask());
        assertEquals(Nd4j.createFromArray(new float[][] {{2}, {3}, {4}}), batch.inputs().slice(1));
        assertEquals(5f, batch.targets().getFloat(1, 0));
        assertEquals(9f, batch.targets().getFloat(3, 0));
    }

    @Test
    void perStepTargetsMultivariate() {
        double[][] series = new double[8][];
        for (int t = 0; t < 8; t++) {
            series[t] = new double[] {t, 10 * t};
        }
        TimeSeriesWindows windows = TimeSeriesWindows.of(series, 4, 1, TargetKind.VALUES_PER_STEP, false);
        Batch batch = windows.batches(10, null).get(0);
        assertArrayEquals(new long[] {4, 4, 2}, batch.targets().shape());
        assertEquals(Nd4j.createFromArray(new float[][] {{2, 20}, {3, 30}, {4, 40}, {5, 50}}), batch.targets().slice(1));
        assertEquals(2, windows.featureSize());
        assertEquals(2, windows.targetSize());
    }

    @Test
    void standardisationAndInverse() {
        TimeSeriesWindows windows = TimeSeriesWindows.of(SERIES, 3, 1, TargetKind.VALUES_PER_SEQUENCE, true);
        Standardizer norm = windows.normalizer();
        assertEquals(4.5, norm.mean()[0], 1e-12);
        assertEquals(Math.sqrt(8.25), norm.std()[0], 1e-12);
        Batch batch = windows.batches(100, null).get(0);
        INDArray original = norm.inverse(batch.targets());
        assertEquals(3f, original.getFloat(0, 0), 1e-5);
        assertEquals(9f, original.getFloat(6, 0), 1e-5);
        assertTrue(TimeSeriesWindows.of(SERIES, 3, 1, TargetKind.VALUES_PER_STEP, false).normalizer().isIdentity());
        assertEquals(1.0, Standardizer.fit(new double[][] {{5}, {5}}).std()[0], "a constant column keeps std 1");
    }

    @Test
    void validationMessages() {
        assertMessage(() -> TimeSeriesWindows.of(new double[0], 3, 1, TargetKind.VALUES_PER_SEQUENCE, false), "series is empty");
        assertMessage(() -> TimeSeriesWindows.of(new double[] {1, 2, 3}, 3, 1, TargetKind.VALUES_PER_SEQUENCE, false),
                "at least 4");
        assertMessage(() -> TimeSeriesWindows.of(new double[] {1, Double.NaN, 3}, 1, 1, TargetKind.VALUES_PER_SEQUENCE, false),
                "value NaN at row 1");
        assertMessage(() -> TimeSeriesWindows.of(new double[][] {{1, 2}, {3}}, 1, 1, TargetKind.VALUES_PER_STEP, false),
                "row 1 has 1 features but earlier rows have 2");
        assertMessage(() -> TimeSeriesWindows.of(SERIES, 3, 1, TargetKind.CLASS_PER_STEP, false), "VALUES_PER_SEQUENCE");
        assertMessage(() -> TimeSeriesWindows.of(SERIES, 3, 0, TargetKind.VALUES_PER_STEP, false), "stride is 0");
    }

    /** Statistics fitted on the training part only are applied unchanged to the test part. */
    @Test
    void givenStandardizerIsUsedAsIsForAnotherPartOfTheSeries() {
        Standardizer trainOnly = Standardizer.fit(new double[] {0, 1, 2, 3, 4});
        assertEquals(2.0, trainOnly.mean()[0], 1e-12);
        assertEquals(Math.sqrt(2), trainOnly.std()[0], 1e-12);
        double[] later = {5, 6, 7, 8, 9};
        TimeSeriesWindows test = TimeSeriesWindows.of(later, 2, 1, TargetKind.VALUES_PER_SEQUENCE, trainOnly);
        assertEquals(trainOnly, test.normalizer());
        Batch batch = test.batches(8, null).get(0);
        assertEquals((5 - 2) / Math.sqrt(2), batch.inputs().getDouble(0, 0, 0), 1e-6);
        assertEquals((7 - 2) / Math.sqrt(2), batch.targets().getDouble(0, 0), 1e-6);
        assertEquals(9.0, trainOnly.inverse(batch.targets().getDouble(2, 0), 0), 1e-5);
        assertMessage(() -> TimeSeriesWindows.of(new double[][] {{1, 2}, {3, 4}, {5, 6}},
                1, 1, TargetKind.VALUES_PER_SEQUENCE, trainOnly), "Standardizer.fit");
    }
}
