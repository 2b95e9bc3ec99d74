package org.seqlab.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqlab.Model;
import org.seqlab.Seq;
import org.seqlab.data.Vocab;
import org.seqlab.viz.Heatmap;
import tech.tablesaw.api.Table;

/** Neighbours and similarities are measured in the table itself; the map is a labelled projection of it. */
class EmbeddingMapTest {
    static final Vocab WORDS = Vocab.words("the cat sat on a mat . a dog ran to the log .");

    /** A model whose embedding rows are set by hand: cat ~ dog, mat ~ log, the rest apart. */
    static Model planted() {
        Model m = Seq.model().vocab(WORDS).embed(4).lstm(3).softmax().seed(2).build();
        INDArray e = m.params().get("embedding_1/E");
        e.assign(0);
        for (int id = 2; id < WORDS.size(); id++) e.putScalar(id, id % 4, 0.1 * id); // small, distinct directions
        row(e, "cat", 1, 1, 0, 0);
        row(e, "dog", 1, 0.9, 0, 0);
        row(e, "mat", 0, 0, 1, 1);
        row(e, "log", 0, 0, 0.9, 1);
        return m;
    }

    static void row(INDArray e, String word, double... v) {
        for (int j = 0; j < v.length; j++) e.putScalar(WORDS.id(word), j, v[j]);
    }

    @Test
    void nearestNeighboursAreTheMostSimilarRows() {
        EmbeddingMap map = planted().embeddingMap();
        assertEquals("dog", map.neighbours("cat", 1).get(0).token());
        assertEquals("log", map.neighbours("mat", 3).get(0).token());
        assertEquals(map.similarity("cat", "dog"), map.neighbours("cat", 1).get(0).similarity(), 1e-12);
        assertEquals(0.0, map.similarity("cat", "mat"), 1e-12, "orthogonal rows");
        assertTrue(map.neighbours("cat", 100).size() == map.tokens().size() - 1, "everyone but itself");
        assertTrue(!map.tokens().contains(Vocab.PAD), "the padding row is never trained, so it is left out");
        Table t = map.neighbours(List.of("cat", "mat"), 2);
        assertEquals(2, t.rowCount());
        assertTrue(t.getString(0, "nearest 1").startsWith("dog "), t.print());
        assertThrows(IllegalArgumentException.class, () -> map.neighbours("unicorn", 1));
        assertEquals("a\u2423b\u21b5", EmbeddingMap.shown("a b\n"), "blanks are visible in tables");
    }

    @Test
    void groupsAndSubsetsMapWhatWasAskedFor() {
        EmbeddingMap map = planted().embeddingMap().groups(Map.of("cat", "animal", "dog", "animal", "mat", "thing", "log", "thing"));
        Table check = map.groupCheck();
        List<String> groups = check.stringColumn("group").asList();
        assertEquals("other", groups.get(0), "largest group (8 tokens) first: " + groups);
        assertTrue(groups.containsAll(List.of("animal", "thing")) && groups.size() == 3, groups.toString());
        int animal = groups.indexOf("animal"), thing = groups.indexOf("thing");
        assertEquals("2 (100%)", check.getString(animal, "nearest neighbour in the group"), check.print());
        assertEquals("2 (100%)", check.getString(thing, "nearest neighbour in the group"));
        // a random neighbour of cat is dog with probability 1 / (tokens - 1)
        assertEquals(String.format("%.0f%%", 100.0 / (map.tokens().size() - 1)), check.getString(animal, "by chance"));
        EmbeddingMap four = map.only(List.of("cat", "dog", "mat", "log"));
        assertEquals(List.of("cat", "dog", "mat", "log"), four.tokens());
        double[] explained = four.explained();
        assertTrue(explained[0] + explained[1] > 0.99, "4 points in 2 clear directions: 2 components keep nearly all");
        assertTrue(four.chart().toString().contains("4 points"), four.chart().toString());
        Pngs.decode(four.png(), 720, 620);
        assertThrows(IllegalArgumentException.class, () -> map.only(List.of("cat", "unicorn", "dog")));
    }

    @Test
    void similarityHeatmapOfOneHotRowsIsTheIdentity() {
        Model m = Seq.model().vocab(WORDS).embed(WORDS.size()).lstm(3).softmax().seed(2).build();
        INDArray e = m.params().get("embedding_1/E");
        e.assign(0);
        for (int id = 0; id < WORDS.size(); id++) e.putScalar(id, id, 1);
        EmbeddingMap map = m.embeddingMap();
        List<String> words = List.of("cat", "dog", "mat");
        for (String a : words) for (String b : words) assertEquals(a.equals(b) ? 1 : 0, map.similarity(a, b), 1e-12);
        Heatmap h = map.similarityHeatmap(words);
        assertEquals(words, h.rowLabels());
        Pngs.decode(h.png(), h.width(), h.height());
    }
}
