package org.seqlab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.data.SequenceDataset;
import org.seqlab.data.Vocab;
import org.seqlab.graph.CompiledModel;
import org.seqlab.graph.Compiler;
import org.seqlab.io.ModelFile;
import org.seqlab.layers.Bidirectional;
import org.seqlab.layers.Layer;
import org.seqlab.layers.Mode;
import org.seqlab.layers.ParamSpec;
import org.seqlab.layers.SeqTensor;
import org.seqlab.model.Head;
import org.seqlab.model.InputSpec;
import org.seqlab.model.ModelDraft;
import org.seqlab.model.ModelSpec;
import org.seqlab.model.ModelSummary;
import org.seqlab.model.PlannedLayer;
import org.seqlab.train.FitOptions;
import org.seqlab.train.Trainer;
import org.seqlab.train.TrainingDivergedException;
import org.seqlab.train.TrainingHistory;

/**
 * A compiled model: train it, ask it, sample from it, save it. Built by {@code Seq.model()...build()}.
 * When the builder did not say what the input is ({@code vocab(..)} / {@code features(..)}), the
 * first {@link #fit} takes it from the data, as Keras builds a model on its first batch.
 */
public final class Model {
    /** The layers, head and seed while the input is not yet known; null once compiled. */
    private ModelDraft draft;
    private final DataType dtype;
    private ModelSpec spec;
    private CompiledModel compiled;
    private TrainingHistory lastHistory;

    private Model(ModelSpec spec, ModelDraft draft, DataType dtype) {
        this.spec = spec;
        this.draft = draft;
        this.dtype = dtype;
        if (spec != null) this.compiled = Compiler.compile(spec, dtype);
    }

    /** Compiles a complete spec in single precision (what training uses). */
    public static Model compile(ModelSpec spec) {
        return compile(spec, DataType.FLOAT);
    }

    public static Model compile(ModelSpec spec, DataType dtype) {
        return new Model(spec, null, dtype);
    }

    /** A model whose input size will come from the first data it is fitted on (the draft is validated already). */
    public static Model deferred(ModelDraft draft) {
        return new Model(null, draft, DataType.FLOAT);
    }

    public boolean isCompiled() {
        return compiled != null;
    }

    public ModelSpec spec() {
        requireCompiled("spec()");
        return spec;
    }

    /** The vocabulary the model reads and writes, or null (real-valued input, or only a size was given). */
    public Vocab vocab() {
        return spec == null ? null : spec.vocab();
    }

    /** The compiled graph (layers, parameters); for inspection and tests. */
    public CompiledModel graph() {
        requireCompiled("graph()");
        return compiled;
    }

    // ---------------------------------------------------------------- training

    public TrainingHistory fit(SequenceDataset data) {
        return fit(data, FitOptions.defaults());
    }

    /** Trains on {@code data}; see {@link FitOptions} for epochs/steps, optimizer, clipping, truncated BPTT. */
    public TrainingHistory fit(SequenceDataset data, FitOptions options) {
        bindInput(data);
        try {
            lastHistory = new Trainer<>(compiled).fit(data, options);
        } catch (TrainingDivergedException e) {
            lastHistory = e.history(); // history() says how far it got and why it stopped
            throw e;
        }
        return lastHistory;
    }

    /** The history of the last fit, or null before the first. */
    public TrainingHistory history() {
        return lastHistory;
    }

    private void bindInput(SequenceDataset data) {
        if (compiled != null) return;
        if (data.size() == 0) throw new IllegalArgumentException("the training data is empty: give at least one example");
        InputSpec input = data.vocabSize() > 0 ? InputSpec.tokens(data.vocabSize()) : InputSpec.features(data.featureSize());
        spec = draft.withInput(input, data.vocab());
        compiled = Compiler.compile(spec, dtype);
        draft = null;
    }

    // ---------------------------------------------------------------- inference

    /** Predictions for batch-first inputs: probabilities per class or values, {@code [B,T,C]} or {@code [B,C]}. */
    public INDArray predict(INDArray inputs) {
        return predict(inputs, null);
    }

