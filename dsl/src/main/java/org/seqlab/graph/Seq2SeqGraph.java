package org.seqlab.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.data.Padding;
import org.seqlab.data.PairBatch;
import org.seqlab.data.ParallelText;
import org.seqlab.data.TrainingData;
import org.seqlab.data.Vocab;
import org.seqlab.decode.StepDecoder;
import org.seqlab.layers.AttendsToMemory;
import org.seqlab.layers.Dense;
import org.seqlab.layers.EncoderBridge;
import org.seqlab.layers.Layer;
import org.seqlab.layers.Lstm;
import org.seqlab.layers.Mode;
import org.seqlab.layers.RecurrentLayer;
import org.seqlab.layers.RowSelectable;
import org.seqlab.layers.SeqTensor;
import org.seqlab.layers.SoftmaxCrossEntropy;
import org.seqlab.layers.StepBuffers;
import org.seqlab.train.FitOptions;
import org.seqlab.train.Measured;
import org.seqlab.train.Trainable;

/**
 * An encoder-decoder wired for training and decoding: the encoder's layers read the source ids and
 * write the memory {@code [S*B, Dm]}; every decoder layer that attends ({@link AttendsToMemory}) is
 * given the memory; a recurrent decoder starts from {@link EncoderBridge} (its first recurrent
 * layer's initial state, {@code tanh(summary W + b)}); the decoder's layers read the target inputs
 * ({@code <s> y1 ..}) and a dense output layer gives logits over the target vocabulary, scored by
 * softmax cross-entropy on the targets ({@code y1 .. </s>}) at the real target steps.
 *
 * <p>Backward runs the decoder in reverse; dL/d(memory) is the sum of what each attending layer and
 * the bridge send back, and flows into the encoder in reverse. One flat parameter buffer holds the
 * encoder's, the bridge's, the decoder's and the output layer's parameters in that order.
 *
 * <p><b>Teacher forcing below 1</b> ({@link #teacherForcing}) is two-pass scheduled sampling
 * (Bengio et al. 2015, in the two-pass form of Mihaylova and Liu 2019): a first pass without
 * gradients reads the true target inputs and predicts every step (argmax); the training pass then
 * reads, at each real target step after {@code <s>}, the model's own prediction of that token with
 * probability {@code 1 - ratio} (seeded), else the true one. Both passes run whole sequences, so the
 * recurrent and attention layers keep their one-gemm-per-step training path; gradients do not flow
 * through the choice, as in Bengio et al.
 *
 * <p><b>Truncated BPTT</b> cuts the target into chunks ({@link PairBatch#chunks}); each chunk runs the
 * encoder on the whole source again and the decoder from where the previous chunk ended (its state
 * carried, detached); the bridge starts the first chunk only.
 *
 * <p><b>Decoding</b> ({@link #stepper}) encodes the sources once and steps the decoder one token per
 * call: recurrent states and key/value caches carry, the memory's projections are computed once.
 */
public final class Seq2SeqGraph implements Trainable<PairBatch> {
    private final List<Layer> encoder;
    private final EncoderBridge bridge;
    private final RecurrentLayer bridged;
    private final List<Layer> decoder;
    private final Dense output;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    private final ParameterBuffer parameters;
    private final DataType dtype;
    private final long seed;
    private final Vocab sourceVocab;
    private final Vocab targetVocab;
    private double teacherForcing = 1.0;
    private Random sampling = new Random(0);
    private INDArray lastDecoderInputs;

    /**
     * @param bridge null when the decoder has no recurrent layer (a transformer decoder); otherwise it
     *               starts the decoder's first recurrent layer
     */
    public Seq2SeqGraph(List<Layer> encoder, EncoderBridge bridge, List<Layer> decoder, Dense output, Vocab sourceVocab,
                        Vocab targetVocab, long seed, DataType dtype) {
        this.encoder = List.copyOf(encoder);
        this.decoder = List.copyOf(decoder);
        this.output = output;
        this.sourceVocab = sourceVocab;
        this.targetVocab = targetVocab;
        this.seed = seed;
        this.dtype = dtype;
        RecurrentLayer first = null;
        for (Layer l : decoder) {
            if (l instanceof RecurrentLayer r) {
                first = r;
                break;
            }
        }
        if (bridge != null && first == null) throw new IllegalArgumentException("a bridge needs a recurrent decoder layer to start");
        if (bridge != null && bridge.outputSize() != first.hiddenSize()) {
            throw new IllegalArgumentException("the bridge writes " + bridge.outputSize() + " values but " + first.name()
                    + " has " + first.hiddenSize() + " units");
        }
        this.bridge = bridge;
        this.bridged = bridge == null ? null : first;
        this.parameters = new ParameterBuffer(layers(), dtype);
        Random init = new Random(seed);
        for (Layer layer : layers()) layer.initialize(init);
    }

