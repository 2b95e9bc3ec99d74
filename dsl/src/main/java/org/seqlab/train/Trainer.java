package org.seqlab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.seqlab.data.Batch;
import org.seqlab.data.SequenceDataset;
import org.seqlab.data.TargetKind;
import org.seqlab.graph.CompiledModel;
import org.seqlab.layers.Mode;
import org.seqlab.model.Head;

/**
 * Batches in, weights updated: forward, backward through time (full or truncated), clipping,
 * optimizer step; one {@link StepRecord} per update, streamed to listeners. The thread's interrupt
 * flag is checked before every update, so a notebook's stop button ends training between two
 * steps with the weights reached so far.
 */
public final class Trainer {
    private final CompiledModel model;

    public Trainer(CompiledModel model) {
        this.model = model;
    }

    public TrainingHistory fit(SequenceDataset data, FitOptions options) {
        checkCompatible(model, data, options);
        double dataScale = DataScan.check(data, model.dtype(), options.batchSize());
        SequenceDataset train = data;
        SequenceDataset validation = null;
        if (options.validationFraction() > 0) {
            List<SequenceDataset> parts = data.split(options.validationFraction(), options.seed());
            train = parts.get(0);
            validation = parts.get(1);
        }
        Random shuffle = new Random(options.seed());
        Random dropout = new Random(model.spec().seed() * 31 + options.seed());
        boolean contiguous = train.contiguous();
        int stepsPerEpoch = stepsPerEpoch(train, options);
        int totalSteps = options.steps() > 0 ? options.steps() : options.epochs() * stepsPerEpoch;
        int plannedEpochs = options.steps() > 0 ? (int) Math.ceil(totalSteps / (double) stepsPerEpoch) : options.epochs();

        List<TrainingListener> listeners = new ArrayList<>(options.isQuiet() ? List.of() : TrainingListeners.createDefaults());
        listeners.addAll(options.listeners());
        TrainingHistory history = new TrainingHistory();
        Optimizer optimizer = options.optimizer();
        INDArray params = model.parameters().values();
        INDArray grads = model.parameters().grads();
        optimizer.attach(params);
        DivergenceGuard guard = new DivergenceGuard(params, options.lossGrowthFactor(), options.lossGrowthSteps());
        listeners.forEach(l -> l.onStart(totalSteps, plannedEpochs));

        long started = System.nanoTime();
        int step = 0;
        double bestValidation = Double.POSITIVE_INFINITY;
        INDArray bestParams = null;
        int epochsWithoutImprovement = 0;
        boolean perStepLm = model.spec().perStep() && model.spec().head().kind() == Head.Kind.SOFTMAX;
        try {
            boolean stop = false;
            for (int epoch = 1; epoch <= plannedEpochs && !stop; epoch++) {
                model.resetState();
                double epochLoss = 0;
                int epochSteps = 0;
                batches:
                for (Batch batch : train.batches(options.batchSize(), contiguous ? null : shuffle)) {
                    if (!contiguous) model.resetState();
                    for (Batch chunk : chunksOf(batch, options.tbptt())) {
                        if (step >= totalSteps) {
                            stop = true;
                            break batches;
                        }
                        if (Thread.currentThread().isInterrupted()) {
                            history.stoppedBecause(StopReason.INTERRUPTED);
                            stop = true;
                            break batches;
                        }
                        long t0 = System.nanoTime();
                        boolean carry = contiguous || options.tbptt() > 0;
                        Mode mode = new Mode(true, carry, false, dropout);
                        CompiledModel.Measured m = model.forwardBackward(chunk, mode);
                        step++;
                        double gradNorm = grads.norm2Number().doubleValue();
                        String problem = guard.beforeUpdate(step, m.loss(), gradNorm);
                        if (problem != null) throw diverged(step, epoch, problem, guard, optimizer, options, dataScale, history);
                        double clipped = clip(grads, gradNorm, options);
                        optimizer.step(params, grads, step - 1, epoch - 1);
                        problem = guard.afterUpdate(step);
                        if (problem != null) throw diverged(step, epoch, problem, guard, optimizer, options, dataScale, history);
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        double accuracy = m.counted() > 0 ? m.correct() / (double) m.counted() : Double.NaN;
                        StepRecord record = new StepRecord(step, totalSteps, epoch, m.loss(), accuracy,
                                perStepLm ? Math.exp(m.loss()) : Double.NaN, gradNorm, clipped,
                                optimizer.learningRate(), chunk.tokens() / seconds,
                                (System.nanoTime() - started) / 1_000_000);
                        history.add(record);
                        epochLoss += m.loss();
                        epochSteps++;
                        for (TrainingListener l : listeners) l.onStep(record);
                    }
                }
                if (epochSteps == 0) break;
                if (history.stopReason() == StopReason.INTERRUPTED) break; // no validation pass: the user asked to stop
                double[] val = validation == null ? new double[] {Double.NaN, Double.NaN} : evaluate(model, validation, options.batchSize());
                EpochRecord er = new EpochRecord(epoch, step, epochLoss / epochSteps, val[0], val[1]);
                history.add(er);
                for (TrainingListener l : listeners) l.onEpoch(er);
                if (options.patience() > 0 && validation != null) {
                    if (val[0] < bestValidation) {
                        bestValidation = val[0];
                        bestParams = params.dup();
                        epochsWithoutImprovement = 0;
                    } else if (++epochsWithoutImprovement >= options.patience()) {
                        params.assign(bestParams);
                        history.stoppedBecause(StopReason.EARLY_STOPPED);
                        stop = true;
                    }
                }
            }
        } catch (TrainingDivergedException e) {
            optimizer.forget(); // its moments come from the diverged steps; a next fit starts them afresh
            for (TrainingListener l : listeners) l.onEnd(history); // the live display says why it stopped
            throw e;
        } finally {
            model.resetState();
        }
        for (TrainingListener l : listeners) l.onEnd(history);
        return history;
    }

