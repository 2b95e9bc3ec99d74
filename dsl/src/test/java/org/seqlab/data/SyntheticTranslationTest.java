package org.seqlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.seqlab.data.synthetic.SyntheticTranslation;

class SyntheticTranslationTest {

    static ParallelText small(int n) {
        return SyntheticTranslation.dataset(n, 1);
    }

    @Test
    void wordOrderArticlesAndAgreement() {
        assertEquals("vasu le olmi le apud miro ko vide", SyntheticTranslation.translate("the dog sees a cat near the tree"));
        // plural subject: verb -en; adjectives agree with class and number; "some" -> kai
        assertEquals("kaldon maron velon lei pomi rapa ko porten",
                SyntheticTranslation.translate("the big old horses carry a quick apple"));
        assertEquals("nima pika le dorme e tepin kai kanten",
                SyntheticTranslation.translate("the small child sleeps and some birds sing"));
        assertThrows(IllegalArgumentException.class, () -> SyntheticTranslation.translate("the dogs sees a cat"));
    }

    @Test
    void sameSeedSamePairsAndAllDistinct() {
        List<ParallelText.Pair> a = SyntheticTranslation.pairs(500, 9), b = SyntheticTranslation.pairs(500, 9);
        assertEquals(a, b);
        assertDistinct(a);
        assertTrue(!a.equals(SyntheticTranslation.pairs(500, 10)));
        int shortest = Integer.MAX_VALUE, longest = 0;
        for (ParallelText.Pair p : a) {
            int n = p.source().split(" ").length;
            shortest = Math.min(shortest, n);
            longest = Math.max(longest, n);
            assertEquals(SyntheticTranslation.translate(p.source()), p.target());
        }
        assertTrue(shortest <= 4 && longest >= 20, shortest + ".." + longest);
    }

    private static void assertDistinct(List<ParallelText.Pair> pairs) {
        assertEquals(pairs.size(), new HashSet<>(pairs.stream().map(ParallelText.Pair::source).toList()).size());
    }

    @Test
    void vocabulariesAreSmall() {
        ParallelText data = small(2000);
        assertTrue(data.sourceVocab().size() < 80, data.toString());
        assertTrue(data.targetVocab().size() < 120, data.toString());
    }
}
