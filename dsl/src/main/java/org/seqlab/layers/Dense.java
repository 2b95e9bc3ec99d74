package org.seqlab.layers;

import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Position-wise affine map and activation: {@code y = act(x W + b)} on every row.
 *
 * <p>{@code W [in, out]} (torch Linear's weight transposed), {@code b [out]}. Initialisation:
 * Glorot/Xavier uniform for W, zeros for b.
 * Backward with {@code g = act'(y) * dy}: {@code dW += x^T g}, {@code db += sum_rows g},
 * {@code dx = g W^T}.
 */
public final class Dense extends Layer {
    private final int in;
    private final int out;
    private final Activation activation;
    private SeqTensor lastInput;
    private INDArray lastOutput;
    private final AffineMap affine = new AffineMap();
    /** GELU only: its slope at the input, Phi(x) + x phi(x), which backward multiplies by. */
    private INDArray lastGeluSlope;

    public Dense(String name, int in, int out, Activation activation) {
        super(name);
        Checks.positive(name, "input size", in);
        Checks.positive(name, "output size", out);
        this.in = in;
        this.out = out;
        this.activation = activation == null ? Activation.IDENTITY : activation;
    }

    @Override
    public String kind() {
        return "Dense(" + activation.label() + ")";
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int outputSize() {
        return out;
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        return List.of(new ParamSpec("W", new long[] {in, out}, "[in, out]: y = x W + b"),
                new ParamSpec("b", new long[] {out}, "[out]"));
    }

    @Override
    public void initialize(Random random) {
        Init.xavierUniform(params.value("W"), in, out, random);
        params.value("b").assign(0);
    }

    @Override
    public SeqTensor forward(SeqTensor input, Mode mode) {
        Checks.width(this, input, in);
        INDArray y = affine.forward(input.data(), params.value("W"), params.value("b"));
        if (activation == Activation.GELU) {
            lastGeluSlope = Activation.geluInPlace(y);
        } else {
            activation.applyInPlace(y);
        }
        lastInput = input;
        lastOutput = y;
        return input.withData(y);
    }

    /** Frees GELU's slope it kept; its output and input are the caller's. */
    @Override
    public void releaseStep() {
        release(lastGeluSlope);
        lastGeluSlope = null;
        lastOutput = null;
        lastInput = null;
    }

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        Checks.backwardAfterForward(this, lastInput);
        // Identity needs no copy: nothing below writes into g.
        INDArray g = switch (activation) {
            case IDENTITY -> gradOutput.data();
            case GELU -> gradOutput.data().mul(lastGeluSlope, StepBuffers.like(lastGeluSlope));
            default -> activation.backpropInPlace(gradOutput.data().dup(), lastOutput);
        };
        INDArray dx = affine.backward(lastInput.data(), g, params.value("W"), params.grad("W"), params.grad("b"));
        if (g != gradOutput.data()) StepBuffers.free(g); // our copy: freed now rather than at the next garbage collection
        return lastInput.withData(dx);
    }
}
