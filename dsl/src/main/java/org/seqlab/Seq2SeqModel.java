package org.seqlab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqlab.data.PairBatch;
import org.seqlab.data.ParallelText;
import org.seqlab.data.Vocab;
import org.seqlab.decode.BeamSearch;
import org.seqlab.decode.Greedy;
import org.seqlab.decode.Hypothesis;
import org.seqlab.decode.StepDecoder;
import org.seqlab.decode.Translation;
import org.seqlab.decode.Translations;
import org.seqlab.graph.Compiler;
import org.seqlab.graph.Seq2SeqGraph;
import org.seqlab.inspect.Alignment;
import org.seqlab.io.ModelFile;
import org.seqlab.layers.AttendsToMemory;
import org.seqlab.layers.Layer;
import org.seqlab.layers.MultiHeadCrossAttention;
import org.seqlab.layers.TransformerDecoder;
import org.seqlab.layers.ParamSpec;
import org.seqlab.model.ModelSummary;
import org.seqlab.model.Seq2SeqSpec;
import org.seqlab.train.FitOptions;
import org.seqlab.train.Trainer;
import org.seqlab.train.TrainingHistory;

/**
 * A compiled encoder-decoder: train it on sentence pairs, translate with greedy or beam search, look
 * at its alignments, save it. Built by {@code Seq.seq2seq(src, tgt).encoder(..).decoder(..).build()}.
 *
 * <pre>
 * TrainingHistory h = model.fit(train, FitOptions.epochs(10).adam(3e-3).clipNorm(5));
 * model.translate("the dog sees a cat");                 // greedy
 * model.translate("the dog sees a cat", BeamSearch.width(5));
 * Translations t = model.translate(test);                 // exact match, BLEU
 * model.alignment("the dog sees a cat").savePng(Path.of("alignment.png"));
 * </pre>
 */
public final class Seq2SeqModel {
    /** Greedy and default decoding stop after this many tokens beyond twice the source length. */
    private static final int EXTRA_LENGTH = 10;
    private static final int DECODE_BATCH = 64;
    private final Seq2SeqSpec spec;
    private final Seq2SeqGraph graph;
    private TrainingHistory lastHistory;

    private Seq2SeqModel(Seq2SeqSpec spec, DataType dtype) {
        this.spec = spec;
        this.graph = Compiler.compile(spec, dtype);
    }

    /** Compiles a validated spec in single precision (what training uses). */
    public static Seq2SeqModel compile(Seq2SeqSpec spec) {
        return compile(spec, DataType.FLOAT);
    }

    public static Seq2SeqModel compile(Seq2SeqSpec spec, DataType dtype) {
        return new Seq2SeqModel(spec, dtype);
    }

    public Seq2SeqSpec spec() { return spec; }

    /** The compiled graph (layers, parameters); for inspection and tests. */
    public Seq2SeqGraph graph() { return graph; }

    public Vocab sourceVocab() { return spec.sourceVocab(); }

    public Vocab targetVocab() { return spec.targetVocab(); }

    // ---------------------------------------------------------------- training

    /**
     * Trains on sentence pairs encoded with this model's vocabularies; {@link FitOptions} as for
     * sequence models (epochs or steps, optimizer, clipping, truncated BPTT along the target,
     * validation, early stopping), plus {@link FitOptions#teacherForcing(double)}. The history has
     * the loss, token accuracy and perplexity of every step.
     */
    public TrainingHistory fit(ParallelText data, FitOptions options) {
        graph.teacherForcing(options.teacherForcing(), options.seed());
        lastHistory = new Trainer<>(graph).fit(data, options);
        return lastHistory;
    }

    /** The history of the last fit, or null before the first. */
    public TrainingHistory history() {
        return lastHistory;
    }

    /** Teacher-forced loss, token accuracy and perplexity on sentence pairs (no decoding; see {@link #translate(ParallelText)}). */
    public Model.Evaluation evaluate(ParallelText data) {
        graph.checkCompatible(data, FitOptions.defaults());
        double[] r = Trainer.evaluate(graph, data, 32);
        return new Model.Evaluation(r[0], r[1], Math.exp(r[0]), data.size());
    }

    // ---------------------------------------------------------------- translating

    /** The greedy translation of {@code source} (cut into tokens by the source vocabulary's tokenizer). */
    public String translate(String source) {
        return translateIds(List.of(sourceIds(source))).get(0).text();
    }

