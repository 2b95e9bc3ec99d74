package org.seqlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqlab.data.LabelledSequences;
import org.seqlab.data.ShippedText;
import org.seqlab.data.TextWindows;
import org.seqlab.data.Vocab;
import org.seqlab.train.FitOptions;
import org.seqlab.train.StepRecord;
import org.seqlab.train.StopReason;
import org.seqlab.train.TrainingDivergedException;
import org.seqlab.train.TrainingHistory;
import org.seqlab.train.TrainingListener;
import org.seqlab.train.TrainingListeners;

/** The trainer's promises: clipping bounds, truncated BPTT, interrupts, divergence, early stopping, bad data. */
class TrainingTest {
    private static final String TEXT = ShippedText.demo().substring(0, 20_000);
    private static final Vocab VOCAB = Vocab.chars(TEXT);

    @Test
    void clippedGradientNormNeverExceedsTheThreshold() {
        Model m = Seq.model().vocab(VOCAB).embed(16).rnn(32).softmax().seed(1).build();
        TrainingHistory h = m.fit(TextWindows.of(TEXT, VOCAB, 50, 50), FitOptions.steps(30).batchSize(16).sgd(0.5).clipNorm(0.25));
        boolean clippedSomething = false;
        for (StepRecord s : h.steps()) {
            assertTrue(s.clippedGradNorm() <= 0.25 * (1 + 1e-5), "step " + s.step() + ": " + s.clippedGradNorm());
            clippedSomething |= s.gradNorm() > 0.25;
        }
        assertTrue(clippedSomething, "the test must exercise clipping");
    }

    @Test
    void quietFitsSkipTheEnvironmentsListenersButKeepTheirOwn() {
        java.util.concurrent.atomic.AtomicInteger environment = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Supplier<TrainingListener> factory = () -> TrainingListener.eachStep(s -> environment.incrementAndGet());
        TrainingListeners.register(factory);
        try {
            Model m = Seq.model().vocab(VOCAB).embed(4).rnn(4).softmax().seed(1).build();
            var data = TextWindows.of(TEXT.substring(0, 400), VOCAB, 20, 20);
            m.fit(data, FitOptions.steps(3).batchSize(4));
            assertEquals(3, environment.get(), "a plain fit reports to the environment");
            java.util.concurrent.atomic.AtomicInteger own = new java.util.concurrent.atomic.AtomicInteger();
            m.fit(data, FitOptions.steps(2).batchSize(4).quiet().listener(TrainingListener.eachStep(s -> own.incrementAndGet())));
            assertEquals(3, environment.get(), "a quiet fit does not");
            assertEquals(2, own.get(), "its own listener still runs");
        } finally {
            TrainingListeners.unregister(factory);
        }
    }

    @Test
    void clipByValueBoundsEveryElement() {
        Model m = Seq.model().vocab(VOCAB).embed(8).lstm(16).softmax().seed(1).build();
        TrainingHistory h = m.fit(TextWindows.of(TEXT, VOCAB, 30, 30), FitOptions.steps(5).batchSize(8).sgd(0.1).clipValue(1e-3));
        long params = m.summary().totalParams();
        for (StepRecord s : h.steps()) assertTrue(s.clippedGradNorm() <= 1e-3 * Math.sqrt(params) * (1 + 1e-5));
    }

    @Test
    void truncatedBpttTrainsALanguageModelOnStreams() {
        Model m = Seq.model().vocab(VOCAB).embed(32).lstm(64).softmax().seed(2).build();
        var streams = TextWindows.streams(TEXT, VOCAB, 16, 100);
        TrainingHistory h = m.fit(streams, FitOptions.epochs(3).batchSize(16).adam(1e-2).clipNorm(5).tbptt(25));
        // each batch of up to 100 steps is one update per 25-step chunk
        int chunks = streams.batches(16, null).stream().mapToInt(b -> (b.time() + 24) / 25).sum();
        assertTrue(chunks >= 4);
        assertEquals(3 * chunks, h.steps().size(), "one update per chunk");
        assertEquals(h.steps().size(), h.last().totalSteps(), "the plan was exact");
        double uniform = Math.log(VOCAB.size());
        double first = h.steps().get(0).loss();
        double last = h.recentLoss(20);
        assertTrue(first > 0.9 * uniform, "starts near uniform: " + first + " vs " + uniform);
        assertTrue(last < 0.6 * uniform, "learns the text: " + last + " vs uniform " + uniform);
        assertEquals(Math.exp(h.last().loss()), h.last().perplexity(), 1e-9);
    }

