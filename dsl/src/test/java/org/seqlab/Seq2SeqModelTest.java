package org.seqlab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqlab.data.ParallelText;
import org.seqlab.data.Vocab;
import org.seqlab.data.synthetic.SyntheticTranslation;
import org.seqlab.decode.BeamSearch;
import org.seqlab.decode.Translation;
import org.seqlab.inspect.Alignment;
import org.seqlab.model.ModelSpecException;
import org.seqlab.train.FitOptions;
import org.seqlab.train.TrainingHistory;

/** The encoder-decoder as a user meets it: the DSL, its refusals, fitting, decoding, alignments, saving. */
class Seq2SeqModelTest {
    static final ParallelText DATA = SyntheticTranslation.dataset(64, 3);

    static Seq2SeqBuilder rnn() {
        return Seq.seq2seq(DATA.sourceVocab(), DATA.targetVocab())
                .encoder(e -> e.embed(8).bidirectional(Seq.gru(8)))
                .decoder(d -> d.embed(8).gru(8).attention(Attention.additive()))
                .seed(3);
    }

    @Test
    void theDslNamesLayersBySideAndSummarises() {
        Seq2SeqModel m = rnn().build();
        assertEquals(List.of("encoder/embedding_1", "encoder/bidirectional_1", "bridge", "decoder/embedding_1", "decoder/gru_1",
                "decoder/cross_attention_1", "output"), m.summary().rows().stream().map(r -> r.name()).toList());
        assertTrue(m.params().containsKey("decoder/cross_attention_1/W_k"));
        assertEquals("EncoderBridge(last+and+first, tanh)", m.graph().bridge().kind());
        assertTrue(m.toString().contains("Total parameters"));
    }

    static Seq2SeqBuilder transformer() {
        return Seq.seq2seq(DATA.sourceVocab(), DATA.targetVocab())
                .encoder(e -> e.embed(8).positional().transformer(1, 2, 16))
                .decoder(d -> d.embed(8).positional().transformer(1, 2, 16))
                .seed(3);
    }

    @Test
    void aTransformerEncoderDecoderTrainsDecodesAndSaves(@TempDir Path dir) throws IOException {
        Seq2SeqModel m = transformer().build();
        assertEquals(List.of("encoder/embedding_1", "encoder/positional_1", "encoder/transformer_1", "decoder/embedding_1",
                "decoder/positional_1", "decoder/transformer_decoder_1", "output"), m.summary().rows().stream().map(r -> r.name()).toList());
        TrainingHistory h = m.fit(DATA, FitOptions.steps(10).batchSize(16).adam(1e-2).clipNorm(5));
        assertTrue(h.last().loss() < h.steps().get(0).loss());
        String source = DATA.pair(1).source();
        int maxLength = 2 * (source.split(" ").length + 1) + 10;
        assertEquals(m.translate(source), m.translate(source, BeamSearch.width(1).maxLength(maxLength)).get(0).text());
        assertTrue(m.translate(source, BeamSearch.width(4).maxLength(20)).size() >= 1);
        Alignment a = m.alignment(source);
        assertEquals(a.targetTokens().size(), a.weights().length);
        Path file = dir.resolve("transformer.seqlab");
        m.save(file);
        assertEquals(m.translate(source), Seq2SeqModel.load(file).translate(source));
    }

    @Test
    void fitReportsLossAndTokenAccuracyPerStepAndLowersTheLoss() {
        Seq2SeqModel m = rnn().build();
        TrainingHistory h = m.fit(DATA, FitOptions.steps(12).batchSize(16).adam(1e-2).clipNorm(5));
        assertEquals(12, h.steps().size());
        assertTrue(h.last().accuracy() > 0 && h.last().accuracy() <= 1);
        assertTrue(h.last().loss() < h.steps().get(0).loss(), h.steps().get(0).loss() + " -> " + h.last().loss());
        assertTrue(Double.isFinite(h.last().perplexity()));
        Model.Evaluation e = m.evaluate(DATA);
        assertEquals(Math.exp(e.loss()), e.perplexity(), 1e-9);
    }

    @Test
    void truncatedBpttAlongTheTargetAndScheduledSamplingTrain() {
        Seq2SeqModel m = rnn().build();
        TrainingHistory h = m.fit(DATA, FitOptions.epochs(1).batchSize(16).adam(1e-2).tbptt(5));
        assertTrue(h.steps().size() > 4, "more than one update per batch of 4: " + h.steps().size());
        TrainingHistory s = rnn().build().fit(DATA, FitOptions.steps(4).batchSize(16).teacherForcing(0.5));
        assertEquals(4, s.steps().size());
    }

