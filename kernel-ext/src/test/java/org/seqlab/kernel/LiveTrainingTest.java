package org.seqlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.seqlab.Model;
import org.seqlab.data.TextWindows;
import org.seqlab.train.FitOptions;
import org.seqlab.train.StepRecord;
import org.seqlab.train.TrainingHistory;

class LiveTrainingTest {

    record Shown(String id, DisplayData data, boolean first) {}

    @Test
    void oneDisplayPerFitThrottledWithAFinalUpdate() {
        List<Shown> shown = new ArrayList<>();
        long[] now = {0};
        LiveDisplay display = new LiveDisplay((id, content, first) -> shown.add(new Shown(id, (DisplayData) content, first)),
                () -> now[0], 500);
        LiveTraining live = new LiveTraining(display, () -> now[0]);
        live.onStart(100, 1);
        for (int i = 1; i <= 100; i++) {
            now[0] += 100_000_000L; // 0.1 s per step
            live.onStep(new StepRecord(i, 100, 1, 2.0 - i / 100.0, Double.NaN, Math.exp(2.0 - i / 100.0),
                    7.5, 5.0, 1e-3, 1000, i * 100L));
        }
        Model model = EngineRenderersTest.tinyModel();
        TrainingHistory h = model.fit(TextWindows.streams(EngineRenderersTest.TEXT, model.vocab(), 4, 16), FitOptions.steps(2));
        live.onEnd(h);

        assertTrue(shown.get(0).first() && shown.stream().skip(1).noneMatch(Shown::first));
        assertTrue(shown.stream().allMatch(s -> s.id().equals(display.id())));
        // 10 s of steps at one update per 0.5 s, plus the start and the end
        assertTrue(shown.size() >= 20 && shown.size() <= 23, "updates: " + shown.size());
        DisplayData mid = shown.get(10).data();
        String line = (String) mid.getData(MIMEType.TEXT_PLAIN);
        assertTrue(line.contains("/100") && line.contains("tokens/s") && line.contains("ETA")
                && line.contains("perplexity") && line.contains("7.50 \u2192 5.00"), line);
        assertTrue(mid.getData(MIMEType.TEXT_HTML).toString().contains("data:image/png;base64,"));
        String last = (String) shown.get(shown.size() - 1).data().getData(MIMEType.TEXT_PLAIN);
        assertTrue(last.startsWith("done: 2 steps"), last);
    }

    @Test
    void noDisplayOffTheCellThread() {
        assertNull(LiveTraining.factory(() -> false).get());
        assertTrue(LiveTraining.factory(() -> true).get() instanceof LiveTraining);
    }
}
