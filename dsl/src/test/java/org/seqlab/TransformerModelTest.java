package org.seqlab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.seqlab.data.LabelledSequences;
import org.seqlab.data.TextWindows;
import org.seqlab.data.Vocab;
import org.seqlab.graph.CompiledModel;
import org.seqlab.inspect.AttentionMaps;
import org.seqlab.layers.Activation;
import org.seqlab.layers.Mode;
import org.seqlab.layers.SeqTensor;
import org.seqlab.layers.Transformer;
import org.seqlab.model.ModelSpecException;
import org.seqlab.model.ModelSummary;
import org.seqlab.train.FitOptions;
import org.seqlab.viz.HeatmapGrid;

/** The transformer DSL: the lecture's tiny GPT and encoder classifier, their checks, generation and inspection. */
class TransformerModelTest {
    static final String TEXT = "the cat sat on the mat. the dog sat on the log. ".repeat(10);
    static final Vocab VOCAB = Vocab.chars(TEXT);

    private static String refused(Runnable r) {
        return assertThrows(ModelSpecException.class, r::run).getMessage();
    }

    @Test
    void theLecturesTinyGptBuildsAsWritten() {
        Model gpt = Seq.model().vocab(VOCAB).embed(256).positional().transformer(2, 8).softmax().build();
        ModelSummary s = gpt.summary();
        assertEquals(List.of("embedding_1", "positional_1", "transformer_1", "output"),
                s.rows().stream().map(ModelSummary.Row::name).toList());
        long block = 2 * 256 * 2 + (4 * 256 * 256 + 4 * 256) + (256 * 1024 + 1024) + (1024 * 256 + 256);
        assertEquals(2 * block + 2 * 256, s.rows().get(2).params());
        assertEquals("Transformer(2 x 8 heads, ffn 1024, gelu, causal)", s.rows().get(2).kind());
        assertEquals("[B, T, 256]", s.rows().get(2).outputShape());
    }

    @Test
    void anEncoderThatPoolsAttendsBothWays() {
        Model m = Seq.model().vocab(VOCAB).embed(16).positional().transformer(2, 4).meanPool().softmax(3).build();
        Transformer t = (Transformer) m.graph().layers().get(2);
        assertFalse(t.blocks().get(0).attention().causal());
        Model forced = Seq.model().vocab(VOCAB).embed(16).positional()
                .transformer(Seq.transformer(1, 4).causal(true).activation(Activation.RELU).ffn(8).dropout(0.1))
                .meanPool().softmax(3).build();
        Transformer f = (Transformer) forced.graph().layers().get(2);
        assertTrue(f.blocks().get(0).attention().causal());
        assertEquals("Transformer(1 x 4 heads, ffn 8, relu, causal)", f.kind());
    }

    @Test
    void mistakesAreRefusedBeforeAnyArrayWithTheFix() {
        String m = refused(() -> Seq.model().vocab(VOCAB).embed(30).positional().transformer(2, 8).softmax().build());
        assertTrue(m.contains("layer 3 (transformer_1): 8 heads do not divide the width 30") && m.contains("e.g. 6"), m);
        m = refused(() -> Seq.model().vocab(VOCAB).positional().embed(8).transformer(1, 2).softmax().build());
        assertTrue(m.contains("layer 1 (positional_1)") && m.contains("add .embed(dim) or .oneHot() before positional"), m);
        m = refused(() -> Seq.model().vocab(VOCAB).embed(8).meanPool().positional().softmax(2).build());
        assertTrue(m.contains("positional() needs a sequence") && m.contains("move the pooling"), m);
        m = refused(() -> Seq.model().vocab(VOCAB).embed(8).last().transformer(1, 2).softmax(2).build());
        assertTrue(m.contains("a transformer needs a sequence"), m);
        m = refused(() -> Seq.model().vocab(VOCAB).embed(8).transformer(0, 2).softmax().build());
        assertTrue(m.contains("number of blocks must be positive"), m);
        m = refused(() -> Seq.model().vocab(VOCAB).embed(8).transformer(5000, 2).softmax().build());
        assertTrue(m.contains("at most 1024 blocks"), m);
        m = refused(() -> Seq.model().vocab(VOCAB).embed(8).transformer(Seq.transformer(1, 2).activation(Activation.TANH)).softmax().build());
        assertTrue(m.contains("GELU or RELU") && m.contains(".activation(Activation.GELU)"), m);
        m = refused(() -> Seq.model().vocab(VOCAB).embed(8).transformer(Seq.transformer(1, 2).dropout(1.5)).softmax().build());
        assertTrue(m.contains("dropout rate must be in [0, 1)"), m);
        m = refused(() -> Seq.model().vocab(VOCAB).embed(8).transformer(1, 2, -4).softmax().build());
        assertTrue(m.contains("feed-forward size must be positive"), m);
        m = refused(() -> Seq.model().vocab(VOCAB).embed(8).positional(-3).softmax().build());
        assertTrue(m.contains("maxLength must be positive"), m);
        // a deferred model (input from the first fit) checks all of that too, when it is built
        m = refused(() -> Seq.model().embed(30).positional().transformer(2, 8).softmax().build());
        assertTrue(m.contains("8 heads do not divide the width 30"), m);
    }