    @Test
    void greedyAndBeamDecodingAndTheirScores() {
        Seq2SeqModel m = rnn().build();
        m.fit(DATA, FitOptions.steps(10).batchSize(16).adam(1e-2));
        String source = DATA.pair(0).source();
        String greedy = m.translate(source);
        List<Translation> beam = m.translate(source, BeamSearch.width(3).maxLength(12));
        assertTrue(beam.size() >= 1 && beam.size() <= 3);
        for (int i = 1; i < beam.size(); i++) assertTrue(beam.get(i - 1).score() >= beam.get(i).score());
        Translation best = beam.get(0);
        if (best.ended()) {
            assertEquals(m.logProb(source, best.text()), best.logProb(), 1e-4, "the beam's log-probability is the model's");
        }
        int maxLength = 2 * (source.split(" ").length + 1) + 10; // the greedy default for this source
        assertEquals(greedy, m.translate(source, BeamSearch.width(1).maxLength(maxLength)).get(0).text(), "width 1 is greedy");
        var t = m.translate(DATA.select(new int[] {0, 1, 2, 3}));
        assertEquals(4, t.size());
        assertTrue(t.exactMatch() >= 0 && t.bleu().score() >= 0);
        assertTrue(t.html().contains("<table>") && t.html().contains(DATA.pair(0).source()), t.html());
    }

