package org.seqlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress line a learner reads under the live chart and in the demo's output. */
class ProgressLineTest {

    private static StepRecord step(int n, double grad, double clipped, double tokensPerSecond) {
        return new StepRecord(n, 100, 1, 1.5, Double.NaN, Math.exp(1.5), grad, clipped, 1e-3, tokensPerSecond, n * 1000L);
    }

    @Test
    void runningLineShowsPositionEtaMetricsAndClippingOnlyWhenItHappened() {
        List<StepRecord> steps = List.of(step(1, 2.0, 2.0, 10), step(2, 2.0, 2.0, 1000), step(25, 7.5, 5.0, 1000));
        String line = ProgressLine.running(steps, List.of(), 1);
        assertTrue(line.startsWith("step 25/100"), line);
        assertTrue(line.contains("1,000 tokens/s"), "the warm-up step is left out of the rate: " + line);
        assertTrue(line.contains("ETA 1:15"), line); // 25 steps in 25 s, 75 to go
        assertTrue(line.contains("perplexity 4.48"), line);
        assertTrue(line.contains("grad norm 7.50 \u2192 5.00 (clipped)"), line);
        assertFalse(ProgressLine.running(List.of(step(3, 2.0, 2.0, 10)), List.of(), 1).contains("clipped"));
    }

    @Test
    void finishedLineSaysWhyTrainingStopped() {
        TrainingHistory h = new TrainingHistory();
        h.add(step(1, 1, 1, 100));
        h.stoppedBecause(StopReason.INTERRUPTED);
        assertTrue(ProgressLine.finished(h).startsWith("interrupted at step 1/100"), ProgressLine.finished(h));
        assertTrue(ProgressLine.finished(new TrainingHistory()).contains(StopReason.COMPLETED.describe()));
    }

    @Test
    void durationsAndNormsReadAsPeopleWriteThem() {
        assertEquals("0:42", ProgressFormat.duration(42_000));
        assertEquals("1:02:03", ProgressFormat.duration(3_723_000));
        assertEquals("7.50", ProgressFormat.norm(7.5));
        assertEquals("1.20e-05", ProgressFormat.norm(1.2e-5));
    }
}
