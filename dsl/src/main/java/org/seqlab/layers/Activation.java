package org.seqlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Element-wise activations with their derivatives, as backprop needs them: through the output for
 * tanh, sigmoid and relu; through the input for GELU, whose derivative the output does not determine.
 */
public enum Activation {
    IDENTITY, TANH, RELU, SIGMOID,
    /** {@code x * Phi(x)} with the exact normal CDF {@code Phi(x) = (1 + erf(x / sqrt 2)) / 2}, as torch's default GELU. */
    GELU;

    private static final double INV_SQRT2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    /** Applies the activation in place and returns {@code x}. */
    public INDArray applyInPlace(INDArray x) {
        return switch (this) {
            case IDENTITY -> x;
            case TANH -> Transforms.tanh(x, false);
            case RELU -> Transforms.relu(x, false);
            case SIGMOID -> Transforms.sigmoid(x, false);
            case GELU -> x.muli(normalCdf(x));
        };
    }

    /**
     * Multiplies {@code grad} in place by the derivative at the point whose activation output is
     * {@code y} (tanh: 1-y^2, sigmoid: y(1-y), relu: y>0); returns {@code grad}.
     */
    public INDArray backpropInPlace(INDArray grad, INDArray y) {
        return switch (this) {
            case IDENTITY -> grad;
            case TANH -> grad.muli(y.mul(y).rsubi(1.0));
            case RELU -> grad.muli(y.gt(0.0).castTo(y.dataType()));
            case SIGMOID -> grad.muli(y.rsub(1.0).muli(y));
            case GELU -> throw new IllegalStateException("GELU's derivative needs its input: use backpropInPlace(grad, y, x)");
        };
    }

    /** As {@link #backpropInPlace(INDArray, INDArray)}, with the input {@code x} too (GELU: {@code Phi(x) + x phi(x)}). */
    public INDArray backpropInPlace(INDArray grad, INDArray y, INDArray x) {
        return this == GELU ? geluBackpropInPlace(grad, x, normalCdf(x)) : backpropInPlace(grad, y);
    }

    /**
     * GELU in place on {@code x}; returns its slope at the input, {@code Phi(x) + x phi(x)}, a new
     * array that the backward pass multiplies by. Float arrays go through {@link FloatGelu}.
     */
    static INDArray geluInPlace(INDArray x) {
        if (StepGemm.VECTORS && FloatGelu.applies(x)) return FloatGelu.applyInPlace(x);
        INDArray cdf = normalCdf(x);
        INDArray slope = geluSlope(x, cdf);
        x.muli(cdf);
        cdf.close();
        return slope;
    }

    /** {@code grad * (Phi(x) + x phi(x))} in place, given the input {@code x} and {@code cdf = Phi(x)}. */
    static INDArray geluBackpropInPlace(INDArray grad, INDArray x, INDArray cdf) {
        INDArray slope = geluSlope(x, cdf);
        grad.muli(slope);
        slope.close();
        return grad;
    }

    /** {@code Phi(x) + x phi(x)}, a new array. */
    private static INDArray geluSlope(INDArray x, INDArray cdf) {
        return Transforms.exp(x.mul(x).muli(-0.5), false).muli(INV_SQRT_2PI).muli(x).addi(cdf);
    }

    /** {@code (1 + erf(x / sqrt 2)) / 2}, a new array. */
    private static INDArray normalCdf(INDArray x) {
        INDArray scaled = x.mul(INV_SQRT2);
        return Nd4j.exec(new Erf(scaled, scaled)).addi(1).muli(0.5);
    }

    public String label() {
        return name().toLowerCase();
    }
}
