package org.seqlab.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.seqlab.Model;
import org.seqlab.Seq;
import org.seqlab.viz.Heatmap;
import org.seqlab.viz.HeatmapGrid;

class AttentionMapsTest {
    static final String TEXT = "a big cat. hop on lamp";

    static Model causal() {
        return Seq.model().vocab(GateTraceTest.VOCAB).embed(8).lstm(8).attention(2).attention(4).softmax().seed(9).build();
    }

    @Test
    void causalRowsSumToOneAndAreLowerTriangular() {
        AttentionMaps maps = causal().attention(TEXT);
        assertEquals(2, maps.layers().size());
        for (String layer : maps.layers()) {
            assertTrue(maps.causal(layer));
            for (int h = 0; h < maps.heads(layer); h++) {
                double[][] w = maps.weights(layer, h);
                assertEquals(TEXT.length(), w.length);
                for (int q = 0; q < w.length; q++) {
                    double sum = 0;
                    for (int k = 0; k < w.length; k++) {
                        sum += w[q][k];
                        if (k > q) assertEquals(0.0, w[q][k], 0.0, "no weight on the future: " + layer + " head " + h);
                        else assertTrue(w[q][k] > 0);
                    }
                    assertEquals(1.0, sum, 1e-5, layer + " head " + h + " row " + q);
                }
            }
        }
        assertEquals(4, maps.heads("attention_2"));
    }

    @Test
    void fullAttentionRowsSumToOneAndSeeTheFuture() {
        Model m = Seq.model().vocab(GateTraceTest.VOCAB).embed(8).attention(2, false).last().softmax(3).seed(2).build();
        AttentionMaps maps = m.attention(TEXT);
        double[][] w = maps.weights("attention_1", 1);
        assertTrue(w[0][w.length - 1] > 0, "the first token attends to the last");
        for (double[] row : w) assertEquals(1.0, java.util.Arrays.stream(row).sum(), 1e-5);
    }

    @Test
    void heatmapsAndGridDecodeAtTheirSize() {
        AttentionMaps maps = causal().attention(TEXT);
        Heatmap h = maps.heatmap("attention_1", 0);
        Pngs.decode(h.png(), h.width(), h.height());
        HeatmapGrid g = maps.grid();
        Pngs.decode(g.png(), g.width(), g.height());
        assertTrue(maps.toString().contains("attention_2 4 heads causal"), maps.toString());
        Path out = Path.of(System.getProperty("java.io.tmpdir"), "seqlab-inspect");
        h.savePng(out.resolve("attention-head.png"));
        g.savePng(out.resolve("attention-grid.png"));
    }
}
