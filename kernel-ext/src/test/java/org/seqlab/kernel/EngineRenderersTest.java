package org.seqlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seqlab.Model;
import org.seqlab.Seq;
import org.seqlab.data.TextWindows;
import org.seqlab.data.Vocab;
import org.seqlab.kernel.render.Renderers;
import org.seqlab.train.FitOptions;
import org.seqlab.train.StepRecord;
import org.seqlab.train.StopReason;
import org.seqlab.train.TrainingHistory;
import org.seqlab.train.TrainingListener;

class EngineRenderersTest {
    static final String TEXT = "the cat sat on the mat. the dog sat on the log. ".repeat(20);
    static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G'};
    static Renderer renderer;

    @BeforeAll
    static void registry() {
        renderer = new Renderer();
        Renderers.registerAll(renderer);
    }

    static Model tinyModel() {
        Vocab vocab = Vocab.chars(TEXT);
        return Seq.model().vocab(vocab).embed(4).lstm(8).softmax().seed(1).build();
    }

    static void assertPng(Object base64) {
        assertNotNull(base64, "no image/png");
        byte[] bytes = Base64.getDecoder().decode(base64.toString());
        for (int i = 0; i < PNG_SIGNATURE.length; i++) assertEquals(PNG_SIGNATURE[i], bytes[i]);
    }

    @Test
    void modelAndSummaryAreHtmlTables() {
        Model model = tinyModel();
        DisplayData d = renderer.render(model);
        String html = (String) d.getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("<table") && html.contains("lstm_1") && html.contains("Total parameters"), html);
        assertTrue(html.contains(String.format("%,d", model.summary().totalParams())), html);
        assertEquals(model.toString(), d.getData(MIMEType.TEXT_PLAIN));
        DisplayData s = renderer.render(model.summary());
        assertEquals(html, s.getData(MIMEType.TEXT_HTML));
        assertEquals(model.summary().toString(), s.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void aModelWithoutItsInputShowsItsText() {
        Model deferred = Seq.model().lstm(8).softmax(3).build();
        DisplayData d = renderer.render(deferred);
        assertFalse(d.hasDataForType(MIMEType.TEXT_HTML));
        assertEquals(deferred.toString(), d.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void historyIsALossCurveAndFinalMetrics() {
        Model model = tinyModel();
        TrainingHistory h = model.fit(TextWindows.streams(TEXT, model.vocab(), 4, 16), FitOptions.steps(5).adam(1e-2));
        DisplayData d = renderer.render(h);
        assertPng(d.getData(MIMEType.IMAGE_PNG));
        String html = (String) d.getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("data:image/png;base64,"), html);
        assertTrue(html.contains("perplexity (last step)") && html.contains("completed") && html.contains("tokens/s"), html);
        assertEquals(h.toString(), d.getData(MIMEType.TEXT_PLAIN));
        assertTrue(renderer.render(model.evaluate(TextWindows.streams(TEXT, model.vocab(), 4, 16)))
                .getData(MIMEType.TEXT_HTML).toString().contains("perplexity"));
    }

    @Test
    void anInterruptedFitSaysSoWhereItStopped() {
        Model model = tinyModel();
        TrainingListener stopAtThree = new TrainingListener() {
            @Override public void onStep(StepRecord s) {
                if (s.step() == 3) Thread.currentThread().interrupt();
            }
        };
        TrainingHistory h;
        try {
            h = model.fit(TextWindows.streams(TEXT, model.vocab(), 4, 16), FitOptions.steps(50).listener(stopAtThree));
        } finally {
            Thread.interrupted();
        }
        assertEquals(StopReason.INTERRUPTED, h.stopReason());
        assertEquals(3, h.steps().size());
        assertTrue(renderer.render(h).getData(MIMEType.TEXT_HTML).toString().contains("interrupted"));
    }

    @Test
    void aDivergedFitSaysAtWhichStepAndWhichWeightsItKept() {
        Model model = tinyModel();
        org.seqlab.train.TrainingDivergedException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.seqlab.train.TrainingDivergedException.class,
                () -> model.fit(TextWindows.streams(TEXT, model.vocab(), 4, 16), FitOptions.steps(60).sgd(1e10)));
        String html = renderer.render(e.history()).getData(MIMEType.TEXT_HTML).toString();
        assertTrue(html.contains("diverged at step " + e.step()) && html.contains("back at its"), html);
    }

    public static final class Picture {
        public byte[] png() {
            return org.seqlab.viz.LossCurve.of(java.util.List.of(), java.util.List.of()).size(60, 40).png();
        }
    }

    public static final class Snippet {
        public String html() {
            return "<b>hi</b>";
        }
        @Override public String toString() {
            return "Snippet";
        }
    }

    @Test
    void objectsWithPngOrHtmlMethodsRenderThemselves() {
        DisplayData p = renderer.render(new Picture());
        assertPng(p.getData(MIMEType.IMAGE_PNG));
        DisplayData h = renderer.render(new Snippet());
        assertEquals("<b>hi</b>", h.getData(MIMEType.TEXT_HTML));
        assertEquals("Snippet", h.getData(MIMEType.TEXT_PLAIN));
        // everything else keeps its text, and more specific renderers still win
        DisplayData s = renderer.render("seqlab");
        assertEquals("seqlab", s.getData(MIMEType.TEXT_PLAIN));
        assertFalse(s.hasDataForType(MIMEType.TEXT_HTML) || s.hasDataForType(MIMEType.IMAGE_PNG));
        assertFalse(renderer.render(java.util.List.of(1)).hasDataForType(MIMEType.IMAGE_PNG));
    }

    @Test
    void audioIsAPlayerWithTheWavInlinedAndAudioWavAndText() {
        short[] samples = new short[2205];
        for (int i = 0; i < samples.length; i++) samples[i] = (short) (4000 * Math.sin(i * 0.1));
        org.seqlab.music.Audio audio = org.seqlab.music.Audio.of(samples, 22050).label("a <tone>");
        DisplayData d = renderer.render(audio);
        String wav = (String) d.getData(org.seqlab.kernel.render.AudioRenderer.AUDIO_WAV);
        assertNotNull(wav, "no audio/wav");
        byte[] bytes = Base64.getDecoder().decode(wav);
        assertEquals("RIFF", new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(44 + 2 * samples.length, bytes.length);
        String html = (String) d.getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("<audio controls") && html.contains("src=\"data:audio/wav;base64," + wav + "\""), html);
        assertTrue(html.contains("a &lt;tone&gt;: 0.1 s"), html);
        assertEquals(audio.toString(), d.getData(MIMEType.TEXT_PLAIN));
    }
}