    @Test
    void interruptStopsBetweenStepsAndKeepsAUsableModel() throws Exception {
        Model m = Seq.model().vocab(VOCAB).embed(16).lstm(32).softmax().seed(3).build();
        CountDownLatch tenSteps = new CountDownLatch(10);
        AtomicReference<TrainingHistory> result = new AtomicReference<>();
        Thread t = new Thread(() -> result.set(m.fit(TextWindows.of(TEXT, VOCAB, 40, 40),
                FitOptions.steps(100_000).batchSize(8).listener(TrainingListener.eachStep(s -> tenSteps.countDown())))));
        t.start();
        tenSteps.await();
        long interruptedAt = System.nanoTime();
        t.interrupt();
        t.join(5_000);
        assertFalse(t.isAlive(), "training thread stopped");
        assertTrue((System.nanoTime() - interruptedAt) / 1e9 < 1.0, "stopped within a second");
        assertEquals(StopReason.INTERRUPTED, result.get().stopReason());
        assertTrue(result.get().steps().size() < 100_000);
        INDArray p = m.predict("the ");
        assertFalse(p.isNaN().any(), "the model is usable after the interrupt");
    }

    @Test
    void divergenceNamesTheStepAndKeepsTheLastFiniteWeights() {
        Model m = Seq.model().vocab(VOCAB).embed(8).rnn(16, org.seqlab.layers.Activation.RELU, true).softmax().seed(4).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () ->
                m.fit(TextWindows.of(TEXT, VOCAB, 50, 50), FitOptions.steps(200).batchSize(8).sgd(1e6)));
        assertTrue(e.getMessage().contains("step " + e.step()), e.getMessage());
        assertTrue(e.getMessage().contains("clipNorm") || e.getMessage().contains("learning rate"), e.getMessage());
        for (INDArray p : m.params().values()) assertFalse(p.isNaN().any() || p.isInfinite().any(), "weights stay finite");
    }

    @Test
    void earlyStoppingRestoresTheBestValidationWeights() {
        Model m = Seq.model().vocab(VOCAB).embed(16).lstm(32).softmax().seed(5).build();
        TrainingHistory h = m.fit(TextWindows.of(TEXT.substring(0, 3000), VOCAB, 30, 30),
                FitOptions.epochs(60).batchSize(8).adam(3e-2).validation(0.3).earlyStopping(2));
        assertEquals(StopReason.EARLY_STOPPED, h.stopReason(), h.toString());
        double best = java.util.Arrays.stream(h.validationLosses()).min().orElseThrow();
        assertNotEquals(best, h.validationLosses()[h.validationLosses().length - 1]);
    }

    @Test
    void badDataIsRefusedBeforeTraining() {
        Model lm = Seq.model().vocab(VOCAB).embed(8).lstm(8).softmax().build();
        LabelledSequences perSequence = LabelledSequences.classes(new int[][] {{2, 3}, {3, 2}}, new int[] {0, 1}, VOCAB.size(), 2);
        String m = assertThrows(IllegalArgumentException.class, () -> lm.fit(perSequence)).getMessage();
        assertTrue(m.contains(".last()"), m);

        Model small = Seq.model().vocab(5).embed(8).last().softmax(2).build();
        m = assertThrows(IllegalArgumentException.class, () -> small.fit(perSequence)).getMessage();
        assertTrue(m.contains(".vocab(" + VOCAB.size() + ")"), m);

        Model tooFewClasses = Seq.model().vocab(VOCAB).embed(8).last().softmax(1).build();
        m = assertThrows(IllegalArgumentException.class, () -> tooFewClasses.fit(perSequence)).getMessage();
        assertTrue(m.contains("softmax(2)"), m);

        m = assertThrows(IllegalArgumentException.class, () -> lm.predict(org.nd4j.linalg.factory.Nd4j.createFromArray(
                new float[][] {{1, 2, 500}}))).getMessage();
        assertTrue(m.contains("token id 500") && m.contains("outside the vocabulary"), m);
        m = assertThrows(IllegalArgumentException.class, () -> lm.generate("the \u00e9", 5, 1.0)).getMessage();
        assertTrue(m.contains("\u00e9") || m.toLowerCase().contains("unknown"), m);
    }

    @Test
    void cardModelCompilesAndTrainsAsWrittenWithoutDeclaringTheInput() {
        Model card = Seq.model().embed(256).lstm(512).attention(8).softmax().build();
        assertFalse(card.isCompiled());
        TrainingHistory h = card.fit(TextWindows.of(TEXT, VOCAB, 50, 50), FitOptions.steps(3).batchSize(4));
        assertEquals(3, h.steps().size());
        assertEquals(VOCAB, card.vocab());
        int[] ids = card.generate(VOCAB.encodeStrict("the "), 20, 1.0, 1);
        assertEquals(20, ids.length);
        for (int id : ids) assertTrue(id >= 0 && id < VOCAB.size());
    }
}