    /** The best translations by beam search, best first: at most {@code search.width()}, each with its score. */
    public List<Translation> translate(String source, BeamSearch search) {
        StepDecoder d = graph.stepper(new int[][] {sourceIds(source)}, false);
        List<Translation> out = new ArrayList<>();
        for (Hypothesis h : search.search(d, bos(), eos())) out.add(translation(h, search.lengthPenalty()));
        return out;
    }

    /** Greedy translations of every pair's source, scored against its target (exact match, BLEU). */
    public Translations translate(ParallelText data) {
        graph.checkCompatible(data, FitOptions.defaults());
        List<int[]> sources = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) sources.add(data.sourceIds(i));
        return translations(data, translateIds(sources), "greedy");
    }

    /** Beam-search translations (the best of each) of every pair's source, scored against its target. */
    public Translations translate(ParallelText data, BeamSearch search) {
        graph.checkCompatible(data, FitOptions.defaults());
        List<Translation> best = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            StepDecoder d = graph.stepper(new int[][] {data.sourceIds(i)}, false);
            best.add(translation(search.search(d, bos(), eos()).get(0), search.lengthPenalty()));
        }
        return translations(data, best, "beam " + search.width());
    }

    private Translations translations(ParallelText data, List<Translation> hypotheses, String method) {
        List<String> sources = new ArrayList<>();
        List<List<String>> references = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            sources.add(data.pair(i).source());
            references.add(data.targetTokens(i));
        }
        return new Translations(sources, references, hypotheses, method);
    }

    /** Greedy, many sources at a time; scores with length penalty 1 (the beam search default). */
    private List<Translation> translateIds(List<int[]> sources) {
        List<Translation> out = new ArrayList<>(sources.size());
        for (int from = 0; from < sources.size(); from += DECODE_BATCH) {
            int[][] chunk = sources.subList(from, Math.min(sources.size(), from + DECODE_BATCH)).toArray(new int[0][]);
            int longest = 0;
            for (int[] s : chunk) longest = Math.max(longest, s.length);
            List<Hypothesis> hs = Greedy.decode(graph.stepper(chunk, false), chunk.length, bos(), eos(), maxLength(longest));
            for (Hypothesis h : hs) out.add(translation(h, 1.0));
        }
        return out;
    }

    /** The log-probability the model gives {@code target} as the translation of {@code source} ({@code </s>} included). */
    public double logProb(String source, String target) {
        ParallelText one = ParallelText.of(List.of(ParallelText.pair(source, target)), sourceVocab(), targetVocab());
        PairBatch b = one.batch(new int[] {0});
        double[][] logits = graph.teacherForcedLogits(b, false).data().castTo(DataType.DOUBLE).toDoubleMatrix();
        double sum = 0;
        for (int t = 0; t < logits.length; t++) {
            double[] row = logits[t].clone();
            Seq2SeqGraph.logSoftmaxInPlace(row);
            sum += row[b.targets().getInt(0, t)];
        }
        return sum;
    }

    private Translation translation(Hypothesis h, double alpha) {
        List<String> tokens = new ArrayList<>();
        for (int id : h.tokens()) tokens.add(targetVocab().token(id));
        return new Translation(tokens, targetVocab().tokenizer().join(tokens), h.logProb(), h.score(alpha), h.ended());
    }

    private int[] sourceIds(String source) {
        List<String> tokens = sourceVocab().tokenizer().split(source);
        if (tokens.isEmpty()) throw new IllegalArgumentException("the source is empty; give at least one token to translate");
        int[] ids = Arrays.copyOf(sourceVocab().encode(tokens), tokens.size() + 1);
        ids[tokens.size()] = sourceVocab().id(Vocab.EOS);
        return ids;
    }

    private static int maxLength(int sourceLength) {
        return 2 * sourceLength + EXTRA_LENGTH;
    }

    private int bos() {
        return targetVocab().id(Vocab.BOS);
    }

    private int eos() {
        return targetVocab().id(Vocab.EOS);
    }

    // ---------------------------------------------------------------- inspection

    /**
     * The alignment of {@code source} with its greedy translation: for each token the decoder wrote,
     * its attention over the source tokens, as decoding computed it.
     */
    public Alignment alignment(String source) {
        Layer attending = lastAttendingLayer();
        int[] ids = sourceIds(source);
        StepDecoder d = graph.stepper(new int[][] {ids}, true);
        List<double[]> rows = new ArrayList<>();
        List<String> written = new ArrayList<>();
        int fed = bos();
        for (int step = 0; step < maxLength(ids.length); step++) {
            double[] lp = d.step(new int[] {fed})[0];
            rows.add(Alignment.recordedWeights(attending, 0)[0]);
            int next = argMax(lp);
            written.add(targetVocab().token(next));
            if (next == eos()) break;
            fed = next;
        }
        return new Alignment(sourceTokens(ids), written, rows.toArray(new double[0][]), title(attending, "greedy translation"));
    }

    /** The alignment of a given pair (teacher forced: the decoder reads the given target). */
    public Alignment alignment(String source, String target) {
        Layer attending = lastAttendingLayer();
        ParallelText one = ParallelText.of(List.of(ParallelText.pair(source, target)), sourceVocab(), targetVocab());
        graph.teacherForcedLogits(one.batch(new int[] {0}), true);
        List<String> written = new ArrayList<>(one.targetTokens(0));
        written.add(Vocab.EOS);
        return new Alignment(one.sourceTokens(0), written, Alignment.recordedWeights(attending, 0), title(attending, "given pair"));
    }

    /** The last layer that attends to the source and records its weights (a transformer decoder's last block's cross-attention). */
    private Layer lastAttendingLayer() {
        Layer found = null;
        for (Layer l : graph.decoderLayers()) {
            if (l instanceof TransformerDecoder td) found = td.blocks().get(td.blocks().size() - 1).crossAttention();
            else if (l instanceof AttendsToMemory) found = l;
        }
        if (found == null) {
            throw new IllegalStateException("this decoder does not attend to the source, so there is no alignment; add "
                    + ".attention(Attention.additive()) to the decoder");
        }
        return found;
    }

    private static String title(Layer attending, String what) {
        String heads = attending instanceof MultiHeadCrossAttention m ? ", mean of " + m.heads() + " heads" : "";
        return attending.name() + heads + ", " + what;
    }

    private List<String> sourceTokens(int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) out.add(sourceVocab().token(id));
        return out;
    }

    private static int argMax(double[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
        return best;
    }

    // ---------------------------------------------------------------- description and persistence

    /** Encoder layers, the bridge, decoder layers and the output layer, with output shapes and parameter counts. */
    public ModelSummary summary() {
        List<ModelSummary.Row> rows = new ArrayList<>();
        for (Layer l : graph.layers()) {
            boolean decoderSide = l.name().startsWith("decoder/") || l == graph.output();
            String shape = l == graph.bridge() ? "[B, " + l.outputSize() + "]"
                    : decoderSide ? "[B, T, " + l.outputSize() + "]" : "[B, S, " + l.outputSize() + "]";
            long count = l.paramSpecs().stream().mapToLong(ParamSpec::length).sum();
            rows.add(new ModelSummary.Row(l.name(), l.kind(), shape, count));
        }
        return new ModelSummary(rows, graph.parameters().size(), "softmax cross-entropy over " + targetVocab().size()
                + " target tokens");
    }

    /** Parameters by name ({@code decoder/gru_1/W_ih}); views, so writing into them changes the model. */
    public Map<String, INDArray> params() {
        return new LinkedHashMap<>(graph.parameters().byName());
    }

    /** Writes spec, weights and both vocabularies to one file, atomically (temporary file, then rename). */
    public void save(Path file) throws IOException {
        ModelFile.write(file, spec, graph);
    }

    /** Reads a file written by {@link #save}; a truncated or foreign file gives a clear error. */
    public static Seq2SeqModel load(Path file) throws IOException {
        ModelFile.Seq2SeqContents c = ModelFile.readSeq2Seq(file);
        Seq2SeqModel m = new Seq2SeqModel(c.spec(), c.dtype());
        var expected = m.graph.parameters();
        if (!expected.names().equals(c.paramNames()) || expected.values().length() != c.params().length()) {
            throw new IOException(file + " holds parameters " + c.paramNames() + " (" + c.params().length()
                    + " values) that do not match its own spec " + expected.names() + "; the file is damaged");
        }
        expected.values().assign(c.params());
        return m;
    }

    @Override
    public String toString() {
        return "Seq2SeqModel (" + sourceVocab().size() + " source tokens -> " + targetVocab().size() + " target tokens)\n" + summary();
    }
}
