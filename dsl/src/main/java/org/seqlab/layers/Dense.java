package org.seqlab.layers;

import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
    private INDArray ones;

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
        INDArray y = biasRows(params.value("b"), (int) input.data().rows());
        Blas.gemm(input.data(), params.value("W"), y, false, false, 1.0, 1.0);
        activation.applyInPlace(y);
        lastInput = input;
        lastOutput = y;
        return input.withData(y);
    }

    /** A new {@code [rows, out]} array with b in every row, built in Java (one bulk copy, no native op). */
    private INDArray biasRows(INDArray b, int rows) {
        long[] shape = {rows, out};
        if (b.dataType() == DataType.FLOAT) {
            float[] v = RowAccess.floats(b), tiled = new float[rows * out];
            for (int r = 0; r < rows; r++) System.arraycopy(v, 0, tiled, r * out, out);
            return Nd4j.create(tiled, shape, 'c');
        }
        if (b.dataType() == DataType.DOUBLE) {
            double[] v = RowAccess.values(b), tiled = new double[rows * out];
            for (int r = 0; r < rows; r++) System.arraycopy(v, 0, tiled, r * out, out);
            return Nd4j.create(tiled, shape, 'c');
        }
        return Nd4j.create(b.dataType(), shape).addiRowVector(b);
    }

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        Checks.backwardAfterForward(this, lastInput);
        // Identity needs no copy: nothing below writes into g.
        INDArray g = activation == Activation.IDENTITY ? gradOutput.data()
                : activation.backpropInPlace(gradOutput.data().dup(), lastOutput);
        Blas.gemm(lastInput.data(), g, params.grad("W"), true, false, 1.0, 1.0);
        // Column sums as a gemv with a ones column (sum over dimension 0 of a c-order matrix is a strided walk).
        if (ones == null || ones.rows() != g.rows() || ones.dataType() != g.dataType()) ones = Nd4j.ones(g.dataType(), g.rows(), 1);
        INDArray db = params.grad("b");
        Blas.gemm(ones, g, db.reshape(1, db.length()), true, false, 1.0, 1.0);
        return lastInput.withData(Blas.gemm(g, params.value("W"), false, true));
    }
}
