package org.seqlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sequence to one: the mean over each sequence's real steps, {@code y_b = sum_t m_tb x_tb / n_b}
 * (n_b = number of real steps, at least 1). Output {@code [B, width]}, time 1, no mask.
 * Backward: {@code dx_tb = m_tb dy_b / n_b}.
 */
public final class MeanPool extends Layer {
    private final int width;
    private INDArray lastWeights;
    private SeqTensor lastInput;

    public MeanPool(String name, int width) {
        super(name);
        Checks.positive(name, "width", width);
        this.width = width;
    }

    @Override
    public String kind() {
        return "MeanPool";
    }

    @Override
    public int inputSize() {
        return width;
    }

    @Override
    public int outputSize() {
        return width;
    }

    @Override
    public SeqTensor forward(SeqTensor input, Mode mode) {
        Checks.width(this, input, width);
        int time = input.time(), batch = input.batch();
        boolean[] real = RowAccess.real(input.mask(), time * batch);
        int[] count = new int[batch];
        for (int r = 0; r < real.length; r++) if (real[r]) count[r % batch]++;
        // Per-row weight m_tb / n_b: the mean is then one weighted sum over time.
        double[] w = new double[real.length];
        for (int r = 0; r < real.length; r++) w[r] = real[r] ? 1.0 / count[r % batch] : 0.0;
        INDArray x = input.data();
        lastWeights = Nd4j.create(w, new long[] {w.length, 1}, x.dataType());
        lastInput = input;
        INDArray pooled = x.mulColumnVector(lastWeights).reshape('c', time, batch, width).sum(0);
        return new SeqTensor(pooled, 1, batch, null);
    }

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        Checks.backwardAfterForward(this, lastInput);
        INDArray dx = Nd4j.tile(gradOutput.data(), lastInput.time(), 1).muliColumnVector(lastWeights);
        return lastInput.withData(dx);
    }
}