    /** Mean loss and accuracy over a dataset, without dropout or gradients: {loss, accuracy}. */
    public static double[] evaluate(CompiledModel model, SequenceDataset data, int batchSize) {
        double lossSum = 0;
        long weight = 0, correct = 0, counted = 0;
        boolean contiguous = data.contiguous();
        model.resetState();
        for (Batch batch : data.batches(batchSize, null)) {
            if (!contiguous) model.resetState();
            CompiledModel.Measured m = model.forwardBackward(batch, new Mode(false, contiguous, false, new Random(0)));
            long w = batch.tokens();
            lossSum += m.loss() * w;
            weight += w;
            correct += m.correct();
            counted += m.counted();
        }
        model.resetState();
        return new double[] {lossSum / Math.max(weight, 1), counted == 0 ? Double.NaN : correct / (double) counted};
    }

    private static double clip(INDArray grads, double norm, FitOptions options) {
        if (options.clipValue() > 0) {
            double v = options.clipValue();
            Transforms.max(grads, -v, false);
            Transforms.min(grads, v, false);
            norm = grads.norm2Number().doubleValue();
        }
        if (options.clipNorm() > 0 && norm > options.clipNorm()) {
            grads.muli(options.clipNorm() / norm);
            // Scaling by clip / norm makes the norm clip, up to float rounding: no second pass to report it.
            norm = options.clipNorm();
        }
        return norm;
    }

    /** Updates in one pass: one per batch, or one per truncated-BPTT chunk (batches may differ in length). */
    private static int stepsPerEpoch(SequenceDataset train, FitOptions options) {
        int k = options.tbptt();
        int steps = 0;
        for (Batch b : train.batches(options.batchSize(), null)) steps += k > 0 ? (b.time() + k - 1) / k : 1;
        return Math.max(steps, 1);
    }

    /** The batch itself for full BPTT; otherwise its consecutive time chunks of length k. */
    private static List<Batch> chunksOf(Batch batch, int k) {
        int t = batch.time();
        if (k <= 0 || t <= k) return List.of(batch);
        List<Batch> chunks = new ArrayList<>();
        for (int from = 0; from < t; from += k) {
            int to = Math.min(t, from + k);
            INDArray mask = batch.mask() == null ? null : slice(batch.mask(), from, to);
            if (mask != null && mask.sumNumber().doubleValue() == 0) break; // only padding left
            chunks.add(new Batch(slice(batch.inputs(), from, to), slice(batch.targets(), from, to), mask));
        }
        return chunks;
    }

    private static INDArray slice(INDArray batchFirst, int from, int to) {
        INDArrayIndex[] idx = new INDArrayIndex[batchFirst.rank()];
        idx[0] = NDArrayIndex.all();
        idx[1] = NDArrayIndex.interval(from, to);
        for (int d = 2; d < idx.length; d++) idx[d] = NDArrayIndex.all();
        return batchFirst.get(idx).dup('c');
    }

