package org.seqlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training objective on top of the last layer's raw outputs (logits or values).
 *
 * <p>Targets use the same time-major row order as {@link SeqTensor}: class ids as a
 * {@code [rows, 1]} column for softmax cross-entropy, {@code [rows, n]} values for the sigmoid and
 * squared-error losses. Masked rows (mask 0) add neither loss nor gradient; the loss is the mean
 * over unmasked rows (and over outputs, for the element-wise losses), as PyTorch's defaults.
 */
public interface Loss {

    /** A short name for summaries: {@code softmax cross-entropy}, ... */
    String kind();

    /** Mean loss; caches what {@link #backward()} needs. */
    double forward(SeqTensor outputs, INDArray targets);

    /** dLoss/d(outputs) of the last forward call. */
    SeqTensor backward();

    /** What the model predicts from raw outputs: probabilities, or the values themselves. */
    INDArray predict(INDArray outputs);
}
