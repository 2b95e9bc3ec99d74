package org.seqlab.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.data.Batch;
import org.seqlab.data.SequenceDataset;
import org.seqlab.data.TrainingData;
import org.seqlab.layers.Layer;
import org.seqlab.layers.Loss;
import org.seqlab.layers.Mode;
import org.seqlab.layers.PositionLimited;
import org.seqlab.layers.SeqTensor;
import org.seqlab.layers.SoftmaxCrossEntropy;
import org.seqlab.layers.StepBuffers;
import org.seqlab.model.Head;
import org.seqlab.model.ModelSpec;
import org.seqlab.train.FitOptions;
import org.seqlab.train.Measured;
import org.seqlab.train.Trainable;

/**
 * The layers of a model wired in order, its loss and its parameters. It converts the API's
 * batch-first arrays to the layers' time-major rows and back, and runs one forward and backward
 * pass; the trainer owns everything around that (updates, clipping, state carrying, events).
 */
public final class CompiledModel implements Trainable<Batch> {
    private final ModelSpec spec;
    private final List<Layer> layers;
    private final Loss loss;
    private final DataType dtype;
    private final ParameterBuffer parameters;

    public CompiledModel(ModelSpec spec, List<Layer> layers, Loss loss, DataType dtype) {
        this.spec = spec;
        this.layers = List.copyOf(layers);
        this.loss = loss;
        this.dtype = dtype;
        this.parameters = new ParameterBuffer(this.layers, dtype);
        Random init = new Random(spec.seed());
        for (Layer layer : this.layers) layer.initialize(init);
    }

    public ModelSpec spec() { return spec; }

    public List<Layer> layers() { return layers; }

    public Loss loss() { return loss; }

    public DataType dtype() { return dtype; }

    public ParameterBuffer parameters() { return parameters; }

    @Override
    public INDArray parameterValues() { return parameters.values(); }

    @Override
    public INDArray gradients() { return parameters.grads(); }

    @Override
    public long seed() { return spec.seed(); }

    @Override
    public boolean reportsPerplexity() {
        return spec.perStep() && spec.head().kind() == Head.Kind.SOFTMAX;
    }

    @Override
    public double dataScale(TrainingData<Batch> data, int batchSize) {
        return org.seqlab.train.DataScan.check((SequenceDataset) data, dtype, batchSize);
    }

    /** Refuses data that does not fit the model (a sequence dataset of the right kind and sizes). */
    @Override
    public void checkCompatible(TrainingData<Batch> data, FitOptions options) {
        if (!(data instanceof SequenceDataset sequences)) {
            throw new IllegalArgumentException("a sequence model trains on a SequenceDataset (TextWindows, LabelledSequences, "
                    + "...), not " + data.getClass().getSimpleName());
        }
        SequenceDataChecks.check(this, sequences, options);
    }

    /** Batch-first inputs ({@code [B,T]} ids or {@code [B,T,F]} values) and mask as time-major layer input. */
    public SeqTensor inputs(INDArray batchFirst, INDArray mask) {
        int b = (int) batchFirst.size(0), t = (int) batchFirst.size(1);
        INDArray rows;
        if (batchFirst.rank() == 2) {
            if (!spec.input().isTokens()) {
                throw new IllegalArgumentException("the model reads " + spec.input().features()
                        + " features per step: give inputs shaped [batch, time, " + spec.input().features()
                        + "], not [batch, time]");
            }
            rows = batchFirst.castTo(dtype).transpose().dup('c').reshape('c', (long) t * b, 1);
        } else if (batchFirst.rank() == 3) {
            if (spec.input().isTokens()) {
                throw new IllegalArgumentException("the model reads token ids: give inputs shaped [batch, time], not "
                        + java.util.Arrays.toString(batchFirst.shape()));
            }
            long f = batchFirst.size(2);
            if (f != spec.input().features()) {
                throw new IllegalArgumentException("inputs have " + f + " features per step but the model was built with "
                        + "features(" + spec.input().features() + ")");
            }
            rows = batchFirst.castTo(dtype).permute(1, 0, 2).dup('c').reshape('c', (long) t * b, f);
        } else {
            throw new IllegalArgumentException("inputs must be [batch, time] token ids or [batch, time, features] values, got "
                    + java.util.Arrays.toString(batchFirst.shape()));
        }
        INDArray maskRows = mask == null ? null : timeMajorColumn(mask.castTo(dtype));
        return new SeqTensor(rows, t, b, maskRows);
    }

    /** Batch-first targets as the loss's time-major rows. */
    public INDArray targets(Batch batch) {
        INDArray y = batch.targets().castTo(dtype);
        if (!spec.perStep()) {
            return y.rank() == 1 ? y.reshape(y.length(), 1) : y;
        }
        if (y.rank() == 2) return timeMajorColumn(y);
        long b = y.size(0), t = y.size(1), n = y.size(2);
        return y.permute(1, 0, 2).dup('c').reshape('c', t * b, n);
    }

    /** A batch-first {@code [B, T]} array as the time-major column {@code [T*B, 1]} (row t*B + b). */
    static INDArray timeMajorColumn(INDArray batchByTime) {
        return batchByTime.transpose().dup('c').reshape('c', batchByTime.length(), 1);
    }

    /** Runs every layer; returns the raw outputs (logits or values) in time-major rows. */
    public SeqTensor forward(SeqTensor input, Mode mode) {
        SeqTensor x = input;
        for (Layer layer : layers) x = layer.forward(x, mode);
        return x;
    }

