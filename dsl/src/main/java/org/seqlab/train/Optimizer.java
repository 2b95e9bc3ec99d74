package org.seqlab.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;

/**
 * The update rule, applied to the model's flat parameter buffer with its flat gradient.
 * Adam and RMSProp are ND4J's updaters, configured with PyTorch's defaults (Adam betas 0.9/0.999,
 * eps 1e-8; RMSProp alpha 0.99, eps 1e-8). SGD is written here because ND4J's momentum updater is
 * Nesterov's, while the lectures and PyTorch's {@code SGD(momentum=m)} use classical momentum:
 * v = m v + g, p = p - lr v.
 */
public abstract sealed class Optimizer {
    protected final double learningRate;

    private Optimizer(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    public static Optimizer sgd(double learningRate) {
        return new Sgd(learningRate, 0);
    }

    public static Optimizer sgd(double learningRate, double momentum) {
        return new Sgd(learningRate, momentum);
    }

    public static Optimizer adam(double learningRate) {
        return new Nd4jUpdater(learningRate, new Adam(learningRate, 0.9, 0.999, 1e-8), "Adam");
    }

    public static Optimizer rmsProp(double learningRate) {
        return new Nd4jUpdater(learningRate, new RmsProp(learningRate, 0.99, 1e-8), "RMSProp");
    }

    public double learningRate() {
        return learningRate;
    }

    /** Prepares state for a parameter buffer of this shape; called once per fit. */
    abstract void attach(INDArray params);

    /** Updates {@code params} in place from {@code grads} (which may be overwritten). */
    abstract void step(INDArray params, INDArray grads, int iteration, int epoch);

    /** Drops the state built from diverged steps (moments, velocity), so the next fit starts it afresh. */
    abstract void forget();

    /** The range of learning rates this rule usually trains with, {low, high}, for advice when a fit diverges. */
    abstract double[] usualRates();

    public abstract String describe();

    static final class Sgd extends Optimizer {
        private final double momentum;
        private INDArray velocity;

        Sgd(double learningRate, double momentum) {
            super(learningRate);
            if (momentum < 0 || momentum >= 1) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            this.momentum = momentum;
        }

        @Override
        void attach(INDArray params) {
            if (momentum > 0 && (velocity == null || velocity.length() != params.length())) {
                velocity = Nd4j.zeros(params.dataType(), params.shape());
            }
        }

        @Override
        void step(INDArray params, INDArray grads, int iteration, int epoch) {
            if (momentum > 0) {
                velocity.muli(momentum).addi(grads);
                params.subi(velocity.mul(learningRate));
            } else {
                params.subi(grads.muli(learningRate));
            }
        }

        @Override
        void forget() {
            velocity = null;
        }

        @Override
        double[] usualRates() {
            return new double[] {1e-3, 1};
        }

        @Override
        public String describe() {
            return momentum > 0 ? "SGD(lr=" + learningRate + ", momentum=" + momentum + ")" : "SGD(lr=" + learningRate + ")";
        }
    }

    static final class Nd4jUpdater extends Optimizer {
        private final IUpdater config;
        private final String label;
        private GradientUpdater<?> updater;
        private long attachedLength = -1;

        Nd4jUpdater(double learningRate, IUpdater config, String label) {
            super(learningRate);
            this.config = config;
            this.label = label;
        }

        @Override
        void attach(INDArray params) {
            if (attachedLength == params.length()) return; // keep moment estimates across fit() calls
            long stateSize = config.stateSize(params.length());
            INDArray state = stateSize == 0 ? null : Nd4j.zeros(params.dataType(), 1, stateSize);
            updater = config.instantiate(state, true);
            attachedLength = params.length();
        }

        @Override
        void step(INDArray params, INDArray grads, int iteration, int epoch) {
            updater.applyUpdater(grads, iteration, epoch); // turns the gradient into the update, lr included
            params.subi(grads);
        }

        @Override
        void forget() {
            updater = null;
            attachedLength = -1;
        }

        @Override
        double[] usualRates() {
            return new double[] {1e-4, 1e-2};
        }

        @Override
        public String describe() {
            return label + "(lr=" + learningRate + ")";
        }
    }
}