    /** Every layer in parameter order: encoder, bridge, decoder, output. */
    public List<Layer> layers() {
        List<Layer> all = new ArrayList<>(encoder);
        if (bridge != null) all.add(bridge);
        all.addAll(decoder);
        all.add(output);
        return List.copyOf(all);
    }

    public List<Layer> encoderLayers() { return encoder; }

    public List<Layer> decoderLayers() { return decoder; }

    /** The bridge, or null (transformer decoders start from nothing but {@code <s>}). */
    public EncoderBridge bridge() { return bridge; }

    public Dense output() { return output; }

    public ParameterBuffer parameters() { return parameters; }

    public DataType dtype() { return dtype; }

    public Vocab sourceVocab() { return sourceVocab; }

    public Vocab targetVocab() { return targetVocab; }

    @Override
    public INDArray parameterValues() { return parameters.values(); }

    @Override
    public INDArray gradients() { return parameters.grads(); }

    @Override
    public long seed() { return seed; }

    @Override
    public boolean reportsPerplexity() { return true; }

    /**
     * The probability of reading the true previous token in training (1: always, teacher forcing);
     * below 1 the model's own predictions are fed back (two-pass scheduled sampling, see above),
     * chosen with a source seeded by {@code samplingSeed}.
     */
    public void teacherForcing(double ratio, long samplingSeed) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("teacher forcing ratio is " + ratio + "; use a value in [0, 1] (1: always the true token)");
        }
        this.teacherForcing = ratio;
        this.sampling = new Random(seed * 31 + samplingSeed);
    }

    public double teacherForcing() { return teacherForcing; }

    /** What the decoder read in the last training pass ({@code [B, T]}, batch first), for tests and inspection. */
    public INDArray lastDecoderInputs() { return lastDecoderInputs; }

    // ---------------------------------------------------------------- forward and backward

    /** Runs the encoder (never carrying state: every batch or chunk reads its whole source). */
    public SeqTensor encode(INDArray source, INDArray sourceMask, Mode mode) {
        SeqTensor x = ids(source, sourceMask);
        Mode fresh = mode.withCarryState(false);
        for (Layer l : encoder) x = l.forward(x, fresh);
        return x;
    }

    /** Gives the memory to every attending decoder layer and, at the start of a target, sets the bridged state. */
    private void startDecoder(SeqTensor memory, boolean fromStart, Mode mode) {
        for (Layer l : decoder) if (l instanceof AttendsToMemory a) a.attendTo(memory);
        if (!fromStart) return;
        for (Layer l : decoder) l.resetState();
        if (bridge != null) bridged.setInitialState(initialState(bridge.forward(memory, mode).data()));
    }

    private List<INDArray> initialState(INDArray h0) {
        return bridged instanceof Lstm ? List.of(h0, Nd4j.zeros(h0.dataType(), h0.shape())) : List.of(h0);
    }

    /** Decoder layers and the output layer over time-major target inputs; returns the logits. */
    private SeqTensor decode(SeqTensor inputs, Mode mode) {
        SeqTensor x = inputs;
        for (Layer l : decoder) x = l.forward(x, mode);
        return output.forward(x, mode);
    }

    @Override
    public Measured forwardBackward(PairBatch batch, Mode mode) {
        StepBuffers.openStep();
        try {
            SeqTensor memory = encode(batch.source(), batch.sourceMask(), mode);
            boolean fromStart = batch.targetOffset() == 0 || !mode.carryState();
            startDecoder(memory, fromStart, mode);
            INDArray inputs = batch.targetInputs();
            if (mode.training() && teacherForcing < 1) {
                SeqTensor firstPass = decode(ids(inputs, batch.targetMask()), new Mode(false, false, false, mode.random()));
                inputs = mixedInputs(batch, firstPass.data());
            }
            lastDecoderInputs = inputs;
            SeqTensor logits = decode(ids(inputs, batch.targetMask()), mode);
            double value = loss.forward(logits, CompiledModel.timeMajorColumn(batch.targets().castTo(dtype)));
            long counted = batch.tokens();
            if (mode.training()) {
                parameters.grads().assign(0);
                SeqTensor g = output.backward(loss.backward());
                for (int i = decoder.size() - 1; i >= 0 && g != null; i--) g = decoder.get(i).backward(g);
                INDArray dMemory = Nd4j.zeros(dtype, memory.data().rows(), memory.width());
                for (Layer l : decoder) if (l instanceof AttendsToMemory a && a.memoryGradient() != null) dMemory.addi(a.memoryGradient());
                if (fromStart && bridge != null) {
                    INDArray dh0 = bridged.initialStateGradients().get(0);
                    dMemory.addi(bridge.backward(new SeqTensor(dh0, 1, batch.size(), null)).data());
                }
                SeqTensor d = memory.withData(dMemory);
                for (int i = encoder.size() - 1; i >= 0 && d != null; i--) d = encoder.get(i).backward(d);
            }
            return new Measured(value, loss.lastCorrect(), counted);
        } finally {
            // as CompiledModel does after each step: what the layers kept for this backward is freed now
            for (Layer l : encoder) l.releaseStep();
            for (Layer l : decoder) l.releaseStep();
            if (bridge != null) bridge.releaseStep();
            output.releaseStep();
            StepBuffers.closeStep();
        }
    }

    /**
     * The training pass's decoder inputs: at each real step t >= 1, with probability 1 - ratio, the
     * first pass's prediction at step t - 1 (its guess of the token the true input holds) instead.
     */
    private INDArray mixedInputs(PairBatch batch, INDArray firstPassLogits) {
        int b = batch.size(), t = batch.targetTime();
        long[] predicted = Nd4j.argMax(firstPassLogits, 1).castTo(DataType.LONG).dup().data().asLong(); // row t*B + b
        float[] in = batch.targetInputs().castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] mask = batch.targetMask() == null ? null : batch.targetMask().castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int k = 0; k < b; k++) {
            for (int s = 1; s < t; s++) {
                if (mask != null && mask[k * t + s] == 0) continue;
                if (sampling.nextDouble() >= teacherForcing) in[k * t + s] = predicted[(s - 1) * b + k];
            }
        }
        return Nd4j.create(in, new long[] {b, t}, 'c');
    }

    /**
     * The logits of a teacher-forced pass over the batch (no gradients), time-major {@code [T*B, V]}
     * with the target mask; with {@code record}, attending layers keep their weights.
     */
    public SeqTensor teacherForcedLogits(PairBatch batch, boolean record) {
        Mode eval = Mode.eval().withRecord(record);
        SeqTensor memory = encode(batch.source(), batch.sourceMask(), eval);
        startDecoder(memory, true, eval);
        return decode(ids(batch.targetInputs(), batch.targetMask()), eval);
    }

    /** Argmax predictions {@code [B, T]} of a teacher-forced pass over the batch (no gradients). */
    public INDArray teacherForcedPredictions(PairBatch batch) {
        SeqTensor logits = teacherForcedLogits(batch, false);
        int b = batch.size(), t = batch.targetTime();
        return Nd4j.argMax(logits.data(), 1).castTo(DataType.FLOAT).reshape('c', t, b).transpose().dup('c');
    }

    /** Batch-first ids and mask as time-major layer input. */
    private SeqTensor ids(INDArray batchFirst, INDArray mask) {
        int b = (int) batchFirst.size(0), t = (int) batchFirst.size(1);
        INDArray rows = CompiledModel.timeMajorColumn(batchFirst.castTo(dtype));
        return new SeqTensor(rows, t, b, mask == null ? null : CompiledModel.timeMajorColumn(mask.castTo(dtype)));
    }

    @Override
    public void resetState() {
        for (Layer l : layers()) l.resetState();
    }

    @Override
    public void checkCompatible(TrainingData<PairBatch> data, FitOptions options) {
        if (!(data instanceof ParallelText pairs)) {
            throw new IllegalArgumentException("an encoder-decoder trains on sentence pairs (ParallelText), not "
                    + data.getClass().getSimpleName());
        }
        if (pairs.size() == 0) throw new IllegalArgumentException("the training data is empty: give at least one pair");
        requireVocab("source", pairs.sourceVocab(), sourceVocab);
        requireVocab("target", pairs.targetVocab(), targetVocab);
        if (teacherForcing < 1 && options.tbptt() > 0) {
            throw new IllegalArgumentException("scheduled sampling (teacher forcing " + teacherForcing + ") reads each target "
                    + "twice, whole; it does not combine with truncated BPTT: remove .tbptt(" + options.tbptt() + ") or use teacherForcing(1)");
        }
    }

    private static void requireVocab(String side, Vocab data, Vocab model) {
        if (data.equals(model)) return;
        throw new IllegalArgumentException("the data's " + side + " vocabulary (" + data.size() + " tokens) is not the model's ("
                + model.size() + " tokens), so the same id would mean different tokens; encode the pairs with the model's "
                + "vocabularies: ParallelText.of(pairs, model.sourceVocab(), model.targetVocab()), or build the model with "
                + "Seq.seq2seq(data.sourceVocab(), data.targetVocab())");
    }

    // ---------------------------------------------------------------- decoding

    /**
     * A decoder stepping over the given sources (one row each, ids ending in {@code </s>}): the sources are
     * encoded once; each {@link StepDecoder#step} feeds one token per row. With {@code record}, attending
     * layers keep their weights of each step (inspection reads them after each call).
     */
    public StepDecoder stepper(int[][] sources, boolean record) {
        return new Stepper(sources, record);
    }

    private final class Stepper implements StepDecoder {
        private final Mode mode;
        private int rows;

        Stepper(int[][] sources, boolean record) {
            int[] lengths = new int[sources.length];
            for (int r = 0; r < lengths.length; r++) lengths[r] = sources[r].length;
            Mode eval = Mode.eval();
            this.mode = new Mode(false, true, record, new Random(seed));
            SeqTensor memory = encode(Padding.ids(sources), Padding.mask(lengths, Padding.maxLength(lengths)), eval);
            startDecoder(memory, true, eval);
            this.rows = sources.length;
        }

        @Override
        public int vocabSize() {
            return output.outputSize();
        }

        @Override
        public double[][] step(int[] tokens) {
            if (tokens.length != rows) throw new IllegalArgumentException(tokens.length + " tokens for " + rows + " rows");
            SeqTensor x = new SeqTensor(idColumn(tokens), 1, rows, null);
            INDArray logits = decode(x, mode).data();
            double[][] out = logits.castTo(DataType.DOUBLE).toDoubleMatrix();
            for (double[] row : out) logSoftmaxInPlace(row);
            return out;
        }

        @Override
        public void select(int[] parents) {
            for (Layer l : decoder) if (l instanceof RowSelectable s) s.selectRows(parents);
            rows = parents.length;
        }
    }

    /** A {@code [n, 1]} column of token ids in the model's dtype, built with one bulk copy. */
    private INDArray idColumn(int[] tokens) {
        long[] shape = {tokens.length, 1};
        if (dtype == DataType.FLOAT) {
            float[] f = new float[tokens.length];
            for (int i = 0; i < f.length; i++) f[i] = tokens[i];
            return Nd4j.create(f, shape, 'c');
        }
        double[] d = new double[tokens.length];
        for (int i = 0; i < d.length; i++) d[i] = tokens[i];
        return Nd4j.create(d, shape, 'c').castTo(dtype);
    }

    /** {@code z - log(sum(exp(z)))}, in place: logits to log-probabilities. */
    public static void logSoftmaxInPlace(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) max = Math.max(max, v);
        double sum = 0;
        for (double v : z) sum += Math.exp(v - max);
        double log = max + Math.log(sum);
        for (int i = 0; i < z.length; i++) z[i] -= log;
    }
}
