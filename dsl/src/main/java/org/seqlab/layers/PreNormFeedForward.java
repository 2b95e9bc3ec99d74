package org.seqlab.layers;

import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The pre-norm feed-forward sublayer both transformer blocks end with:
 * {@code y = h + Drop(W2 Drop(act(W1 LN(h) + b1)) + b2)}, and its backward. The parts belong to
 * the owning block, registered under the block's own names (so saved parameters and the torch
 * parity mapping keep theirs); this only wires them, once for {@link TransformerBlock} and
 * {@link TransformerDecoderBlock}.
 */
final class PreNormFeedForward {
    private final LayerNorm norm;
    private final Dense expand;
    private final Dropout hiddenDropout;
    private final Dense contract;
    private final Dropout outputDropout;

    PreNormFeedForward(LayerNorm norm, Dense expand, Dropout hiddenDropout, Dense contract, Dropout outputDropout) {
        this.norm = norm;
        this.expand = expand;
        this.hiddenDropout = hiddenDropout;
        this.contract = contract;
        this.outputDropout = outputDropout;
    }

    /** {@code h} plus the branch, a new array; {@code mark} sees every array passed between the parts. */
    INDArray forward(SeqTensor h, Mode mode, UnaryOperator<SeqTensor> mark) {
        SeqTensor f = mark.apply(contract.forward(mark.apply(hiddenDropout.forward(
                mark.apply(expand.forward(mark.apply(norm.forward(h, mode)), mode)), mode)), mode));
        f = mark.apply(outputDropout.forward(f, mode));
        return h.data().add(f.data());
    }

    /** dL/dh: the branch's gradient plus the residual's (written into the branch's fresh array, which is marked). */
    INDArray backward(SeqTensor gradOutput, UnaryOperator<SeqTensor> mark) {
        SeqTensor g = mark.apply(outputDropout.backward(gradOutput));
        g = mark.apply(norm.backward(mark.apply(expand.backward(mark.apply(hiddenDropout.backward(mark.apply(contract.backward(g))))))));
        return g.data().addi(gradOutput.data()); // g is a fresh array from the layer norm
    }
}