    public INDArray predict(INDArray inputs, INDArray mask) {
        requireCompiled("predict()");
        checkPredictInputs(inputs, mask);
        checkTokenIds(inputs);
        compiled.resetState();
        INDArray p = compiled.predict(inputs, mask, Mode.eval());
        compiled.resetState();
        return p;
    }

    /** Class probabilities (or values) for one text, encoded with the model's vocabulary. */
    public INDArray predict(String text) {
        Vocab v = requireVocab("predict(String)");
        int[] ids = v.encodeStrict(text);
        if (ids.length == 0) throw new IllegalArgumentException("predict(text) got an empty text; give at least one token");
        return predict(Nd4j.createFromArray(new int[][] {ids}).castTo(DataType.FLOAT));
    }

    /** Mean loss and accuracy (NaN for regression) on a dataset, and perplexity for language models. */
    public Evaluation evaluate(SequenceDataset data) {
        requireEvaluable(data);
        double[] r = Trainer.evaluate(compiled, data, 32);
        boolean lm = spec.perStep() && spec.head().kind() == Head.Kind.SOFTMAX;
        return new Evaluation(r[0], r[1], lm ? Math.exp(r[0]) : Double.NaN, data.size());
    }

    /** Loss, accuracy and perplexity of {@link #evaluate}. */
    public record Evaluation(double loss, double accuracy, double perplexity, int examples) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(String.format("Evaluation(%d examples: loss %.4f", examples, loss));
            if (!Double.isNaN(accuracy)) s.append(String.format(", accuracy %.4f", accuracy));
            if (!Double.isNaN(perplexity)) s.append(String.format(", perplexity %.3f", perplexity));
            return s.append(')').toString();
        }
    }

    private void requireEvaluable(SequenceDataset data) {
        requireCompiled("evaluate()");
        if (data.size() == 0) throw new IllegalArgumentException("the evaluation data is empty");
    }

    /**
     * The gradient of the loss on one batch with respect to every parameter, named as in
     * {@link #params()} ({@code rnn_1/W_hh}) and shaped like it: what one training step computes
     * before clipping and the update (full backpropagation through time over the batch, state
     * starting from zeros; dropout, if any, with one mask seeded by the model's seed). The model is
     * left as it was: weights untouched, no state carried, the gradient buffer cleared.
     */
    public Gradients gradients(org.seqlab.data.Batch batch) {
        requireCompiled("gradients()");
        if (batch == null) throw new IllegalArgumentException("gradients() needs a batch: e.g. data.batches(8, null).get(0)");
        checkTokenIds(batch.inputs());
        compiled.resetState();
        try {
            org.seqlab.train.Measured m = compiled.forwardBackward(batch, new Mode(true, false, false, new Random(spec.seed())));
            Map<String, INDArray> grads = new LinkedHashMap<>();
            compiled.parameters().gradsByName().forEach((name, g) -> grads.put(name, g.dup()));
            return new Gradients(m.loss(), java.util.Collections.unmodifiableMap(grads));
        } finally {
            compiled.parameters().grads().assign(0);
            compiled.resetState();
        }
    }

    /** The loss of one batch and the gradient of every parameter by name (copies, in the parameters' shapes). */
    public record Gradients(double loss, Map<String, INDArray> byName) {
        /** The gradient of one parameter; an unknown name is an error that lists the names. */
        public INDArray get(String name) {
            INDArray g = byName.get(name);
            if (g == null) throw new IllegalArgumentException("no parameter '" + name + "'; parameters: " + byName.keySet());
            return g;
        }

        /** The global L2 norm over every parameter, as the trainer reports it before clipping. */
        public double norm() {
            double sum = 0;
            for (INDArray g : byName.values()) {
                double n = g.norm2Number().doubleValue();
                sum += n * n;
            }
            return Math.sqrt(sum);
        }

        @Override
        public String toString() {
            return String.format("Gradients(loss %.4f, %d parameters, global norm %.4g)", loss, byName.size(), norm());
        }
    }

    /**
     * Samples {@code n} tokens after {@code prompt}, one at a time, carrying the recurrent state (and
     * the attention cache) from step to step instead of re-reading the prefix. Temperature 0 picks the
     * most likely token; 1 samples the model's distribution; higher is more random.
     */
    public String generate(String prompt, int n, double temperature) {
        Vocab v = requireVocab("generate(String, ...)");
        int[] ids = generate(v.encodeStrict(prompt), n, temperature, spec.seed());
        return v.decode(ids);
    }

    /** Token-id form of {@link #generate(String, int, double)}; returns only the new ids. */
    public int[] generate(int[] prompt, int n, double temperature, long seed) {
        requireCompiled("generate()");
        if (!spec.perStep() || spec.head().kind() != Head.Kind.SOFTMAX || !spec.input().isTokens()) {
            throw new IllegalStateException("generate() needs a next-token model: token input and a per-step softmax head");
        }
        for (Layer l : compiled.layers()) {
            if (l instanceof Bidirectional) {
                throw new IllegalStateException("generate() steps forward in time, but " + l.name()
                        + " is bidirectional (it reads the future); train a unidirectional model to generate");
            }
        }
        if (prompt.length == 0) throw new IllegalArgumentException("generate() needs a prompt of at least one token");
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        if (!(temperature >= 0)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        checkTokenIds(Nd4j.createFromArray(new int[][] {prompt}));
        int steps = prompt.length + Math.max(n - 1, 0); // the last sampled token is not fed back
        if (steps > compiled.maxPositions()) {
            throw new IllegalArgumentException("the prompt (" + prompt.length + " tokens) and " + n + " new tokens need "
                    + steps + " positions, but the model's learned positions (positional(" + compiled.maxPositions()
                    + ")) stop at " + compiled.maxPositions() + "; generate at most "
                    + Math.max(0, compiled.maxPositions() - prompt.length + 1) + " tokens after this prompt, or train with "
                    + "positional() (sinusoidal, any length)");
        }
        Random random = new Random(seed);
        Mode stepping = new Mode(false, true, false, random);
        int[] out = new int[n];
        compiled.resetState();
        try {
            double[] logits = lastLogits(prompt, stepping);
            for (int i = 0; i < n; i++) {
                int next = sample(logits, temperature, random);
                out[i] = next;
                if (i + 1 < n) logits = lastLogits(new int[] {next}, stepping);
            }
        } finally {
            compiled.resetState();
        }
        return out;
    }

    /**
     * Logits after the last of {@code ids} (batch 1). With one sequence, time-major rows are the ids
     * in order, so the input is built directly (one array, no cast or transpose), and the last row is
     * read with one bulk copy: generation runs this once per token.
     */
    private double[] lastLogits(int[] ids, Mode mode) {
        INDArray x;
        long[] shape = {ids.length, 1};
        if (compiled.dtype() == DataType.FLOAT) {
            float[] v = new float[ids.length];
            for (int i = 0; i < v.length; i++) v[i] = ids[i];
            x = Nd4j.create(v, shape, 'c');
        } else if (compiled.dtype() == DataType.DOUBLE) {
            double[] v = new double[ids.length];
            for (int i = 0; i < v.length; i++) v[i] = ids[i];
            x = Nd4j.create(v, shape, 'c');
        } else {
            x = Nd4j.createFromArray(new int[][] {ids}).castTo(compiled.dtype()).reshape('c', ids.length, 1);
        }
        return compiled.forwardThenRelease(new SeqTensor(x, ids.length, 1, null), mode, out -> lastRow(out.data()));
    }

    /** The last row of {@code logits} as doubles (one bulk copy when it is dense). */
    private static double[] lastRow(INDArray logits) {
        int cols = (int) logits.columns();
        long from = (logits.rows() - 1) * cols;
        double[] row = new double[cols];
        if (logits.rank() == 2 && logits.ordering() == 'c' && logits.offset() == 0 && logits.elementWiseStride() == 1) {
            if (logits.dataType() == DataType.FLOAT) {
                float[] f = new float[cols];
                logits.data().asNioFloat().get((int) from, f, 0, cols);
                for (int i = 0; i < cols; i++) row[i] = f[i];
                return row;
            }
            if (logits.dataType() == DataType.DOUBLE) {
                logits.data().asNioDouble().get((int) from, row, 0, cols);
                return row;
            }
        }
        return logits.getRow(logits.rows() - 1).toDoubleVector();
    }

    private static int sample(double[] logits, double temperature, Random random) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        if (temperature == 0) return best;
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - logits[best]) / temperature);
            sum += p[i];
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u <= 0) return i;
        }
        return best;
    }

    /** Shapes the graph cannot take, refused in our words before ND4J sees them. */
    private void checkPredictInputs(INDArray inputs, INDArray mask) {
        if (inputs == null) throw new IllegalArgumentException("predict() needs inputs, got null");
        String expected = spec.input().isTokens() ? "[batch, time] token ids" : "[batch, time, " + spec.input().features() + "] values";
        String shape = java.util.Arrays.toString(inputs.shape());
        if (inputs.rank() != (spec.input().isTokens() ? 2 : 3)) {
            String hint = inputs.rank() == (spec.input().isTokens() ? 1 : 2)
                    ? "; for one sequence add the batch dimension: inputs.reshape(1, " + (spec.input().isTokens() ? "n" : "n, "
                    + spec.input().features()) + ")"
                    : "";
            throw new IllegalArgumentException("predict() takes " + expected + ", got shape " + shape + hint);
        }
        if (inputs.isEmpty() || inputs.size(0) == 0 || inputs.size(1) == 0) {
            throw new IllegalArgumentException("predict() got an empty input, shape " + shape + "; give at least one sequence "
                    + "of at least one step");
        }
        if (mask != null && (mask.rank() != 2 || mask.size(0) != inputs.size(0) || mask.size(1) != inputs.size(1))) {
            throw new IllegalArgumentException("the mask must be [batch, time] = [" + inputs.size(0) + ", " + inputs.size(1)
                    + "] like the inputs, got " + java.util.Arrays.toString(mask.shape()));
        }
    }

    private void checkTokenIds(INDArray inputs) {
        if (!spec.input().isTokens() || inputs.rank() != 2) return;
        double min = inputs.minNumber().doubleValue(), max = inputs.maxNumber().doubleValue();
        if (min < 0 || max >= spec.input().vocabSize()) {
            throw new IllegalArgumentException("token id " + (long) (min < 0 ? min : max) + " is outside the vocabulary "
                    + "[0, " + spec.input().vocabSize() + "); encode inputs with the model's Vocab (unknown tokens map to <unk>)");
        }
    }

    // ---------------------------------------------------------------- inspection (org.seqlab.inspect)
    // Inputs: a String (encoded with the model's vocabulary), an int[] of token ids, or an INDArray
    // ([T] / [1,T] ids, or [1,T,F] values). Each result draws its own pictures: png(), savePng(path).

    /** Gates and states of every recurrent layer per step and unit, as the training forward pass computes them. */
    public org.seqlab.inspect.GateTrace gates(Object input) {
        return org.seqlab.inspect.GateTrace.of(graph(), inspectInput(input));
    }

    /** Attention weights of every attention layer and head. */
    public org.seqlab.inspect.AttentionMaps attention(Object input) {
        return org.seqlab.inspect.AttentionMaps.of(graph(), inspectInput(input));
    }

    /** Every layer's output vector per step. */
    public org.seqlab.inspect.HiddenStates states(Object input) {
        return org.seqlab.inspect.HiddenStates.of(graph(), inspectInput(input));
    }

    /** The embedding table on its two main principal components, with token labels. */
    public org.seqlab.inspect.EmbeddingMap embeddingMap() {
        return org.seqlab.inspect.EmbeddingMap.of(graph(), vocab());
    }

    /**
     * |dL/dh_t| per step of every recurrent layer for the loss at the last step; {@code targets}
     * batch-first for this one sequence as in {@link Batch} ({@code [1,T]}, {@code [1]}, {@code [1,T,n]}, {@code [1,n]}).
     */
    public org.seqlab.inspect.GradientFlow gradientFlow(Object input, INDArray targets) {
        return org.seqlab.inspect.GradientFlow.of(graph(), inspectInput(input), targets);
    }

    /** {@link #gradientFlow(Object, INDArray)} with one class id: the sequence's class, or the last step's. */
    public org.seqlab.inspect.GradientFlow gradientFlow(Object input, int targetClass) {
        org.seqlab.inspect.InspectInput in = inspectInput(input);
        INDArray y = spec.perStep() ? Nd4j.valueArrayOf(new long[] {1, in.time()}, (double) targetClass, compiled.dtype())
                : Nd4j.createFromArray(new double[] {targetClass}).castTo(compiled.dtype());
        return org.seqlab.inspect.GradientFlow.of(graph(), in, y);
    }

    /** For next-token models: reads all of {@code text} but its last token and is scored on predicting that one. */
    public org.seqlab.inspect.GradientFlow gradientFlow(String text) {
        int[] ids = requireVocab("gradientFlow(String)").encodeStrict(text);
        if (ids.length < 2) throw new IllegalArgumentException("gradientFlow(text) needs at least two tokens: the input and the one to predict");
        return gradientFlow(java.util.Arrays.copyOf(ids, ids.length - 1), ids[ids.length - 1]);
    }

    private org.seqlab.inspect.InspectInput inspectInput(Object input) {
        requireCompiled("inspection");
        return org.seqlab.inspect.InspectInput.of(compiled, spec.vocab(), input);
    }

    // ---------------------------------------------------------------- description and persistence

    public ModelSummary summary() {
        requireCompiled("summary()");
        List<ModelSummary.Row> rows = new ArrayList<>();
        List<PlannedLayer> plan = spec.plan();
        List<Layer> layers = compiled.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            boolean pooled = i < plan.size() ? plan.get(i).pooled() : !spec.perStep();
            String shape = pooled ? "[B, " + l.outputSize() + "]" : "[B, T, " + l.outputSize() + "]";
            long count = l.paramSpecs().stream().mapToLong(ParamSpec::length).sum();
            rows.add(new ModelSummary.Row(l.name(), l.kind(), shape, count));
        }
        return new ModelSummary(rows, compiled.parameters().size(), compiled.loss().kind());
    }

    /** Parameters by name ({@code lstm_1/W_ih}); views, so writing into them changes the model. */
    public Map<String, INDArray> params() {
        requireCompiled("params()");
        return new LinkedHashMap<>(compiled.parameters().byName());
    }

    /** Writes spec, weights and vocabulary to one file, atomically (temporary file, then rename). */
    public void save(Path file) throws IOException {
        requireCompiled("save()");
        ModelFile.write(file, spec, compiled);
    }

    /** Reads a file written by {@link #save}; a truncated or foreign file gives a clear error. */
    public static Model load(Path file) throws IOException {
        ModelFile.Contents c = ModelFile.read(file); // checked against the spec's own parameter layout
        Model m = compile(c.spec(), c.dtype());
        m.compiled.parameters().values().assign(c.params());
        return m;
    }

    private void requireCompiled(String what) {
        if (compiled == null) {
            throw new IllegalStateException(what + " needs to know the input: call fit(data) first, or declare it "
                    + "with Seq.model().vocab(n) / .features(n)");
        }
    }

    private Vocab requireVocab(String what) {
        requireCompiled(what);
        if (spec.vocab() == null) {
            throw new IllegalStateException(what + " needs the model's Vocab: build with .vocab(vocab) or fit on a dataset "
                    + "that carries one (TextWindows); or use the token-id overload");
        }
        return spec.vocab();
    }

    @Override
    public String toString() {
        return compiled == null ? "Model(input not yet known: call fit(data))" : "Model\n" + summary();
    }
}