    /** Stepping one token at a time through the position counter and every block's cache equals the full pass. */
    @Test
    void kvCacheGenerationEqualsTheFullForwardPass() {
        for (String positional : new String[] {"sinusoidal", "learned"}) {
            ModelBuilder b = Seq.model().vocab(VOCAB).embed(16);
            b = positional.equals("learned") ? b.positional(40) : b.positional();
            Model m = Model.compile(b.transformer(2, 4, 24).softmax().seed(3).spec(), DataType.DOUBLE);
            Nd4j.getRandom().setSeed(4);
            INDArray w = m.graph().parameters().values();
            w.addi(Nd4j.rand(DataType.DOUBLE, w.shape()).subi(0.5).muli(0.2)); // away from the init: learned positions matter
            int[] prompt = VOCAB.encodeStrict("the c");
            int[] generated = m.generate(prompt, 12, 0.0, 1);
            int[] all = new int[prompt.length + generated.length - 1];
            System.arraycopy(prompt, 0, all, 0, prompt.length);
            System.arraycopy(generated, 0, all, prompt.length, generated.length - 1);
            INDArray full = m.predict(Nd4j.createFromArray(new int[][] {all}).castTo(DataType.DOUBLE)); // [1, T, C]
            for (int i = 0; i < generated.length; i++) {
                INDArray row = full.get(NDArrayIndex.point(0), NDArrayIndex.point(prompt.length - 1 + i), NDArrayIndex.all());
                assertEquals(Nd4j.argMax(row).getInt(0), generated[i], positional + ": greedy token " + i + " is the full pass's argmax");
            }
            // and the probabilities themselves, step by step through the caches
            CompiledModel g = m.graph();
            g.resetState();
            Mode stepping = new Mode(false, true, false, new Random(0));
            for (int t = 0; t < all.length; t++) {
                SeqTensor in = g.inputs(Nd4j.createFromArray(new double[][] {{all[t]}}), null);
                INDArray p = g.loss().predict(g.forward(in, stepping).data());
                INDArray expected = full.get(NDArrayIndex.point(0), NDArrayIndex.point(t), NDArrayIndex.all());
                assertTrue(p.reshape(expected.shape()).equalsWithEps(expected, 1e-10), positional + " step " + t);
            }
            g.resetState();
        }
    }

