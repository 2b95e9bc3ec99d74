package org.seqlab.layers;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Elman recurrent layer, as PyTorch's {@code nn.RNN}:
 * {@code h_t = act(x_t W_ih + h_{t-1} W_hh + b)} with act tanh or relu.
 *
 * <p>Parameters: {@code W_ih [in, H]} (= torch {@code weight_ih_l0}^T), {@code W_hh [H, H]},
 * {@code b [H]} (= {@code bias_ih_l0 + bias_hh_l0}). With {@code identityInit} (Le, Jaitly and
 * Hinton 2015, "IRNN", meant for relu) W_hh starts as the identity and b as zero, so the state is
 * copied forward at first and gradients neither vanish nor explode early in training; W_ih keeps
 * PyTorch's U(-1/sqrt(H), 1/sqrt(H)). Recorded internals: {@code h}.
 */
public final class SimpleRnn extends RecurrentLayer {
    // Lanes of one step (see RecurrentLayer.Layout).
    private static final int A = 0, DA = 1, H_PREV = 2, DH = 3;
    private static final Layout LAYOUT = new Layout(4, new int[] {A}, new int[] {DA}, new int[] {H_PREV},
            new int[] {A}, new int[] {DH}, new int[] {Layout.NONE}, new int[0], new int[0], new int[0]);

    private final Activation activation;
    private final boolean identityInit;

    public SimpleRnn(String name, int inputSize, int hidden, Activation activation, boolean identityInit) {
        super(name, inputSize, hidden, LAYOUT);
        if (activation != Activation.TANH && activation != Activation.RELU) {
            throw new IllegalArgumentException(name + ": a simple RNN uses tanh or relu, not " + activation.label());
        }
        this.activation = activation;
        this.identityInit = identityInit;
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public String kind() {
        return "RNN(" + activation.label() + (identityInit ? ", identity init" : "") + ")";
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        long h = hidden;
        return List.of(
                spec("W_ih", "[in, H]; x_t W_ih", inputSize, h),
                spec("W_hh", "[H, H]; h_{t-1} W_hh", h, h),
                spec("b", "[H] (PyTorch bias_ih + bias_hh)", h));
    }

    @Override
    public void initialize(Random random) {
        fillUniform(params.value("W_ih"), random);
        if (identityInit) {
            params.value("W_hh").assign(Nd4j.eye(hidden).castTo(params.value("W_hh").dataType()));
            params.value("b").assign(0);
        } else {
            fillUniform(params.value("W_hh"), random);
            fillUniform(params.value("b"), random);
        }
    }

    @Override
    protected String inputBiasName() {
        return "b";
    }

    /* h_t = act(a): the activation is the state, so the gate lane is the state lane. */
    @Override
    protected void forwardCell(StepLanes x) {
        if (activation == Activation.RELU) x.relu(A);
        else x.tanh(A);
    }

    /* da = dh act'(a), from the output h_t (tanh: 1 - h^2; relu: h > 0); dL/dh_{t-1} = da W_hh^T. */
    @Override
    protected void backwardCell(StepLanes x) {
        if (activation == Activation.RELU) x.reluGrad(DA, DH, A);
        else x.tanhGrad(DA, DH, A);
    }

    /** Only the state h. */
    @Override
    public List<Gate> recordedGates() {
        return List.of(Gate.HIDDEN);
    }

    @Override
    protected Map<String, INDArray> record(INDArray output) {
        return Map.of("h", output.dup());
    }
}
