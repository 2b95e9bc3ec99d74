package org.seqlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout: in training each value is kept with probability 1-p and scaled by 1/(1-p), so
 * evaluation is the identity. The keep mask comes from {@code mode.random()} (the model's seeded
 * source), so a seed reproduces every mask.
 */
public final class Dropout extends Layer {
    private final int width;
    private final double p;
    private INDArray lastScale;

    public Dropout(String name, int width, double p) {
        super(name);
        Checks.positive(name, "width", width);
        LayerRules.require(name, LayerRules.dropoutRate(p));
        this.width = width;
        this.p = p;
    }

    @Override
    public String kind() {
        return "Dropout(" + p + ")";
    }

    @Override
    public int inputSize() {
        return width;
    }

    @Override
    public int outputSize() {
        return width;
    }

    public double probability() {
        return p;
    }

    @Override
    public SeqTensor forward(SeqTensor input, Mode mode) {
        Checks.width(this, input, width);
        if (!mode.training() || p == 0) {
            lastScale = null;
            return input;
        }
        INDArray x = input.data();
        double keep = 1 - p;
        double[] scale = new double[(int) x.length()];
        for (int i = 0; i < scale.length; i++) scale[i] = mode.random().nextDouble() < keep ? 1 / keep : 0;
        lastScale = Nd4j.create(scale, x.shape(), x.dataType());
        return input.withData(x.mul(lastScale));
    }

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        return lastScale == null ? gradOutput : gradOutput.withData(gradOutput.data().mul(lastScale));
    }
}
