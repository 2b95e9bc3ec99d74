package org.seqlab.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.data.PairBatch;
import org.seqlab.data.ParallelText;
import org.seqlab.data.Vocab;
import org.seqlab.decode.StepDecoder;
import org.seqlab.layers.Activation;
import org.seqlab.layers.AttentionScore;
import org.seqlab.layers.Bidirectional;
import org.seqlab.layers.CrossAttention;
import org.seqlab.layers.Dense;
import org.seqlab.layers.Embedding;
import org.seqlab.layers.EncoderBridge;
import org.seqlab.layers.Gru;
import org.seqlab.layers.Layer;
import org.seqlab.layers.Lstm;
import org.seqlab.layers.Mode;
import org.seqlab.layers.SeqTensor;
import org.seqlab.testing.GradientCheck;
import org.seqlab.train.FitOptions;

/** The encoder-decoder engine on hand-built layers: whole-model gradients, stepping, scheduled sampling. */
class Seq2SeqGraphTest {
    static final ParallelText TINY = ParallelText.of(List.of(
            ParallelText.pair("a b c", "x y"), ParallelText.pair("b a", "y x z"), ParallelText.pair("c", "z z x y")));

    /** Tiny sizes so a whole-model finite-difference check stays quick. */
    static Seq2SeqGraph rnn(String attention, boolean lstm, boolean bidirectional, DataType type) {
        Vocab sv = TINY.sourceVocab(), tv = TINY.targetVocab();
        List<Layer> enc = new ArrayList<>();
        enc.add(new Embedding("enc_embed", sv.size(), 2));
        enc.add(bidirectional ? new Bidirectional("enc_gru", new Gru("enc_gru_fw", 2, 2), new Gru("enc_gru_bw", 2, 2))
                : new Gru("enc_gru", 2, 2));
        int memory = bidirectional ? 4 : 2;
        EncoderBridge.Summary summary = bidirectional ? EncoderBridge.Summary.LAST_AND_FIRST
                : attention.equals("none") ? EncoderBridge.Summary.MEAN : EncoderBridge.Summary.LAST;
        int hidden = attention.equals("dot") ? memory : 3;
        List<Layer> dec = new ArrayList<>();
        dec.add(new Embedding("dec_embed", tv.size(), 2));
        dec.add(lstm ? new Lstm("dec_lstm", 2, hidden) : new Gru("dec_gru", 2, hidden));
        if (!attention.equals("none")) dec.add(new CrossAttention("attend", hidden, memory, AttentionScore.ofLabel(attention), 2));
        return new Seq2SeqGraph(enc, new EncoderBridge("bridge", memory, hidden, summary), dec,
                new Dense("output", hidden, tv.size(), Activation.IDENTITY), sv, tv, 5, type);
    }

    /** A transformer encoder-decoder, tiny: width 4, 2 heads, one block a side, learned and sinusoidal positions. */
    static Seq2SeqGraph transformer(DataType type) {
        var spec = org.seqlab.Seq.seq2seq(TINY.sourceVocab(), TINY.targetVocab())
                .encoder(e -> e.embed(4).positional().transformer(1, 2, 4))
                .decoder(d -> d.embed(4).positional(8).transformer(1, 2, 4)).seed(5).spec();
        return org.seqlab.graph.Compiler.compile(spec, type);
    }

    static PairBatch all() {
        return TINY.batch(new int[] {0, 1, 2});
    }

    @ParameterizedTest(name = "{0} attention, lstm={1}, bidirectional={2}")
    @CsvSource({"additive,false,true", "general,true,false", "none,false,false"})
    void wholeModelGradientCheck(String attention, boolean lstm, boolean bidirectional) {
        Seq2SeqGraph g = rnn(attention, lstm, bidirectional, DataType.DOUBLE);
        PairBatch batch = all();
        Mode train = new Mode(true, false, false, new Random(1));
        GradientCheck.checkModel("seq2seq " + attention, g.parameters(),
                () -> g.forwardBackward(batch, Mode.eval()).loss(), () -> g.forwardBackward(batch, train));
    }

