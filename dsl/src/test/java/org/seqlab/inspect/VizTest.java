package org.seqlab.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqlab.viz.ColorScale;
import org.seqlab.viz.ColoredText;
import org.seqlab.viz.Heatmap;
import org.seqlab.viz.HeatmapGrid;
import org.seqlab.viz.LabelledScatter;
import org.seqlab.viz.LineChart;
import org.seqlab.viz.SaturationChart;

/** The pictures on synthetic arrays: sizes, decodability, colours, HTML. No model involved. */
class VizTest {

    static double[][] ramp(int rows, int cols) {
        double[][] v = new double[rows][cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) v[r][c] = Math.sin(0.3 * r + 0.2 * c);
        return v;
    }

    static List<String> chars(String s) {
        List<String> out = new ArrayList<>();
        for (char c : s.toCharArray()) out.add(String.valueOf(c));
        return out;
    }

    @Test
    void heatmapHasRequestedAndDefaultSize() {
        Heatmap h = Heatmap.of(ramp(16, 12)).columns(chars("hello world!")).title("t").axes("time", "unit");
        Pngs.decode(h.png(), h.width(), h.height());
        Pngs.decode(h.size(640, 480).png(), 640, 480);
    }

    @Test
    void longSequencesAndManyUnitsStillRender() {
        String text = "the quick brown fox jumps over the lazy dog. ".repeat(8);
        Heatmap h = Heatmap.of(ramp(256, text.length())).columns(chars(text)).title("long").axes("time", "unit");
        BufferedImage img = Pngs.decode(h.png(), h.width(), h.height());
        assertTrue(img.getWidth() <= 1300 && img.getHeight() <= 700, "default size stays bounded");
    }

    @Test
    void colourScalesMapEndsAndZero() {
        ColorScale d = ColorScale.diverging(1);
        assertEquals(0xF7F7F7, d.rgb(0.0), "zero is white on a diverging scale");
        assertEquals(d.rgb(1.0), d.rgb(5.0), "values clamp to the ends");
        ColorScale s = ColorScale.sequential(0, 1);
        assertEquals(0x440154, s.rgb(0.0));
        assertEquals(0xFDE725, s.rgb(1.0));
        assertTrue(ColorScale.fit(new double[][] {{-0.3, 0.8}}).isDiverging());
        assertFalse(ColorScale.fit(new double[][] {{0.3, 0.8}}).isDiverging());
        assertThrows(IllegalArgumentException.class, () -> ColorScale.sequential(1, 1));
    }

    @Test
    void coloredTextIsEscapedHtmlWithOneSpanPerToken() {
        List<String> tokens = chars("a<b & c\nd");
        double[] v = new double[tokens.size()];
        for (int i = 0; i < v.length; i++) v[i] = i / (double) v.length * 2 - 1;
        ColoredText t = new ColoredText(tokens, v, ColorScale.diverging(1), "unit 3 <h>", false);
        String html = t.html();
        assertTrue(html.contains("&lt;</span>"), "< escaped");
        assertTrue(html.contains("&amp;"));
        assertTrue(html.contains("unit 3 &lt;h&gt;"));
        assertFalse(html.contains("<script"));
        assertEquals(tokens.size(), html.split("<span title=", -1).length - 1);
        Pngs.decode(t.png(), t.width(), t.height());
        assertTrue(t.toString().contains("a<b & c"));
    }

    @Test
    void gridSaturationLinesAndScatterDecode() {
        HeatmapGrid g = HeatmapGrid.of(List.of(List.of(ramp(8, 8), ramp(8, 8)), List.of(ramp(8, 8), ramp(8, 8))))
                .labels(chars("abcdefgh"), chars("abcdefgh")).title("grid").axes("key", "query");
        Pngs.decode(g.png(), g.width(), g.height());

        SaturationChart s = SaturationChart.of(Map.of("forget gate f",
                new SaturationChart.Fractions(new double[] {0, 0.5, 1}, new double[] {1, 0.2, 0})));
        Pngs.decode(s.png(), 620, 560);

        LineChart l = LineChart.of(Map.of("tanh RNN", new LineChart.Line(new double[] {0, 1, 2}, new double[] {1, 1e-3, 0})))
                .logY(true).size(500, 300);
        Pngs.decode(l.png(), 500, 300);

        LabelledScatter p = LabelledScatter.of(new double[] {0, 1, 2}, new double[] {2, 0, 1}, List.of("a", " ", "\n")).size(400, 380);
        Pngs.decode(p.png(), 400, 380);
    }

    @Test
    void savePngWritesTheFile(@TempDir Path dir) throws Exception {
        Path f = Heatmap.of(ramp(4, 4)).savePng(dir.resolve("sub/h.png"));
        assertTrue(Files.size(f) > 100);
    }

    /** Not a check: writes the synthetic pictures to /tmp for a human look. */
    @Test
    void writeSamplesForEyes() {
        Path out = Path.of(System.getProperty("java.io.tmpdir"), "seqlab-inspect");
        String text = "the quick brown fox jumps over the lazy dog. ".repeat(3);
        Heatmap.of(ramp(32, text.length())).columns(chars(text)).title("lstm_1 (LSTM): forget gate f")
                .axes("input token (time \u2192)", "unit").scale(ColorScale.sequential(0, 1)).scaleLabel("forget gate f")
                .savePng(out.resolve("synthetic-heatmap.png"));
    }
}
