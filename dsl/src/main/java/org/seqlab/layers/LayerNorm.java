package org.seqlab.layers;

import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Layer normalisation over the features of each row: {@code y = gamma * xhat + beta} with
 * {@code xhat = (x - mean) / sqrt(var + eps)} (biased variance, as torch.nn.LayerNorm).
 *
 * <p>Backward, per row with s = 1/sqrt(var+eps) and {@code d = dy * gamma}:
 * {@code dx = s * (d - mean(d) - xhat * mean(d * xhat))}; the two means come from differentiating
 * through the row mean and the row variance.
 */
public final class LayerNorm extends Layer {
    /** torch.nn.LayerNorm's default eps. */
    public static final double TORCH_EPS = 1e-5;
    private final int width;
    private final double eps;
    private INDArray lastNormalized;
    private INDArray lastInvStd;
    private SeqTensor lastInput;
    /** Float rows on the Vector API ({@link FloatLayerNorm}), which keeps its own xhat; made on first use. */
    private FloatLayerNorm floatRows;
    private boolean lastFloat;

    public LayerNorm(String name, int width, double eps) {
        super(name);
        Checks.positive(name, "width", width);
        if (!(eps > 0)) throw new IllegalArgumentException(name + ": eps must be positive, got " + eps);
        this.width = width;
        this.eps = eps;
    }

    @Override
    public String kind() {
        return "LayerNorm";
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
    public List<ParamSpec> paramSpecs() {
        return List.of(new ParamSpec("gamma", new long[] {width}, "[width] scale"),
                new ParamSpec("beta", new long[] {width}, "[width] shift"));
    }

    @Override
    public void initialize(Random random) {
        params.value("gamma").assign(1);
        params.value("beta").assign(0);
    }

    @Override
    public SeqTensor forward(SeqTensor input, Mode mode) {
        Checks.width(this, input, width);
        INDArray x = input.data();
        lastInput = input;
        lastFloat = StepGemm.VECTORS && FloatLayerNorm.applies(x);
        if (lastFloat) {
            if (floatRows == null) floatRows = new FloatLayerNorm(width, eps);
            return input.withData(floatRows.forward(x, params.value("gamma"), params.value("beta")));
        }
        INDArray mean = x.mean(true, 1);
        INDArray centered = x.subColumnVector(mean);
        INDArray squares = centered.mul(centered);
        INDArray var = squares.mean(true, 1);
        mean.close();
        squares.close();
        INDArray invStd = Transforms.pow(var.addi(eps), -0.5, false);
        INDArray xhat = centered.muliColumnVector(invStd);
        lastNormalized = xhat;
        lastInvStd = invStd;
        INDArray y = xhat.mulRowVector(params.value("gamma")).addiRowVector(params.value("beta"));
        return input.withData(y);
    }

    @Override
    public void releaseStep() {
        release(lastNormalized, lastInvStd);
        lastNormalized = null;
        lastInvStd = null;
        lastInput = null;
    }

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        Checks.backwardAfterForward(this, lastInput);
        INDArray g = gradOutput.data();
        if (lastFloat) {
            return lastInput.withData(floatRows.backward(g, params.value("gamma"), params.grad("gamma"), params.grad("beta")));
        }
        // The [rows, width] temporaries are freed here: left to the garbage collector they made a
        // transformer's resident memory grow by megabytes per step.
        INDArray gx = g.mul(lastNormalized);
        params.grad("gamma").addi(gx.sum(0));
        params.grad("beta").addi(g.sum(0));
        INDArray d = g.mulRowVector(params.value("gamma"));
        INDArray meanD = d.mean(true, 1);
        INDArray dxhat = gx.assign(d).muli(lastNormalized); // d * xhat, into gx's memory
        INDArray meanDX = dxhat.mean(true, 1);
        INDArray correction = dxhat.assign(lastNormalized).muliColumnVector(meanDX); // xhat * mean(d xhat)
        INDArray dx = d.subiColumnVector(meanD).subi(correction).muliColumnVector(lastInvStd);
        gx.close();
        meanD.close();
        meanDX.close();
        return lastInput.withData(dx);
    }
}
