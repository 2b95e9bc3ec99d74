package org.seqlab.layers;

import java.util.Random;

/**
 * How a forward pass runs.
 *
 * @param training     dropout active and caches kept for {@link Layer#backward}
 * @param carryState   recurrent layers start from the state their previous call ended in (truncated
 *                     BPTT chunks, step-by-step generation) instead of zeros, and keep the final one
 * @param record       layers keep their internals (gates, per-step states) for inspection
 * @param random       the seeded source for dropout masks
 */
public record Mode(boolean training, boolean carryState, boolean record, Random random) {

    public static Mode train(Random random) {
        return new Mode(true, false, false, random);
    }

    public static Mode eval() {
        return new Mode(false, false, false, new Random(0));
    }

    public Mode withCarryState(boolean carry) {
        return new Mode(training, carry, record, random);
    }

    public Mode withRecord(boolean rec) {
        return new Mode(training, carryState, rec, random);
    }
}