    /** One token per call through the stepper gives the teacher-forced pass's log-probabilities. */
    /** Randomised biases and norms in the transformer (they start at 0 and 1), so every path is checked. */
    @Test
    void wholeTransformerModelGradientCheck() {
        Seq2SeqGraph g = transformer(DataType.DOUBLE);
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(9);
        g.parameters().byName().forEach((name, p) -> {
            if (name.contains("/b") || name.endsWith("beta")) p.assign(org.nd4j.linalg.factory.Nd4j.rand(DataType.DOUBLE, p.shape()).subi(0.5));
            if (name.endsWith("gamma")) p.assign(org.nd4j.linalg.factory.Nd4j.rand(DataType.DOUBLE, p.shape()).addi(0.5));
        });
        PairBatch batch = all();
        Mode train = new Mode(true, false, false, new Random(1));
        GradientCheck.checkModel("transformer seq2seq", g.parameters(),
                () -> g.forwardBackward(batch, Mode.eval()).loss(), () -> g.forwardBackward(batch, train));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"rnn", "transformer"})
    void steppingEqualsTheTeacherForcedPass(String kind) {
        Seq2SeqGraph g = kind.equals("rnn") ? rnn("additive", true, true, DataType.DOUBLE) : transformer(DataType.DOUBLE);
        PairBatch batch = all();
        double[][] full = g.teacherForcedLogits(batch, false).data().toDoubleMatrix(); // row t*B + b
        int[][] sources = {TINY.sourceIds(0), TINY.sourceIds(1), TINY.sourceIds(2)};
        StepDecoder d = g.stepper(sources, false);
        for (int t = 0; t < batch.targetTime(); t++) {
            int[] fed = new int[3];
            for (int b = 0; b < 3; b++) fed[b] = batch.targetInputs().getInt(b, t);
            double[][] lp = d.step(fed);
            for (int b = 0; b < 3; b++) {
                if (batch.targetMask() != null && batch.targetMask().getDouble(b, t) == 0) continue;
                double[] expected = full[t * 3 + b].clone();
                Seq2SeqGraph.logSoftmaxInPlace(expected);
                for (int v = 0; v < expected.length; v++) assertEquals(expected[v], lp[b][v], 1e-10, "step " + t + " row " + b);
            }
        }
    }

    /** After keeping rows [2, 2, 0], each row continues exactly as its own source would. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"rnn", "transformer"})
    void selectedRowsContinueTheirOwnSources(String kind) {
        Seq2SeqGraph g = kind.equals("rnn") ? rnn("general", true, false, DataType.DOUBLE) : transformer(DataType.DOUBLE);
        int[][] sources = {TINY.sourceIds(0), TINY.sourceIds(1), TINY.sourceIds(2)};
        int bos = TINY.targetVocab().id(Vocab.BOS);
        int x = TINY.targetVocab().id("x"), y = TINY.targetVocab().id("y"), z = TINY.targetVocab().id("z");
        StepDecoder d = g.stepper(sources, false);
        d.step(new int[] {bos, bos, bos});
        d.select(new int[] {2, 2, 0});
        double[][] got = d.step(new int[] {x, y, z});
        int[] source = {2, 2, 0}, token = {x, y, z};
        for (int r = 0; r < 3; r++) {
            StepDecoder alone = g.stepper(new int[][] {sources[source[r]]}, false);
            alone.step(new int[] {bos});
            double[] expected = alone.step(new int[] {token[r]})[0];
            for (int v = 0; v < expected.length; v++) assertEquals(expected[v], got[r][v], 1e-12);
        }
    }

    /**
     * Truncated BPTT along the target: chunk after chunk, the decoder continues from where the previous
     * chunk ended (recurrent state; key/value caches and positions for the transformer), so the chunks'
     * losses add up to the whole target's.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"rnn", "transformer"})
    void targetChunksContinueTheDecoderAndAddUpToTheWholeLoss(String kind) {
        Seq2SeqGraph g = kind.equals("rnn") ? rnn("additive", false, true, DataType.DOUBLE) : transformer(DataType.DOUBLE);
        PairBatch batch = all();
        double whole = g.forwardBackward(batch, Mode.eval()).loss() * batch.tokens();
        g.resetState();
        double chunked = 0;
        Mode carry = Mode.eval().withCarryState(true);
        List<PairBatch> chunks = batch.chunks(2);
        assertTrue(chunks.size() >= 2);
        for (PairBatch c : chunks) chunked += g.forwardBackward(c, carry).loss() * c.tokens();
        assertEquals(whole, chunked, 1e-9);
    }

    @Test
    void teacherForcingZeroFeedsBackTheFirstPassPredictions() {
        Seq2SeqGraph g = rnn("additive", false, true, DataType.DOUBLE);
        PairBatch batch = all();
        INDArray predicted = g.teacherForcedPredictions(batch);
        g.teacherForcing(0.0, 3);
        g.forwardBackward(batch, new Mode(true, false, false, new Random(1)));
        INDArray fed = g.lastDecoderInputs();
        for (int b = 0; b < 3; b++) {
            assertEquals(batch.targetInputs().getDouble(b, 0), fed.getDouble(b, 0), 0, "<s> stays");
            for (int t = 1; t < batch.targetTime(); t++) {
                boolean real = batch.targetMask() == null || batch.targetMask().getDouble(b, t) != 0;
                double expected = real ? predicted.getDouble(b, t - 1) : batch.targetInputs().getDouble(b, t);
                assertEquals(expected, fed.getDouble(b, t), 0, "row " + b + " step " + t);
            }
        }
        g.teacherForcing(1.0, 3);
        g.forwardBackward(batch, new Mode(true, false, false, new Random(1)));
        assertEquals(batch.targetInputs(), g.lastDecoderInputs());
    }

    @Test
    void scheduledSamplingMixesTrueAndPredictedTokensBySeed() {
        ParallelText data = org.seqlab.data.synthetic.SyntheticTranslation.dataset(64, 2);
        // an untrained model's predictions differ from the truth almost everywhere
        Seq2SeqGraph g = new Seq2SeqGraph(List.of(new Embedding("e", data.sourceVocab().size(), 4), new Gru("g", 4, 4)),
                new EncoderBridge("bridge", 4, 4, EncoderBridge.Summary.LAST),
                List.of(new Embedding("d", data.targetVocab().size(), 4), new Gru("dg", 4, 4)),
                new Dense("output", 4, data.targetVocab().size(), Activation.IDENTITY), data.sourceVocab(), data.targetVocab(), 1,
                DataType.FLOAT);
        PairBatch batch = data.batches(64, null).get(0);
        INDArray predicted = g.teacherForcedPredictions(batch);
        g.teacherForcing(0.5, 7);
        g.forwardBackward(batch, new Mode(true, false, false, new Random(1)));
        INDArray first = g.lastDecoderInputs();
        long real = 0, fromModel = 0, differs = 0;
        for (int b = 0; b < batch.size(); b++) {
            for (int t = 1; t < batch.targetTime(); t++) {
                if (batch.targetMask().getDouble(b, t) == 0) continue;
                real++;
                double truth = batch.targetInputs().getDouble(b, t), guess = predicted.getDouble(b, t - 1), fed = first.getDouble(b, t);
                assertTrue(fed == truth || fed == guess, "each input is the true token or the model's");
                if (truth != guess) {
                    differs++;
                    if (fed == guess) fromModel++;
                }
            }
        }
        double share = fromModel / (double) differs;
        assertTrue(differs > real / 2 && share > 0.4 && share < 0.6, "model tokens fed at " + share + " of " + differs);
        g.teacherForcing(0.5, 7);
        g.forwardBackward(batch, new Mode(true, false, false, new Random(1)));
        assertEquals(first, g.lastDecoderInputs(), "same seed, same choices");
        g.teacherForcing(0.5, 8);
        g.forwardBackward(batch, new Mode(true, false, false, new Random(1)));
        assertNotEquals(first, g.lastDecoderInputs());
    }

    @Test
    void refusesDataWithAnotherVocabularyAndSamplingWithTruncation() {
        Seq2SeqGraph g = rnn("additive", false, true, DataType.FLOAT);
        ParallelText other = ParallelText.of(List.of(ParallelText.pair("a b c", "x y w")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.checkCompatible(other, FitOptions.steps(1)));
        assertTrue(e.getMessage().contains("target vocabulary") && e.getMessage().contains("model.targetVocab()"), e.getMessage());
        g.teacherForcing(0.8, 1);
        e = assertThrows(IllegalArgumentException.class, () -> g.checkCompatible(TINY, FitOptions.steps(1).tbptt(2)));
        assertTrue(e.getMessage().contains("remove .tbptt(2)"), e.getMessage());
    }
}
