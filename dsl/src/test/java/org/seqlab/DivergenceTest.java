package org.seqlab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.data.Batch;
import org.seqlab.data.SequenceDataset;
import org.seqlab.data.ShippedText;
import org.seqlab.data.TargetKind;
import org.seqlab.data.TextWindows;
import org.seqlab.data.TimeSeriesWindows;
import org.seqlab.data.Vocab;
import org.seqlab.train.FitOptions;
import org.seqlab.train.Optimizer;
import org.seqlab.train.ProgressLine;
import org.seqlab.train.StopReason;
import org.seqlab.train.TrainingDivergedException;
import org.seqlab.train.TrainingHistory;
import org.seqlab.train.TrainingListener;

/**
 * Divergence is reported, never hidden: a loss that explodes stops the fit with a message, the
 * model is rolled back to weights whose loss was fine (predict and generate work after), the
 * history says DIVERGED, and bad data is named as the data's problem before training starts.
 */
class DivergenceTest {
    private static final String TEXT = ShippedText.demo().substring(0, 6_000);
    private static final Vocab VOCAB = Vocab.chars(TEXT);
    private static final Pattern RESTORED = Pattern.compile("weights it had at step (\\d+)");

    private static Model small() {
        return small(DataType.FLOAT);
    }

    private static Model small(DataType dtype) {
        return Model.compile(Seq.model().vocab(VOCAB).embed(8).lstm(16).softmax().seed(4).spec(), dtype);
    }

    private static Optimizer optimizer(String name, double lr) {
        return name.equals("adam") ? Optimizer.adam(lr) : Optimizer.sgd(lr);
    }

