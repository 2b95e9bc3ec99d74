package org.seqlab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.seqlab.data.TrainingBatch;
import org.seqlab.data.TrainingData;
import org.seqlab.layers.Mode;
import org.seqlab.layers.StepBuffers;

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
        double dataScale = model.dataScale(data, options.batchSize());
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

        List<TrainingListener> listeners = new ArrayList<>(options.isQuiet() ? List.of() : TrainingListeners.createDefaults());
        listeners.addAll(options.listeners());
        TrainingHistory history = new TrainingHistory();
        Optimizer optimizer = options.optimizer();
        INDArray params = model.parameterValues();
        INDArray grads = model.gradients();
        optimizer.attach(params);
        DivergenceGuard guard = new DivergenceGuard(params, options.lossGrowthFactor(), options.lossGrowthSteps());
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
            StepBuffers.drain(); // the pooled step buffers: a notebook should not keep a step's arrays after fit
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
}
