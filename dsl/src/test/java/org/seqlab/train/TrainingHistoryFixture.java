package org.seqlab.train;

import java.util.List;

/** Histories built from given step records, for tests of what draws them. */
public final class TrainingHistoryFixture {
    private TrainingHistoryFixture() {
    }

    public static TrainingHistory of(List<StepRecord> steps) {
        TrainingHistory h = new TrainingHistory();
        steps.forEach(h::add);
        return h;
    }
}