    @Test
    void generatingPastLearnedPositionsIsRefusedBeforeItStarts() {
        Model m = Seq.model().vocab(VOCAB).embed(8).positional(16).transformer(1, 2).softmax().seed(1).build();
        assertEquals(13, m.generate(VOCAB.encodeStrict("the "), 13, 0.0, 1).length); // 4 + 13 - 1 = 16 positions
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.generate("the ", 14, 0.5));
        assertTrue(e.getMessage().contains("17 positions") && e.getMessage().contains("generate at most 13 tokens")
                && e.getMessage().contains("positional() (sinusoidal"), e.getMessage());
        // predicting a longer input names the layer and the limit
        e = assertThrows(IllegalArgumentException.class, () -> m.predict(TEXT.substring(0, 17)));
        assertTrue(e.getMessage().contains("positional_1") && e.getMessage().contains("16"), e.getMessage());
    }

    @Test
    void learnedPositionsRefuseStreamsAndLongWindowsWithTheFix() {
        Model m = Seq.model().vocab(VOCAB).embed(8).positional(16).transformer(1, 2).softmax().seed(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.fit(TextWindows.streams(TEXT, VOCAB, 4, 10), FitOptions.steps(1)));
        assertTrue(e.getMessage().contains("contiguous streams") && e.getMessage().contains("TextWindows.of"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.fit(TextWindows.of(TEXT, VOCAB, 20, 20), FitOptions.steps(1)));
        assertTrue(e.getMessage().contains("20 steps") && e.getMessage().contains("positional(20)"), e.getMessage());
        m.fit(TextWindows.of(TEXT, VOCAB, 16, 16), FitOptions.steps(2).batchSize(4)); // within the table: trains
    }

    @Test
    void savedTransformersLoadWithTheirWeights(@TempDir Path dir) throws IOException {
        Model m = Seq.model().vocab(VOCAB).embed(8).positional(32)
                .transformer(Seq.transformer(2, 2).ffn(12).activation(Activation.RELU).dropout(0.1).causal(true))
                .positional().transformer(1, 4).softmax().seed(2).build();
        m.fit(TextWindows.of(TEXT, VOCAB, 16, 16), FitOptions.steps(3).batchSize(4).adam(1e-2));
        m.save(dir.resolve("t.seqlab"));
        Model back = Model.load(dir.resolve("t.seqlab"));
        assertEquals(m.spec().toLines(), back.spec().toLines());
        assertTrue(m.spec().toLines().contains("layer transformer 2 2 12 relu 0.1 causal"), m.spec().toLines().toString());
        assertEquals(m.predict("the cat"), back.predict("the cat"));
        assertEquals(m.generate("the ", 10, 0.7), back.generate("the ", 10, 0.7));
    }

    @Test
    void attentionMapsShowEveryBlocksEveryHeadAndFitANotebook() {
        Model gpt = Seq.model().vocab(VOCAB).embed(32).positional().transformer(4, 8).softmax().seed(5).build();
        String text = "the cat sat on the mat. the dog sat";
        AttentionMaps maps = gpt.attention(text);
        assertEquals(List.of("transformer_1/block_1", "transformer_1/block_2", "transformer_1/block_3", "transformer_1/block_4"),
                maps.layers());
        for (String layer : maps.layers()) {
            assertEquals(8, maps.heads(layer));
            assertTrue(maps.causal(layer));
            double[][] w = maps.weights(layer, 7);
            for (int q = 0; q < w.length; q++) {
                assertEquals(1, java.util.Arrays.stream(w[q]).sum(), 1e-5);
                for (int k = q + 1; k < w.length; k++) assertEquals(0, w[q][k], 0);
            }
        }
        HeatmapGrid grid = maps.grid();
        assertTrue(grid.width() <= HeatmapGrid.NOTEBOOK_WIDTH, "grid " + grid.width() + " px wide");
        java.awt.image.BufferedImage img = grid.image();
        assertEquals(grid.width(), img.getWidth());
        // the future of a causal map is hatched grey, not the colour of weight 0 (viridis' dark purple)
        int zero = org.seqlab.viz.ColorScale.sequential(0, 1).rgb(0) & 0xFFFFFF;
        int grey = 0, purple = 0;
        int[] cell = upperTriangleProbe(grid);
        for (int dy = 0; dy < 6; dy++) for (int dx = 0; dx < 6; dx++) {
            int rgb = img.getRGB(cell[0] + dx, cell[1] + dy) & 0xFFFFFF;
            int r = rgb >> 16, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
            if (r == g && g == b && r > 0x80) grey++;
            if (rgb == zero) purple++;
        }
        assertTrue(grey == 36 && purple == 0, "hatched " + grey + " of 36 pixels, weight-0 colour " + purple);
    }

    /** A pixel well inside the upper triangle of the first panel: near its top right corner. */
    private static int[] upperTriangleProbe(HeatmapGrid grid) {
        java.awt.image.BufferedImage img = grid.image();
        // find the first panel's frame: scan the middle row of the picture's top band for the grey frame colour
        int frame = 0x787878;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth() / 3; x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == frame && (img.getRGB(x + 20, y) & 0xFFFFFF) == frame) {
                    int right = x;
                    while ((img.getRGB(right + 1, y) & 0xFFFFFF) == frame) right++;
                    return new int[] {right - 14, y + 4};
                }
            }
        }
        throw new AssertionError("no panel frame found");
    }

    /** Sequence classification with a transformer encoder: which of two tokens comes first (order needs positions). */
    @Test
    void anEncoderClassifierLearnsAnOrderTask() {
        Random r = new Random(7);
        int[] labels = new int[400];
        int[][] seqs = new int[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            int len = 6 + r.nextInt(5);
            int[] s = new int[len];
            for (int t = 0; t < len; t++) s[t] = 4 + r.nextInt(4); // filler ids 4..7
            int a = r.nextInt(len), b;
            do b = r.nextInt(len); while (b == a);
            s[a] = 2;
            s[b] = 3;
            labels[i] = a < b ? 1 : 0;
            seqs[i] = s;
        }
        var parts = LabelledSequences.classes(seqs, labels, 8, 2).split(0.25, 1);
        Model m = Seq.model().vocab(8).embed(16).positional().transformer(2, 4, 32).meanPool().softmax(2).seed(3).build();
        m.fit(parts.get(0), FitOptions.epochs(8).batchSize(32).adam(6e-3).clipNorm(1));
        double acc = m.evaluate(parts.get(1)).accuracy();
        System.out.printf("transformer encoder, which token comes first (lengths 6..10): held-out accuracy %.4f%n", acc);
        assertTrue(acc >= 0.95, "held-out accuracy " + acc);
    }
}
