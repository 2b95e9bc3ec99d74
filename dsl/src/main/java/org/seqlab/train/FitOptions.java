package org.seqlab.train;

import java.util.ArrayList;
import java.util.List;

/**
 * How to train: {@code FitOptions.epochs(5).batchSize(32).adam(2e-3).clipNorm(5).tbptt(50)}.
 * Defaults: one epoch, batch 32, Adam 1e-3, full BPTT, no clipping, no validation, seed 42.
 */
public final class FitOptions {
    private int epochs = 1;
    private int steps = 0;
    private int batchSize = 32;
    private Optimizer optimizer = Optimizer.adam(1e-3);
    private int tbptt = 0;
    private double clipNorm = 0;
    private double clipValue = 0;
    private double validationFraction = 0;
    private int patience = 0;
    private long seed = 42;
    private boolean quiet;
    private double teacherForcing = 1.0;
    private double lossGrowthFactor = DivergenceGuard.DEFAULT_FACTOR;
    private int lossGrowthSteps = DivergenceGuard.DEFAULT_STEPS;
    private final List<TrainingListener> listeners = new ArrayList<>();

    private FitOptions() {
    }

    public static FitOptions defaults() {
        return new FitOptions();
    }

    /** Train for {@code n} passes over the data. */
    public static FitOptions epochs(int n) {
        return new FitOptions().withEpochs(n);
    }

    /** Train for {@code n} optimizer updates, cycling through the data as needed. */
    public static FitOptions steps(int n) {
        FitOptions o = new FitOptions();
        if (n <= 0) throw new IllegalArgumentException("steps must be positive, got " + n);
        o.steps = n;
        return o;
    }

    public FitOptions withEpochs(int n) {
        if (n <= 0) throw new IllegalArgumentException("epochs must be positive, got " + n);
        this.epochs = n;
        this.steps = 0;
        return this;
    }

    public FitOptions batchSize(int n) {
        if (n <= 0) throw new IllegalArgumentException("batch size must be positive, got " + n);
        this.batchSize = n;
        return this;
    }

    public FitOptions optimizer(Optimizer o) {
        this.optimizer = o;
        return this;
    }

    public FitOptions sgd(double learningRate) { return optimizer(Optimizer.sgd(learningRate)); }

    public FitOptions sgd(double learningRate, double momentum) { return optimizer(Optimizer.sgd(learningRate, momentum)); }

    public FitOptions adam(double learningRate) { return optimizer(Optimizer.adam(learningRate)); }

    public FitOptions rmsProp(double learningRate) { return optimizer(Optimizer.rmsProp(learningRate)); }

    /**
     * Truncated BPTT: cut each batch into chunks of {@code k} steps, update after each, and carry the
     * hidden state (not its gradient) into the next chunk. 0 means full BPTT.
     */
    public FitOptions tbptt(int k) {
        if (k < 0) throw new IllegalArgumentException("truncated BPTT length must be >= 0 (0 = full BPTT), got " + k);
        this.tbptt = k;
        return this;
    }

    /** Rescale the whole gradient when its global L2 norm exceeds {@code maxNorm} (Pascanu et al. 2013). */
    public FitOptions clipNorm(double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("clipNorm must be positive, got " + maxNorm);
        this.clipNorm = maxNorm;
        return this;
    }

    /** Clamp every gradient element to [-v, v]. */
    public FitOptions clipValue(double v) {
        if (!(v > 0)) throw new IllegalArgumentException("clipValue must be positive, got " + v);
        this.clipValue = v;
        return this;
    }

    /** Hold out this fraction of the examples (seeded) and measure validation loss after each epoch. */
    public FitOptions validation(double fraction) {
        if (!(fraction > 0 && fraction < 1)) throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
        this.validationFraction = fraction;
        return this;
    }

    /** Stop when validation loss has not improved for {@code patience} epochs, and restore the best weights. */
    public FitOptions earlyStopping(int patience) {
        if (patience <= 0) throw new IllegalArgumentException("patience must be positive, got " + patience);
        this.patience = patience;
        return this;
    }

    /**
     * For encoder-decoders: the probability that the decoder reads the true previous target token
     * while training (1, the default: always, teacher forcing). Below 1 it reads its own prediction
     * instead, chosen per token with the fit's seed (two-pass scheduled sampling, see
     * {@code Seq2SeqGraph}); evaluation always reads the true tokens.
     */
    public FitOptions teacherForcing(double ratio) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("teacher forcing ratio is " + ratio + "; use a value in [0, 1] (1: always the true token)");
        }
        this.teacherForcing = ratio;
        return this;
    }

    /**
     * When the loss stays above {@code factor} times its start for {@code steps} steps in a row, the
     * fit counts as diverged: it rolls back to the last weights whose loss was below that and throws
     * {@link TrainingDivergedException}. Default: 10 times for 5 steps. The start is the median of
     * the first losses. {@code Double.POSITIVE_INFINITY} turns this check off (NaN and infinite
     * losses, gradients and weights are always caught).
     */
    public FitOptions lossGrowthLimit(double factor, int steps) {
        if (!(factor > 1)) throw new IllegalArgumentException("the loss growth factor must be above 1, got " + factor);
        if (steps <= 0) throw new IllegalArgumentException("the number of steps must be positive, got " + steps);
        this.lossGrowthFactor = factor;
        this.lossGrowthSteps = steps;
        return this;
    }

    public FitOptions seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Leaves out the listeners the environment attaches to every fit (a notebook's live loss chart):
     * for fits run in a loop and compared afterwards in one picture. Listeners given here still run.
     */
    public FitOptions quiet() {
        this.quiet = true;
        return this;
    }

    public FitOptions listener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    public int epochs() { return epochs; }

    public int steps() { return steps; }

    public int batchSize() { return batchSize; }

    public Optimizer optimizer() { return optimizer; }

    public int tbptt() { return tbptt; }

    public double clipNorm() { return clipNorm; }

    public double clipValue() { return clipValue; }

    public double validationFraction() { return validationFraction; }

    public int patience() { return patience; }

    public long seed() { return seed; }

    public double teacherForcing() { return teacherForcing; }

    public double lossGrowthFactor() { return lossGrowthFactor; }

    public int lossGrowthSteps() { return lossGrowthSteps; }

    public List<TrainingListener> listeners() { return List.copyOf(listeners); }

    public boolean isQuiet() { return quiet; }
}
