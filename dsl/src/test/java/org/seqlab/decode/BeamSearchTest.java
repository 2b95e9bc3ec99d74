package org.seqlab.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqlab.decode.TableDecoder.A;
import static org.seqlab.decode.TableDecoder.B;
import static org.seqlab.decode.TableDecoder.BOS;
import static org.seqlab.decode.TableDecoder.C;
import static org.seqlab.decode.TableDecoder.EOS;
import static org.seqlab.decode.TableDecoder.p;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BeamSearchTest {

    /**
     * Greedy takes "a" (0.5) first, but "b" then the end (0.4 * 0.9 = 0.36) is far more likely than
     * anything after "a" (at most 0.5 * 0.35 = 0.175). Greedy ends with "a a" (0.5 * 0.35 * 0.6 = 0.105).
     */
    private static TableDecoder gardenPath() {
        return new TableDecoder(Map.of(
                List.of(), p(0.1, 0.5, 0.4, 0.0),
                List.of(A), p(0.1, 0.35, 0.3, 0.25),
                List.of(B), p(0.9, 0.05, 0.05, 0.0)),
                p(0.6, 0.2, 0.1, 0.1));
    }

    @Test
    void beamFindsWhatGreedyMisses() {
        List<Hypothesis> beam = BeamSearch.width(2).search(gardenPath(), BOS, EOS);
        assertEquals(2, beam.size());
        assertArrayEquals(new int[] {B}, beam.get(0).tokens());
        assertEquals(Math.log(0.36), beam.get(0).logProb(), 1e-12);
        assertTrue(beam.get(0).ended());
        assertEquals(Math.log(0.36) / 2, beam.get(0).score(1.0), 1e-12, "normalised by 2 tokens (b and the end)");
        assertArrayEquals(new int[] {A, A}, beam.get(1).tokens());
        assertEquals(Math.log(0.5 * 0.35 * 0.6), beam.get(1).logProb(), 1e-12);

        Hypothesis greedy = Greedy.decode(gardenPath(), 1, BOS, EOS, 10).get(0);
        assertArrayEquals(new int[] {A, A}, greedy.tokens());
        assertEquals(Math.log(0.105), greedy.logProb(), 1e-12);
        assertTrue(beam.get(0).score(1.0) > greedy.score(1.0));
    }

    @Test
    void widthOneIsGreedy() {
        List<Hypothesis> one = BeamSearch.width(1).search(gardenPath(), BOS, EOS);
        assertEquals(List.of(Greedy.decode(gardenPath(), 1, BOS, EOS, 10).get(0)), one);
    }

    /** The empty output (end at once, 0.37) against "a b" (0.6 * 0.9 * 0.5 = 0.27 over 3 tokens). */
    @Test
    void lengthNormalisationDecidesBetweenShortAndLong() {
        Map<List<Integer>, double[]> table = Map.of(
                List.of(), p(0.37, 0.6, 0.03, 0.0),
                List.of(A), p(0.0, 0.06, 0.9, 0.04),
                List.of(A, B), p(0.5, 0.2, 0.2, 0.1));
        double[] fallback = p(0.4, 0.2, 0.2, 0.2);
        List<Hypothesis> plain = BeamSearch.width(2).lengthPenalty(0).search(new TableDecoder(table, fallback), BOS, EOS);
        assertArrayEquals(new int[0], plain.get(0).tokens(), "alpha 0 prefers the short, more likely output");
        assertEquals(Math.log(0.37), plain.get(0).score(0), 1e-12);
        List<Hypothesis> perToken = BeamSearch.width(2).lengthPenalty(1).search(new TableDecoder(table, fallback), BOS, EOS);
        assertArrayEquals(new int[] {A, B}, perToken.get(0).tokens(), "alpha 1 prefers the better mean per token");
        assertEquals(Math.log(0.27) / 3, perToken.get(0).score(1), 1e-12);
        assertEquals(Math.log(0.37), perToken.get(1).score(1), 1e-12);
    }

    @Test
    void stopsAtTheMaximumLengthAndMarksHypothesesNotEnded() {
        TableDecoder never = new TableDecoder(Map.of(), p(0.01, 0.5, 0.29, 0.2));
        List<Hypothesis> out = BeamSearch.width(3).maxLength(4).search(never, BOS, EOS);
        assertEquals(3, out.size());
        for (Hypothesis h : out) {
            assertFalse(h.ended());
            assertEquals(4, h.tokens().length);
        }
        assertArrayEquals(new int[] {A, A, A, A}, out.get(0).tokens());
        assertEquals(4 * Math.log(0.5), out.get(0).logProb(), 1e-12);
        assertEquals(4, never.steps, "one decoder call per output token");
        assertEquals(3, never.maxRows, "never more rows than the beam width");
    }

    @Test
    void returnsTheKBestSortedAndStopsWhenKHaveEnded() {
        TableDecoder d = new TableDecoder(Map.of(List.of(), p(0.1, 0.4, 0.3, 0.2)), p(0.7, 0.1, 0.1, 0.1));
        List<Hypothesis> out = BeamSearch.width(3).search(d, BOS, EOS);
        assertEquals(3, out.size());
        assertArrayEquals(new int[] {A}, out.get(0).tokens());
        assertArrayEquals(new int[] {B}, out.get(1).tokens());
        assertArrayEquals(new int[] {C}, out.get(2).tokens());
        assertEquals(Math.log(0.4 * 0.7), out.get(0).logProb(), 1e-12);
        for (int i = 1; i < out.size(); i++) assertTrue(out.get(i - 1).score(1) >= out.get(i).score(1));
        assertEquals(2, d.steps, "all three ended at the second step");
    }

    @Test
    void greedyDecodesRowsIndependentlyAndDropsFinishedOnes() {
        // every row sees the same table, so each row decodes "a a" and ends at the third step
        TableDecoder d = gardenPath();
        List<Hypothesis> out = Greedy.decode(d, 3, BOS, EOS, 10);
        assertEquals(3, out.size());
        for (Hypothesis h : out) assertArrayEquals(new int[] {A, A}, h.tokens());
        assertEquals(3, d.steps);
    }

    @Test
    void widthZeroIsRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BeamSearch.width(0));
        assertTrue(e.getMessage().contains("beam width is 0") && e.getMessage().contains("use 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BeamSearch.width(2).maxLength(0));
        assertThrows(IllegalArgumentException.class, () -> BeamSearch.width(2).lengthPenalty(-1));
    }
}
