package org.seqlab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqlab.Model;
import org.seqlab.Seq;
import org.seqlab.data.Batch;
import org.seqlab.data.LabelledSequences;
import org.seqlab.data.TargetKind;
import org.seqlab.data.TimeSeriesWindows;
import org.seqlab.viz.BarChart;
import org.seqlab.viz.HtmlTable;

class EvalTest {

    @Test
    void confusionMatrixCountsAndShadesByRow() {
        ConfusionMatrix m = ConfusionMatrix.of(List.of("neg", "pos"), new int[] {0, 0, 0, 1, 1}, new int[] {0, 1, 0, 1, 1})
                .title("toy");
        assertEquals(2, m.count(0, 0));
        assertEquals(1, m.count(0, 1));
        assertEquals(0, m.count(1, 0));
        assertEquals(2, m.count(1, 1));
        assertEquals(0.8, m.accuracy(), 1e-12);
        String html = m.html();
        assertTrue(html.contains("toy") && html.contains("66.7%") && html.contains("100.0%") && html.contains("background:#"), html);
        assertTrue(m.toString().contains("accuracy 80.0%"), m.toString());
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(List.of("a", "b"), new int[] {2}, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(List.of("a", "b"), new int[] {1}, new int[] {}));
    }

    /** Predictions follow the dataset's order and agree with predict() on each padded batch. */
    @Test
    void predictionsAreInDatasetOrderAndMatchPredict() {
        int[][] seqs = new int[70][];
        int[] labels = new int[70];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = new int[1 + i % 5];
            for (int t = 0; t < seqs[i].length; t++) seqs[i][t] = 1 + (i + t) % 3;
            labels[i] = i % 2;
        }
        LabelledSequences data = LabelledSequences.classes(seqs, labels, 4, 2);
        Model m = Seq.model().vocab(4).embed(3).lstm(4).last().softmax(2).seed(2).build();
        int[] said = Predictions.classes(m, data);
        assertArrayEquals(labels, Predictions.labels(data));
        List<Batch> batches = data.batches(64, null);
        INDArray p = m.predict(batches.get(1).inputs(), batches.get(1).mask());
        for (int i = 0; i < 6; i++) {
            int expected = p.getDouble(i, 1) > p.getDouble(i, 0) ? 1 : 0;
            assertEquals(expected, said[64 + i], "example " + (64 + i));
        }
        assertThrows(IllegalArgumentException.class, () -> Predictions.values(m, data));
    }

    @Test
    void valuePredictionsAndTargetsLineUp() {
        double[] series = new double[40];
        for (int t = 0; t < series.length; t++) series[t] = Math.sin(t * 0.3);
        TimeSeriesWindows w = TimeSeriesWindows.of(series, 5, 1, TargetKind.VALUES_PER_SEQUENCE, false);
        double[][] targets = Predictions.targets(w);
        assertEquals(w.size(), targets.length);
        for (int i = 0; i < targets.length; i++) assertEquals(series[i + 5], targets[i][0], 1e-6);
        Model m = Seq.model().features(1).lstm(3).last().linear(1).seed(1).build();
        double[][] said = Predictions.values(m, w);
        assertEquals(w.size(), said.length);
        assertEquals(1, said[0].length);
    }

    @Test
    void htmlTableEscapesAlignsAndChecksWidths() {
        HtmlTable t = HtmlTable.of("name", "value").row("<b>", "1.5").row("x", "12%").title("T").caption("c");
        String html = t.html();
        assertTrue(html.contains("&lt;b&gt;") && !html.contains("<b>"), html);
        assertTrue(html.contains("text-align:right\">1.5"), html);
        assertEquals("T\nname  value\n----  -----\n<b>     1.5\nx       12%\nc", t.toString());
        assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
    }

    @Test
    void barChartIsAPng() throws Exception {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("a", new double[] {0.5, 1});
        series.put("b", new double[] {1, 0.25});
        BarChart c = BarChart.of(List.of("x", "y"), series).title("t").axes("kind", "accuracy").yMax(1.1);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(c.png()));
        assertEquals(720, img.getWidth());
        assertEquals(380, img.getHeight());
        assertThrows(IllegalArgumentException.class, () -> BarChart.of(List.of("x"), series));
    }

    /** A noiseless AR(2) series is recovered exactly; a noisy one closely; forecasts use the true past. */
    @Test
    void linearAutoregressionRecoversTheCoefficientsOfAnAr2Process() {
        double[] x = new double[400];
        x[0] = 1;
        x[1] = 0.5;
        java.util.Random random = new java.util.Random(3);
        for (int t = 2; t < x.length; t++) x[t] = 2.0 + 0.6 * x[t - 1] - 0.3 * x[t - 2] + 0.1 * random.nextGaussian();
        LinearAutoregression ar = LinearAutoregression.fit(x, 2);
        assertEquals(2.0, ar.intercept(), 0.1);
        assertEquals(0.6, ar.weights()[0], 0.05);
        assertEquals(-0.3, ar.weights()[1], 0.05);
        double[] f = ar.oneStepAhead(x, 300);
        assertEquals(100, f.length);
        assertEquals(ar.intercept() + ar.weights()[0] * x[349] + ar.weights()[1] * x[348], f[50], 1e-12);
        assertEquals(f[50], ar.predictNext(java.util.Arrays.copyOf(x, 350)), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> LinearAutoregression.fit(new double[] {1, 2, 3}, 2));
        assertThrows(IllegalArgumentException.class, () -> ar.oneStepAhead(x, 1));
    }

    @Test
    void forecastErrorsAreMaeRmseAndTheRatioToTheFirstForecast() {
        double[] actual = {1, 2, 3, 4};
        ForecastErrors e = ForecastErrors.of(actual).add("naive", new double[] {0, 1, 2, 3})
                .add("good", new double[] {1, 2, 3, 6}).units("things");
        assertEquals(1.0, e.meanAbsoluteError("naive"), 1e-12);
        assertEquals(0.5, e.meanAbsoluteError("good"), 1e-12);
        assertEquals(1.0, e.rootMeanSquaredError("good"), 1e-12);
        String text = e.toString();
        assertTrue(text.contains("mean absolute error (things)") && text.contains("0.50"), text);
        assertTrue(e.html().contains("MAE / MAE of naive"), e.html());
        assertThrows(IllegalArgumentException.class, () -> e.add("short", new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> e.meanAbsoluteError("missing"));
    }
}
