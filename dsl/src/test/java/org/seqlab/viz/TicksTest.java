package org.seqlab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Tick choice and tick labels, as pure functions (7 px per character stands in for a font). */
class TicksTest {
    static final ToDoubleFunction<String> SEVEN_PX = s -> 7.0 * s.length();

    /** The step between ticks is 1, 2 or 5 times a power of ten, and every tick is a multiple of it. */
    static double assertNiceStep(Ticks.Axis axis) {
        double[] v = axis.values();
        double step = v[1] - v[0];
        double p = Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
        double m = step / p;
        assertTrue(Math.abs(m - 1) < 1e-9 || Math.abs(m - 2) < 1e-9 || Math.abs(m - 5) < 1e-9, "step " + step + " is not 1, 2 or 5 x 10^k");
        for (int i = 1; i < v.length; i++) assertEquals(step, v[i] - v[i - 1], step * 1e-9, "even spacing");
        for (double t : v) assertEquals(0, Math.abs(t / step - Math.round(t / step)), 1e-6, t + " is not a multiple of " + step);
        return step;
    }

    /** Neighbouring labels, centred on their ticks, leave at least {@code gap} pixels between them. */
    static void assertLabelsDoNotTouch(Ticks.Axis axis, double pixels, double gap) {
        double[] v = axis.values();
        double spacing = pixels * (v[1] - v[0]) / (axis.max() - axis.min());
        for (int i = 1; i < v.length; i++) {
            double half = (SEVEN_PX.applyAsDouble(axis.labels().get(i - 1)) + SEVEN_PX.applyAsDouble(axis.labels().get(i))) / 2;
            assertTrue(spacing - half >= gap, "labels " + axis.labels().get(i - 1) + " and " + axis.labels().get(i) + " touch");
        }
    }

    @Test
    void trainingStepsTickAtRoundNumbersNotAtOddSteps() {
        // 250 steps numbered 1..250 on a 600 px axis: XChart used to label 1, 12, 23, ...
        Ticks.Axis axis = Ticks.linear(1, 250, 600, true, SEVEN_PX, 14);
        double step = assertNiceStep(axis);
        assertTrue(step >= 10, "step " + step);
        assertEquals(0, axis.min());
        assertTrue(axis.max() >= 250);
        assertEquals("0", axis.labels().get(0));
        assertEquals(String.valueOf((long) step), axis.labels().get(1));
        assertLabelsDoNotTouch(axis, 600, 14);
    }

    @Test
    void stepLabelsPastAHundredDoNotRunTogether() {
        for (int last : new int[] {99, 120, 250, 999, 1000, 4321, 25_000}) {
            for (double pixels : new double[] {250, 450, 700}) {
                Ticks.Axis axis = Ticks.linear(1, last, pixels, true, SEVEN_PX, 14);
                assertNiceStep(axis);
                assertLabelsDoNotTouch(axis, pixels, 14);
                assertTrue(axis.values().length >= 2 && axis.values().length <= 1 + pixels / 20, last + " @ " + pixels + ": " + axis.labels());
            }
        }
    }

    @Test
    void fewStepsStayWholeNumbers() {
        Ticks.Axis axis = Ticks.linear(1, 7, 600, true, SEVEN_PX, 14);
        assertEquals(1, assertNiceStep(axis), 0);
        for (String s : axis.labels()) assertFalse(s.contains("."), s);
    }

    @Test
    void labelsOfOneAxisShareTheirDecimals() {
        assertEquals(List.of("0.00", "0.25", "0.50"), Ticks.linearLabels(new double[] {0, 0.25, 0.5}, 0.25));
        assertEquals(List.of("0.0", "0.5", "1.0", "1.5"), Ticks.linearLabels(new double[] {0, 0.5, 1, 1.5}, 0.5));
        assertEquals(List.of("0", "50", "100"), Ticks.linearLabels(new double[] {0, 50, 100}, 50));
        Ticks.Axis loss = Ticks.linear(0.74, 3.7, 300, false, s -> 14, 8);
        int decimals = loss.labels().get(0).contains(".") ? loss.labels().get(0).split("\\.")[1].length() : 0;
        for (String s : loss.labels()) {
            assertEquals(decimals, s.contains(".") ? s.split("\\.")[1].length() : 0, loss.labels().toString());
        }
        assertTrue(loss.min() <= 0.74 && loss.max() >= 3.7);
    }

    @Test
    void logAxisWritesEveryDecadeInOneStyle() {
        Ticks.Axis tiny = Ticks.log(3e-17, 1.2, 600, 15, true);
        assertEquals(1e-17, tiny.min(), 1e-30);
        for (String s : tiny.labels()) {
            assertTrue(s.startsWith("10"), s);
            assertFalse(s.contains("E") || s.contains("e") || s.contains("0.0"), s);
        }
        assertTrue(tiny.labels().contains("10\u207b\u00b9\u2076"), tiny.labels().toString()); // 10^-16
        assertTrue(tiny.labels().contains("10\u2070"), "1 is a tick: " + tiny.labels());

        Ticks.Axis moderate = Ticks.log(0.02, 7, 400, 15, true);
        assertEquals(List.of("0.01", "0.1", "1", "10"), moderate.labels());

        Ticks.Axis mixedRange = Ticks.log(1e-5, 50, 400, 15, false);
        for (String s : mixedRange.labels()) assertTrue(s.startsWith("1e"), "no 0.001 beside 1e-4: " + mixedRange.labels());
    }

    @Test
    void crowdedDecadesAreThinnedButOneStaysATick() {
        Ticks.Axis axis = Ticks.log(1e-30, 1, 200, 15, true);
        double[] v = axis.values();
        assertTrue(v.length * 15 * 1.6 <= 200 + 15 * 1.6, v.length + " labels in 200 px");
        boolean hasOne = false;
        for (double d : v) hasOne |= d == 1.0;
        assertTrue(hasOne, axis.labels().toString());
        assertTrue(axis.min() <= 1e-30 && axis.max() >= 1);
    }

    @Test
    void degenerateRangesStillGiveTwoTicks() {
        assertTrue(Ticks.linear(5, 5, 300, false, SEVEN_PX, 14).values().length >= 2);
        assertTrue(Ticks.linear(Double.NaN, Double.NaN, 300, false, SEVEN_PX, 14).values().length >= 2);
        assertTrue(Ticks.log(0, 0, 300, 15, true).values().length >= 2);
    }
}
