package org.seqlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Element-wise activations with the derivative expressed through the output, as backprop needs it. */
public enum Activation {
    IDENTITY, TANH, RELU, SIGMOID;

    /** Applies the activation in place and returns {@code x}. */
    public INDArray applyInPlace(INDArray x) {
        return switch (this) {
            case IDENTITY -> x;
            case TANH -> Transforms.tanh(x, false);
            case RELU -> Transforms.relu(x, false);
            case SIGMOID -> Transforms.sigmoid(x, false);
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
        };
    }

    public String label() {
        return name().toLowerCase();
    }
}
