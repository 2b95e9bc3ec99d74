package org.seqlab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.seqlab.train.StepRecord;

/** What the charts put on their axes, read from the layout they draw with. */
class ChartsLayoutTest {

    static List<StepRecord> steps(int n, double clipAt) {
        List<StepRecord> out = new ArrayList<>();
        for (int s = 1; s <= n; s++) {
            double norm = s % 7 == 0 ? 40 : 2 + Math.sin(s);
            double after = clipAt > 0 ? Math.min(norm, clipAt) : norm;
            out.add(new StepRecord(s, n, 1, 4.0 / Math.sqrt(s), Double.NaN, Double.NaN, norm, after, 1e-3, 1000, 10L * s));
        }
        return out;
    }

    static BufferedImage decode(byte[] png) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    @Test
    void lossCurveTicksRoundStepsAndDrawsAtItsSize() throws Exception {
        for (int n : new int[] {30, 250, 1200}) {
            LossCurve curve = LossCurve.of(steps(n, 0), List.of());
            Plot.Layout layout = curve.plot().layout();
            double step = TicksTest.assertNiceStep(layout.x());
            assertTrue(n < 100 || step >= 10, n + " steps ticked every " + step);
            for (String label : layout.x().labels()) assertTrue(label.matches("\\d+"), label);
            BufferedImage img = decode(curve.png());
            assertEquals(720, img.getWidth());
            assertEquals(400, img.getHeight());
        }
    }

    @Test
    void logScaleLossCurveLabelsDecadesInOneStyle() {
        Plot.Layout layout = LossCurve.of(steps(100, 0), List.of()).logScale(true).plot().layout();
        for (String s : layout.y().labels()) assertTrue(s.matches("0\\.\\d+|\\d+"), "plain decimals for 0.1 .. 10: " + layout.y().labels());
    }

    @Test
    void gradientNormCurveFindsTheThresholdAndTheClippedSteps() throws Exception {
        GradientNormCurve clipped = GradientNormCurve.of(historyOf(steps(70, 5)));
        assertEquals(10, clipped.clippedSteps()); // every 7th step had norm 40
        assertEquals(5, clipped.threshold(), 1e-12);
        assertTrue(clipped.toString().contains("10 clipped to norm 5"), clipped.toString());
        assertEquals(720, decode(clipped.png()).getWidth());
        Plot.Layout layout = clipped.plot().layout();
        assertTrue(layout.y().min() < 5 && layout.y().max() > 40, "threshold and spikes inside the axis: " + layout.y().labels());
        GradientNormCurve free = GradientNormCurve.of(historyOf(steps(70, 0)));
        assertEquals(0, free.clippedSteps());
        assertTrue(Double.isNaN(free.threshold()));
        assertTrue(free.plot().layout().legendRows().isEmpty(), "one line (before = after) needs no legend");
    }

    static org.seqlab.train.TrainingHistory historyOf(List<StepRecord> steps) {
        return org.seqlab.train.TrainingHistoryFixture.of(steps);
    }

    @Test
    void lineChartWritesYearsPlainlyAndChoosesMarkers() throws Exception {
        double[] years = new double[41];
        double[] y = new double[41];
        for (int i = 0; i < years.length; i++) {
            years[i] = 1950 + i;
            y[i] = Math.sin(i);
        }
        LineChart c = LineChart.of(Map.of("a", new LineChart.Line(years, y)));
        assertTrue(c.plot().series().get(0).markers(), "41 points get markers by default");
        LineChart styled = c.plainX().markers(false);
        Plot.Layout layout = styled.plot().layout();
        for (String label : layout.x().labels()) assertTrue(label.matches("\\d{4}"), "plain whole years: " + layout.x().labels());
        assertTrue(!styled.plot().series().get(0).markers(), "markers(false) draws none");
        assertTrue(LineChart.of(Map.of("a", new LineChart.Line(new double[] {0, 1}, new double[] {1, 2}))).markers(false)
                .plot().series().get(0).markers() == false);
        assertEquals(720, decode(styled.png()).getWidth());
    }