    @Test
    void alignmentHasATokenLabelPerRowAndColumn() throws IOException {
        Seq2SeqModel m = rnn().build();
        Alignment a = m.alignment("the dog sees a cat", "vasu le miro ko vide");
        assertEquals(List.of("the", "dog", "sees", "a", "cat", Vocab.EOS), a.sourceTokens());
        assertEquals(List.of("vasu", "le", "miro", "ko", "vide", Vocab.EOS), a.targetTokens());
        for (double[] row : a.weights()) {
            double sum = 0;
            for (double w : row) sum += w;
            assertEquals(1, sum, 1e-5);
        }
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(a.png()));
        assertTrue(img.getWidth() <= 1000 && img.getWidth() >= 300, "width " + img.getWidth());
        Alignment g = m.alignment("the dog sees a cat");
        assertEquals(g.targetTokens().size(), g.weights().length);
    }

    @Test
    void saveAndLoadGiveTheSameModel(@TempDir Path dir) throws IOException {
        Seq2SeqModel m = rnn().build();
        m.fit(DATA, FitOptions.steps(3).batchSize(16));
        Path file = dir.resolve("translator.seqlab");
        m.save(file);
        Seq2SeqModel back = Seq2SeqModel.load(file);
        assertEquals(m.params().keySet(), back.params().keySet());
        for (String p : m.params().keySet()) assertEquals(m.params().get(p), back.params().get(p), p);
        assertEquals(m.sourceVocab(), back.sourceVocab());
        assertEquals(m.targetVocab(), back.targetVocab());
        assertEquals(m.translate("the dog sees a cat"), back.translate("the dog sees a cat"));
        IOException e = assertThrows(IOException.class, () -> Model.load(file));
        assertTrue(e.getMessage().contains("Seq2SeqModel.load"), e.getMessage());
        Path lm = dir.resolve("lm.seqlab");
        Seq.model().vocab(5).embed(2).gru(2).softmax().build().save(lm);
        e = assertThrows(IOException.class, () -> Seq2SeqModel.load(lm));
        assertTrue(e.getMessage().contains("Model.load"), e.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file is left behind");
        }
        byte[] all = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.seqlab");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length * 2 / 3));
        e = assertThrows(IOException.class, () -> Seq2SeqModel.load(cut));
        assertTrue(e.getMessage().contains("truncated or damaged"), e.getMessage());
    }

    // ---------------------------------------------------------------- refusals, before native code runs

    @Test
    void aTargetVocabularyMismatchIsRefusedWithTheFix() {
        Seq2SeqModel m = rnn().build();
        ParallelText other = SyntheticTranslation.dataset(30, 99); // its own vocabularies
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.fit(other, FitOptions.steps(1)));
        assertTrue(e.getMessage().contains("vocabulary") && e.getMessage().contains("ParallelText.of(pairs, model.sourceVocab(), model.targetVocab())"),
                e.getMessage());
        ParallelText reencoded = ParallelText.of(other.pairs(), m.sourceVocab(), m.targetVocab());
        assertEquals(1, m.fit(reencoded, FitOptions.steps(1)).steps().size(), "the named fix works");
    }

    @Test
    void decoderMistakesNameTheSideTheLayerAndTheFix() {
        Vocab sv = DATA.sourceVocab(), tv = DATA.targetVocab();
        ModelSpecException e = assertThrows(ModelSpecException.class, () -> Seq.seq2seq(sv, tv).encoder(x -> x.embed(4).gru(4))
                .decoder(d -> d.embed(4).layer(new org.seqlab.model.BidirectionalSpec(Seq.gru(4)))).spec());
        assertTrue(e.getMessage().startsWith("decoder: layer 2") && e.getMessage().contains("reads the future"), e.getMessage());
        e = assertThrows(ModelSpecException.class, () -> Seq.seq2seq(sv, tv).encoder(x -> x.embed(4).gru(4))
                .decoder(d -> d.embed(4).gru(6).attention(Attention.dot())).spec());
        assertTrue(e.getMessage().contains("Attention.general()"), e.getMessage());
        e = assertThrows(ModelSpecException.class, () -> Seq.seq2seq(sv, tv).encoder(x -> x.embed(4).gru(4))
                .decoder(d -> d.embed(4).dense(4)).spec());
        assertTrue(e.getMessage().contains("never sees the source"), e.getMessage());
        e = assertThrows(ModelSpecException.class, () -> Seq.seq2seq(sv, tv).encoder(x -> x.embed(6).attention(4))
                .decoder(d -> d.embed(4).gru(4)).spec());
        assertTrue(e.getMessage().startsWith("encoder: layer 2") && e.getMessage().contains("divide"), e.getMessage());
        e = assertThrows(ModelSpecException.class, () -> Seq.seq2seq(sv, tv).encoder(x -> x.embed(4).gru(4).layer(new org.seqlab.model.MeanPoolSpec()))
                .decoder(d -> d.embed(4).gru(4)).spec());
        assertTrue(e.getMessage().contains("remove last()/meanPool() from the encoder"), e.getMessage());
        e = assertThrows(ModelSpecException.class, () -> Seq.seq2seq(sv, tv).encoder(x -> x.embed(12).transformer(2, 5))
                .decoder(d -> d.embed(8).transformer(1, 2)).spec());
        assertTrue(e.getMessage().startsWith("encoder: layer 2 (transformer_1): 5 heads do not divide the width 12")
                && e.getMessage().contains("e.g. 4"), e.getMessage());
        e = assertThrows(ModelSpecException.class, () -> Seq.seq2seq(sv, tv).encoder(x -> x.embed(8).transformer(1, 2))
                .decoder(d -> d.embed(10).transformer(1, 4)).spec());
        assertTrue(e.getMessage().startsWith("decoder: layer 2 (transformer_decoder_1): 4 heads do not divide the width 10"), e.getMessage());
        e = assertThrows(ModelSpecException.class, () -> Seq.model().vocab(9).embed(4).gru(4).layer(Attention.additive()).softmax().build());
        assertTrue(e.getMessage().contains("belongs in the decoder"), e.getMessage());
    }

    @Test
    void beamWidthZeroAndEmptySourcesAreRefused() {
        Seq2SeqModel m = rnn().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.translate("the dog", BeamSearch.width(0)));
        assertTrue(e.getMessage().contains("beam width is 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.translate("   "));
        assertTrue(e.getMessage().contains("source is empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FitOptions.steps(1).teacherForcing(1.5));
        e = assertThrows(IllegalArgumentException.class, () -> Seq.model().vocab(5).embed(2).gru(2).softmax().build()
                .fit(org.seqlab.data.TextWindows.of("abcabcabc", Vocab.chars("abc"), 3, 3), FitOptions.steps(1).teacherForcing(0.5)));
        assertTrue(e.getMessage().contains("for encoder-decoders"), e.getMessage());
    }

    @Test
    void savedFormReadsBack() {
        var spec = rnn().spec();
        var back = org.seqlab.model.Seq2SeqSpec.fromLines(spec.toLines(), spec.sourceVocab(), spec.targetVocab());
        assertEquals(spec.toLines(), back.toLines());
        assertArrayEquals(spec.encoder().toArray(), back.encoder().toArray());
    }
}