    /**
     * The exception for a divergence the guard found (the weights are already rolled back), with the
     * history marked DIVERGED. Advice starts with the data when it is unscaled, then the learning
     * rate against the optimizer's usual range, then clipping when there is none.
     */
    private static TrainingDivergedException diverged(int step, int epoch, String problem, DivergenceGuard guard,
                                                      Optimizer optimizer, FitOptions options, double dataScale,
                                                      TrainingHistory history) {
        List<String> fixes = new ArrayList<>();
        if (dataScale > DataScan.UNSCALED) {
            fixes.add(String.format("standardise the data: its values reach %.3g, and unscaled values make the steps too large "
                    + "at any learning rate (TimeSeriesWindows.of(..., true), or Standardizer)", dataScale));
        }
        double lr = optimizer.learningRate();
        double[] usual = optimizer.usualRates();
        fixes.add(lr > usual[1]
                ? "lower the learning rate: " + optimizer.describe() + " is far above the " + plain(usual[0]) + " to "
                  + plain(usual[1]) + " it usually trains with"
                : "lower the learning rate (now " + lr + ", try " + lr / 10 + ")");
        if (options.clipNorm() <= 0 && options.clipValue() <= 0) fixes.add("clip gradients (.clipNorm(5))");
        String what = "training diverged at step " + step + " (epoch " + epoch + "): " + problem + ". " + guard.restored() + ".";
        history.stoppedBecause(StopReason.DIVERGED, what);
        return new TrainingDivergedException(what + " Try: " + String.join("; or ", fixes) + ".", step, history);
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** Refuses data that does not fit the model, before any step runs. */
    static void checkCompatible(CompiledModel model, SequenceDataset data, FitOptions options) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("the training data is empty: give at least one example");
        }
        var spec = model.spec();
        Head head = spec.head();
        TargetKind kind = data.targetKind();
        boolean perStepData = kind == TargetKind.CLASS_PER_STEP || kind == TargetKind.VALUES_PER_STEP;
        if (perStepData != spec.perStep()) {
            throw new IllegalArgumentException(perStepData
                    ? "the data has a target for every step, but the model pools the sequence (last()/meanPool()); "
                      + "remove the pooling or use one label per sequence"
                    : "the data has one target per sequence, but the model predicts every step; add .last() or "
                      + ".meanPool() before the head");
        }
        boolean classData = kind == TargetKind.CLASS_PER_STEP || kind == TargetKind.CLASS_PER_SEQUENCE;
        if (head.kind() == Head.Kind.SOFTMAX) {
            if (!classData) throw new IllegalArgumentException("softmax predicts classes, but the data has real-valued "
                    + "targets; use .linear(" + data.targetSize() + ") for regression");
            if (data.targetSize() > head.units()) {
                throw new IllegalArgumentException("the data has " + data.targetSize() + " classes but the head has "
                        + head.units() + "; use .softmax(" + data.targetSize() + ")");
            }
        } else if (head.kind() == Head.Kind.LINEAR) {
            if (classData) throw new IllegalArgumentException("linear() predicts real values, but the data has class "
                    + "labels; use .softmax(" + data.targetSize() + ")");
            if (data.targetSize() != head.units()) {
                throw new IllegalArgumentException("the data has " + data.targetSize() + " target values per example but "
                        + "the head has " + head.units() + "; use .linear(" + data.targetSize() + ")");
            }
        }
        if (spec.input().isTokens()) {
            if (data.vocabSize() == 0) {
                throw new IllegalArgumentException("the model reads token ids but the data has real-valued inputs; "
                        + "declare the model with .features(" + data.featureSize() + ")");
            }
            if (data.vocabSize() > spec.input().vocabSize()) {
                throw new IllegalArgumentException("the data uses " + data.vocabSize() + " token ids but the model's "
                        + "vocabulary has " + spec.input().vocabSize() + "; build the model with .vocab(" + data.vocabSize() + ")");
            }
        } else if (data.vocabSize() > 0 || data.featureSize() != spec.input().features()) {
            throw new IllegalArgumentException("the model reads " + spec.input().features() + " features per step but the data has "
                    + (data.vocabSize() > 0 ? "token ids" : data.featureSize() + " features"));
        }
        int maxPositions = model.maxPositions();
        if (maxPositions < Integer.MAX_VALUE) {
            if (data.contiguous()) {
                throw new IllegalArgumentException("the model's learned positions (positional(" + maxPositions + ")) count "
                        + "from the start of a sequence, but contiguous streams continue one sequence from batch to batch, past "
                        + maxPositions + " steps; train on windows (TextWindows.of(text, vocab, window, stride) with window <= "
                        + maxPositions + ") or use positional() (sinusoidal, any length)");
            }
            if (data.maxLength() > maxPositions) {
                throw new IllegalArgumentException("the data has sequences of " + data.maxLength() + " steps but the model's "
                        + "learned positions stop at " + maxPositions + "; use positional(" + data.maxLength() + ") or shorter "
                        + "sequences");
            }
        }
        if (model.dtype() == org.nd4j.linalg.api.buffer.DataType.FLOAT && options.optimizer().learningRate() > Float.MAX_VALUE) {
            throw new IllegalArgumentException("the learning rate " + options.optimizer().learningRate() + " is beyond what float "
                    + "can hold (" + Float.MAX_VALUE + "), and this model computes in float; use a learning rate such as 1e-3");
        }
        if (options.tbptt() > 0 && !spec.perStep()) {
            throw new IllegalArgumentException("truncated BPTT needs a target at every step; this model predicts one "
                    + "per sequence: remove .tbptt(" + options.tbptt() + ")");
        }
    }
}