    @Test
    void tokenAxisLabelsEveryToken() {
        List<String> tokens = new ArrayList<>();
        for (char c : "((x)(x(x))x)((x))x(x((x)))".toCharArray()) tokens.add(String.valueOf(c));
        double[] x = new double[tokens.size()], y = new double[tokens.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            y[i] = Math.sin(i);
        }
        LineChart chart = LineChart.of(Map.of("unit 3", new LineChart.Line(x, y))).xLabels(tokens);
        Plot.Layout layout = chart.plot().layout();
        assertEquals(1, layout.tokenLabelStep(), "one label per token");
        assertEquals(tokens, layout.x().labels());

        // words are turned upright and still one per token at 40 words
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 40; i++) words.add(i % 2 == 0 ? "lantern" : "the");
        double[] wx = new double[40], wy = new double[40];
        for (int i = 0; i < 40; i++) wx[i] = i;
        Plot.Layout wordLayout = LineChart.of(Map.of("h", new LineChart.Line(wx, wy))).xLabels(words).plot().layout();
        assertTrue(wordLayout.tokensTurned());
        assertEquals(1, wordLayout.tokenLabelStep());
    }

    @Test
    void heatmapLabelsEveryTokenUpToFiftyAndSaysWhenItThins() {
        StringBuilder text = new StringBuilder();
        while (text.length() < 46) text.append("the man was warm. ");  // m and w: the widest lower-case letters
        List<String> chars = new ArrayList<>();
        for (char c : text.substring(0, 46).toCharArray()) chars.add(String.valueOf(c));
        Heatmap h = Heatmap.of(new double[16][46]).columns(chars).axes("token", "unit");
        assertEquals(1, h.columnLabelStep(), "every one of 46 characters labelled");
        assertEquals(1, h.rowLabelStep(), "every one of 16 units labelled");
        assertTrue(h.width() <= Heatmap.MAX_DEFAULT_WIDTH, "fits a notebook column: " + h.width());

        List<String> long120 = new ArrayList<>();
        for (int i = 0; i < 120; i++) long120.add(chars.get(i % 46));
        Heatmap wide = Heatmap.of(new double[16][120]).columns(long120).axes("token", "unit");
        assertTrue(wide.columnLabelStep() > 1, "120 columns in 880 px cannot each have a label");
        assertTrue(wide.width() <= Heatmap.MAX_DEFAULT_WIDTH);

        String title = "lstm_1: correlation of each gate and state with the bracket depth";
        Heatmap small = Heatmap.of(new double[6][16]).title(title);
        java.awt.image.BufferedImage scratch = Drawing.canvas(1, 1);
        int titleWidth = scratch.createGraphics().getFontMetrics(Drawing.font(15, true)).stringWidth(title);
        assertTrue(small.width() >= titleWidth + 20, "a long title is not cut: " + small.width() + " for " + titleWidth);
    }

    /** Not a check: the charts written to /tmp for a human look. */
    @Test
    void writeSamplesForEyes() {
        java.nio.file.Path out = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "seqlab-viz");
        LossCurve.of(steps(250, 0), List.of()).savePng(out.resolve("loss-250.png"));
        LossCurve.of(steps(1200, 0), List.of()).logScale(true).savePng(out.resolve("loss-1200-log.png"));
        GradientNormCurve.of(historyOf(steps(70, 5))).savePng(out.resolve("gradnorm.png"));
        List<String> tokens = new ArrayList<>();
        for (char c : "((x)(x(x))x)((x))x(x((x)))".toCharArray()) tokens.add(String.valueOf(c));
        double[] x = new double[tokens.size()], y = new double[tokens.size()], z = new double[tokens.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            y[i] = Math.sin(i);
            z[i] = Math.cos(i) * 1e-6 + 1e-5;
        }
        java.util.Map<String, LineChart.Line> lines = new java.util.LinkedHashMap<>();
        lines.put("depth", new LineChart.Line(x, y));
        lines.put("unit 3 c (r = 0.97)", new LineChart.Line(x, z));
        LineChart.of(lines).xLabels(tokens).title("tokens").axes("token", "value").savePng(out.resolve("tokens.png"));
        LineChart.of(java.util.Map.of("tiny", new LineChart.Line(x, z))).logY(true).integerX(true).title("log")
                .axes("step", "norm").savePng(out.resolve("log.png"));
    }
}