    /**
     * Runs every layer, hands the output to {@code read}, then frees what the pass made, as a training
     * step does: the arrays passed between layers ({@code input} included) and what each layer kept
     * for a backward. Carried state (recurrent states, the key/value cache) is the layers' own and stays.
     * Generation runs this once per token: left to the garbage collector, those small arrays kept about
     * 1 GB resident while an LSTM 512 generated for a few seconds.
     */
    public <R> R forwardThenRelease(SeqTensor input, Mode mode, java.util.function.Function<SeqTensor, R> read) {
        List<INDArray> passed = new ArrayList<>();
        passed.add(input.data());
        try {
            SeqTensor x = input;
            for (Layer layer : layers) {
                x = layer.forward(x, mode);
                passed.add(x.data());
            }
            return read.apply(x);
        } finally {
            for (INDArray a : passed) StepBuffers.free(a);
            for (Layer layer : layers) layer.releaseStep();
        }
    }

    /**
     * Forward pass with loss; when {@code mode.training()}, also the backward pass into the gradient
     * buffer. The arrays passed between layers (outputs and gradients) live only for this call and are
     * freed at its end: ND4J frees native memory only when the Java garbage collector runs, which on a
     * small heap can be dozens of steps, and resident memory then grew by every step's activations.
     */
    @Override
    public Measured forwardBackward(Batch batch, Mode mode) {
        List<INDArray> passed = new ArrayList<>();
        StepBuffers.openStep();
        try {
            SeqTensor out = inputs(batch.inputs(), batch.mask());
            passed.add(out.data());
            for (Layer layer : layers) {
                out = layer.forward(out, mode);
                passed.add(out.data());
            }
            INDArray targets = targets(batch);
            passed.add(targets);
            double value = loss.forward(out, targets);
            long[] acc = accuracy(out, targets);
            if (mode.training()) {
                parameters.grads().assign(0);
                SeqTensor grad = loss.backward();
                for (int i = layers.size() - 1; i >= 0 && grad != null; i--) {
                    passed.add(grad.data());
                    grad = layers.get(i).backward(grad);
                }
                if (grad != null) passed.add(grad.data());
            }
            return new Measured(value, acc[0], acc[1]);
        } finally {
            // Views are skipped by close(); an array listed twice is freed once. The batch's own arrays are
            // not ours to free (targets(batch) can be the batch's array itself, or share its buffer), and
            // datasets hand out the same batch again in later epochs.
            for (INDArray a : passed) {
                if (a != null && !sharesBuffer(a, batch)) StepBuffers.free(a);
            }
            for (Layer layer : layers) layer.releaseStep();
            StepBuffers.closeStep();
        }
    }

    private static boolean sharesBuffer(INDArray a, Batch batch) {
        for (INDArray owned : new INDArray[] {batch.inputs(), batch.targets(), batch.mask()}) {
            if (owned != null && (a == owned || bufferOf(a) == bufferOf(owned))) return true;
        }
        return false;
    }

    private static Object bufferOf(INDArray a) {
        var data = a.data();
        return data.originalDataBuffer() != null ? data.originalDataBuffer() : data;
    }

    /** Correct and counted predictions for class heads ({0, 0} for regression heads). */
    private long[] accuracy(SeqTensor out, INDArray targets) {
        if (spec.head().kind() == Head.Kind.LINEAR) return new long[] {0, 0};
        INDArray predicted;
        INDArray truth;
        if (spec.head().kind() == Head.Kind.SOFTMAX && loss instanceof SoftmaxCrossEntropy sce) {
            // The loss's own argmax pass already counted the hits on real rows.
            long counted = out.mask() == null ? out.data().rows() : out.mask().sumNumber().longValue();
            return new long[] {sce.lastCorrect(), counted};
        }
        if (spec.head().kind() == Head.Kind.SOFTMAX) {
            predicted = Nd4j.argMax(out.data(), 1).reshape(out.data().rows(), 1).castTo(dtype);
            truth = targets;
        } else {
            predicted = out.data().gt(0.0).castTo(dtype);
            truth = targets;
        }
        INDArray hit = predicted.eq(truth).castTo(dtype);
        long counted;
        if (out.mask() != null) {
            hit.muliColumnVector(out.mask());
            counted = out.mask().sumNumber().longValue() * hit.columns();
        } else {
            counted = hit.length();
        }
        return new long[] {hit.sumNumber().longValue(), counted};
    }

    /** Predictions (probabilities or values), batch-first: {@code [B,T,C]} per step or {@code [B,C]} per sequence. */
    public INDArray predict(INDArray batchFirstInputs, INDArray mask, Mode mode) {
        SeqTensor in = inputs(batchFirstInputs, mask);
        SeqTensor out = forward(in, mode);
        INDArray p = loss.predict(out.data());
        if (!spec.perStep()) return p;
        return p.reshape('c', out.time(), out.batch(), p.columns()).permute(1, 0, 2).dup('c');
    }

    /** The most steps a sequence may have from its start (learned position tables), or Integer.MAX_VALUE. */
    public int maxPositions() {
        int max = Integer.MAX_VALUE;
        for (Layer layer : layers) if (layer instanceof PositionLimited p) max = Math.min(max, p.maxPositions());
        return max;
    }

    @Override
    public void resetState() {
        for (Layer layer : layers) layer.resetState();
    }
}
