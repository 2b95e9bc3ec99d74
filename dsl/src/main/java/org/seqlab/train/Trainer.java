package org.seqlab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.seqlab.data.TrainingBatch;
import org.seqlab.data.TrainingData;
import org.seqlab.layers.Mode;

/**
 * Batches in, weights updated: forward, backward through time (full or truncated), clipping,
 * optimizer step; one {@link StepRecord} per update, streamed to listeners. The thread's interrupt
 * flag is checked before every update, so a notebook's stop button ends training between two
 * steps with the weights reached so far.
 *
 * <p>It trains any {@link Trainable} on data of its batch type: a sequence model on a
 * {@link org.seqlab.data.SequenceDataset}, an encoder-decoder on {@link org.seqlab.data.ParallelText}.
 *
 * @param <B> the batch type
 */
public final class Trainer<B extends TrainingBatch<B>> {
    private final Trainable<B> model;

    public Trainer(Trainable<B> model) {
        this.model = model;
    }

    public TrainingHistory fit(TrainingData<B> data, FitOptions options) {
        model.checkCompatible(data, options);
        TrainingData<B> train = data;
        TrainingData<B> validation = null;
        if (options.validationFraction() > 0) {
            List<? extends TrainingData<B>> parts = data.split(options.validationFraction(), options.seed());
            train = parts.get(0);
            validation = parts.get(1);
        }
        Random shuffle = new Random(options.seed());
        Random dropout = new Random(model.seed() * 31 + options.seed());
        boolean contiguous = train.contiguous();
        int stepsPerEpoch = stepsPerEpoch(train, options);
        int totalSteps = options.steps() > 0 ? options.steps() : options.epochs() * stepsPerEpoch;
        int plannedEpochs = options.steps() > 0 ? (int) Math.ceil(totalSteps / (double) stepsPerEpoch) : options.epochs();

        List<TrainingListener> listeners = new ArrayList<>(TrainingListeners.createDefaults());
        listeners.addAll(options.listeners());
        TrainingHistory history = new TrainingHistory();
        Optimizer optimizer = options.optimizer();
        INDArray params = model.parameterValues();
        INDArray grads = model.gradients();
        optimizer.attach(params);
        listeners.forEach(l -> l.onStart(totalSteps, plannedEpochs));

        long started = System.nanoTime();
        int step = 0;
        double bestValidation = Double.POSITIVE_INFINITY;
        INDArray bestParams = null;
        int epochsWithoutImprovement = 0;
        boolean perStepLm = model.reportsPerplexity();
        try {
            boolean stop = false;
            for (int epoch = 1; epoch <= plannedEpochs && !stop; epoch++) {
                model.resetState();
                double epochLoss = 0;
                int epochSteps = 0;
                batches:
                for (B batch : train.batches(options.batchSize(), contiguous ? null : shuffle)) {
                    if (!contiguous) model.resetState();
                    for (B chunk : batch.chunks(options.tbptt())) {
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
                        Measured m = model.forwardBackward(chunk, mode);
                        step++;
                        double gradNorm = grads.norm2Number().doubleValue();
                        if (!Double.isFinite(m.loss()) || !Double.isFinite(gradNorm)) {
                            throw diverged(step, epoch, m.loss(), gradNorm, optimizer, options, history);
                        }
                        double clipped = clip(grads, gradNorm, options);
                        optimizer.step(params, grads, step - 1, epoch - 1);
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
        } finally {
            model.resetState();
        }
        for (TrainingListener l : listeners) l.onEnd(history);
        return history;
    }

    /** Mean loss and accuracy over a dataset, without dropout or gradients: {loss, accuracy}. */
    public static <B extends TrainingBatch<B>> double[] evaluate(Trainable<B> model, TrainingData<B> data, int batchSize) {
        double lossSum = 0;
        long weight = 0, correct = 0, counted = 0;
        boolean contiguous = data.contiguous();
        model.resetState();
        for (B batch : data.batches(batchSize, null)) {
            if (!contiguous) model.resetState();
            Measured m = model.forwardBackward(batch, new Mode(false, contiguous, false, new Random(0)));
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
    private static <B extends TrainingBatch<B>> int stepsPerEpoch(TrainingData<B> train, FitOptions options) {
        int steps = 0;
        for (B b : train.batches(options.batchSize(), null)) steps += b.chunks(options.tbptt()).size();
        return Math.max(steps, 1);
    }

    private static TrainingDivergedException diverged(int step, int epoch, double loss, double gradNorm,
                                                      Optimizer optimizer, FitOptions options, TrainingHistory history) {
        String what = !Double.isFinite(loss) ? "the loss became " + loss : "the gradient norm became " + gradNorm;
        String fix = options.clipNorm() > 0
                ? "lower the learning rate (now " + optimizer.learningRate() + ", try " + optimizer.learningRate() / 10 + ")"
                : "clip gradients (.clipNorm(5)) or lower the learning rate (now " + optimizer.learningRate() + ")";
        return new TrainingDivergedException("training diverged at step " + step + " (epoch " + epoch + "): " + what
                + ". The update was not applied; the model keeps the weights of step " + (step - 1) + ". Try: " + fix + ".",
                step, history);
    }
}