    /** Before the fix: 60 steps, stop reason COMPLETED, losses up to 4e31, no word of warning. */
    @ParameterizedTest
    @CsvSource({"adam, 1e3, FLOAT", "adam, 1e10, FLOAT", "adam, 1e30, FLOAT", "adam, 1e38, FLOAT",
            "sgd, 1e3, FLOAT", "sgd, 1e10, FLOAT", "sgd, 1e30, FLOAT", "sgd, 1e308, DOUBLE"})
    void hugeLearningRatesStopWithAMessageAndLeaveAUsableModel(String name, double lr, DataType dtype) {
        Model m = small(dtype);
        List<INDArray> weightsAtStep = new ArrayList<>(); // index k: the weights step k+1 measured its loss on
        weightsAtStep.add(m.graph().parameters().values().dup());
        AtomicReference<TrainingHistory> ended = new AtomicReference<>();
        FitOptions options = FitOptions.steps(60).batchSize(8).optimizer(optimizer(name, lr))
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(org.seqlab.train.StepRecord step) {
                        weightsAtStep.add(m.graph().parameters().values().dup());
                    }

                    @Override
                    public void onEnd(TrainingHistory history) {
                        ended.set(history);
                    }
                });
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> m.fit(TextWindows.of(TEXT, VOCAB, 50, 50), options), name + " at " + lr + " must not complete");
        String msg = e.getMessage();
        assertTrue(msg.startsWith("training diverged at step " + e.step()), msg);
        assertTrue(msg.contains("learning rate"), msg);
        assertTrue(e.step() <= 60, msg);

        // the history says so, to the live display (onEnd) and to model.history()
        assertEquals(StopReason.DIVERGED, e.history().stopReason());
        assertSame(e.history(), ended.get(), "listeners see the end of a diverged fit");
        assertSame(e.history(), m.history());
        assertTrue(ProgressLine.finished(e.history()).startsWith("training diverged at step " + e.step()),
                ProgressLine.finished(e.history()));
        assertTrue(e.history().toString().contains("diverged"), e.history().toString());

        // rolled back in fact: exactly the weights the message names, all finite, and they predict and generate
        INDArray now = m.graph().parameters().values();
        assertFalse(now.isNaN().any() || now.isInfinite().any(), "weights are finite after " + msg);
        Matcher at = RESTORED.matcher(msg);
        int restoredStep = at.find() ? Integer.parseInt(at.group(1)) : 1;
        assertTrue(msg.contains(restoredStep == 1 ? "back at its initial weights" : "back at the weights it had at step"), msg);
        assertEquals(weightsAtStep.get(restoredStep - 1), now, "the model holds the weights of step " + restoredStep);
        INDArray p = m.predict("the cat");
        assertFalse(p.isNaN().any(), "predict works after the rollback");
        assertFalse(m.generate("the ", 30, 0.8).isEmpty(), "generate gives text after the rollback");
        assertEquals(30, m.generate(VOCAB.encodeStrict("the "), 30, 0.8, 1).length);
        double start = e.history().steps().get(0).loss();
        assertTrue(m.evaluate(TextWindows.of(TEXT, VOCAB, 50, 50)).loss() < 10 * start, "restored weights are not diverged ones");
    }

    @Test
    void aLossThatStaysFarAboveItsStartStopsEvenWhenEveryNumberIsFinite() {
        Model m = small();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> m.fit(TextWindows.of(TEXT, VOCAB, 50, 50),
                FitOptions.steps(60).batchSize(8).adam(1e3).clipNorm(1)));
        assertTrue(e.getMessage().contains("the loss stayed above 10 times its start"), e.getMessage());
        assertTrue(e.getMessage().contains("Adam(lr=1000.0) is far above the 0.0001 to 0.01 it usually trains with"), e.getMessage());
        assertFalse(e.getMessage().contains("clipNorm"), "clipping is on already: " + e.getMessage());
        for (var s : e.history().steps()) assertTrue(Double.isFinite(s.loss()));
    }

    @Test
    void theGrowthLimitCanBeLoosenedAndOrdinaryTrainingNeverTripsIt() {
        TrainingHistory normal = small().fit(TextWindows.of(TEXT, VOCAB, 50, 50), FitOptions.steps(25).batchSize(8).adam(1e-2));
        assertEquals(StopReason.COMPLETED, normal.stopReason());
        TrainingHistory loose = small().fit(TextWindows.of(TEXT, VOCAB, 50, 50),
                FitOptions.steps(12).batchSize(8).adam(1e3).clipNorm(1).lossGrowthLimit(Double.POSITIVE_INFINITY, 5));
        assertEquals(StopReason.COMPLETED, loose.stopReason(), "the user turned the growth check off");
        assertThrows(IllegalArgumentException.class, () -> FitOptions.steps(1).lossGrowthLimit(1, 5));
    }

    @Test
    void aValueBeyondFloatInATimeSeriesIsNamedAsTheDataProblem() {
        double[] series = new double[200];
        for (int t = 0; t < series.length; t++) series[t] = Math.sin(t / 5.0);
        series[117] = 1e300;
        String msg = assertThrows(IllegalArgumentException.class,
                () -> TimeSeriesWindows.of(series, 20, 1, TargetKind.VALUES_PER_SEQUENCE, false)).getMessage();
        assertTrue(msg.contains("1.00e+300 at row 117") && msg.contains("too large to train on") && msg.contains("standardise"), msg);

        // standardised, the same series trains: its statistics no longer overflow
        TimeSeriesWindows standardised = TimeSeriesWindows.of(series, 20, 1, TargetKind.VALUES_PER_SEQUENCE, true);
        Model m = Seq.model().features(1).lstm(8).last().linear(1).seed(1).build();
        TrainingHistory h = m.fit(standardised, FitOptions.steps(10).batchSize(16).adam(1e-2));
        assertEquals(StopReason.COMPLETED, h.stopReason());
    }

    @Test
    void nonFiniteOrOverflowingValuesInAnyDatasetAreRefusedBeforeTheFirstStep() {
        Model m = Seq.model().features(2).lstm(4).last().linear(1).build();
        String msg = assertThrows(IllegalArgumentException.class, () -> m.fit(values(1e30f, 3, 4, 1))).getMessage();
        assertTrue(msg.startsWith("the data is the problem, not the learning rate: input value 1.00e+30 at example 3, step 4, "
                + "feature 1"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> m.fit(values(Float.NaN, 0, 2, 0))).getMessage();
        assertTrue(msg.contains("input value NaN at example 0, step 2, feature 0 is not a finite number"), msg);
        assertNotNull(m.graph());
        assertTrue(m.history() == null, "no step ran");
    }

    @Test
    void unscaledDataIsNamedWhenTrainingDivergesAndTheRollbackIsToTheLastGoodStep() {
        double[] series = new double[300];
        Random r = new Random(3);
        for (int t = 0; t < series.length; t++) series[t] = 5e6 + 1e6 * r.nextGaussian();
        Model m = Seq.model().features(1).lstm(8).last().linear(1).seed(1).build();
        List<INDArray> weightsAtStep = new ArrayList<>();
        weightsAtStep.add(m.graph().parameters().values().dup());
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> m.fit(
                TimeSeriesWindows.of(series, 10, 1, TargetKind.VALUES_PER_SEQUENCE, false), FitOptions.steps(40).sgd(0.5)
                        .listener(TrainingListener.eachStep(s -> weightsAtStep.add(m.graph().parameters().values().dup())))));
        assertTrue(e.getMessage().contains("Try: standardise the data: its values reach 8.85e+06"), e.getMessage());
        Matcher at = RESTORED.matcher(e.getMessage());
        assertTrue(at.find(), "a later step than the first was still fine: " + e.getMessage());
        int restoredStep = Integer.parseInt(at.group(1));
        assertTrue(restoredStep > 1 && restoredStep < e.step() - 1, e.getMessage());
        assertEquals(weightsAtStep.get(restoredStep - 1), m.graph().parameters().values());
        double start = e.history().steps().get(0).loss();
        assertTrue(m.evaluate(TimeSeriesWindows.of(series, 10, 1, TargetKind.VALUES_PER_SEQUENCE, false)).loss() < 10 * start,
                "the restored weights are not the diverged ones");
    }

    @Test
    void aLearningRateBeyondFloatIsRefusedForAFloatModel() {
        String msg = assertThrows(IllegalArgumentException.class, () -> small().fit(TextWindows.of(TEXT, VOCAB, 50, 50),
                FitOptions.steps(5).adam(1e308))).getMessage();
        assertTrue(msg.contains("beyond what float can hold"), msg);
    }

    @Test
    void aLaterFitAfterADivergenceStartsItsOptimizerAfresh() {
        Model m = small();
        FitOptions bad = FitOptions.steps(60).batchSize(8).adam(1e3);
        assertThrows(TrainingDivergedException.class, () -> m.fit(TextWindows.of(TEXT, VOCAB, 50, 50), bad));
        INDArray before = m.graph().parameters().values().dup();
        TrainingHistory h = m.fit(TextWindows.of(TEXT, VOCAB, 50, 50), FitOptions.steps(20).batchSize(8).adam(1e-2));
        assertEquals(StopReason.COMPLETED, h.stopReason());
        assertFalse(before.equals(m.graph().parameters().values()));
        assertTrue(h.recentLoss(5) < h.steps().get(0).loss(), "it learns again from the restored weights");
    }

    /** Eight sequences of six steps of two features, zero except one value. */
    private static SequenceDataset values(float value, int example, int step, int feature) {
        return new SequenceDataset() {
            @Override public int size() { return 8; }
            @Override public TargetKind targetKind() { return TargetKind.VALUES_PER_SEQUENCE; }
            @Override public int vocabSize() { return 0; }
            @Override public int featureSize() { return 2; }
            @Override public int targetSize() { return 1; }
            @Override public int maxLength() { return 6; }

            @Override
            public List<Batch> batches(int batchSize, Random random) {
                List<Batch> out = new ArrayList<>();
                for (int from = 0; from < 8; from += batchSize) {
                    int n = Math.min(batchSize, 8 - from);
                    float[][][] x = new float[n][6][2];
                    if (example >= from && example < from + n) x[example - from][step][feature] = value;
                    out.add(new Batch(Nd4j.createFromArray(x), Nd4j.zeros(DataType.FLOAT, n, 1), null));
                }
                return out;
            }

            @Override
            public List<SequenceDataset> split(double fraction, long seed) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void theTestDatasetPutsItsValueWhereItSays() {
        INDArray x = values(7f, 3, 4, 1).batches(2, null).get(1).inputs();
        assertArrayEquals(new long[] {2, 6, 2}, x.shape());
        assertEquals(7.0, x.getDouble(1, 4, 1));
    }
}
