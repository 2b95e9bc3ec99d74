package org.seqlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean squared error over real rows and outputs (torch.nn.MSELoss, mean over elements):
 * {@code sum m (z - y)^2 / (rows * n)}, gradient {@code 2 (z - y) / (rows * n)} on real rows.
 */
public final class MeanSquaredError implements Loss {
    private SeqTensor lastOutputs;
    private INDArray lastGrad;

    @Override
    public String kind() {
        return "mean squared error";
    }

    @Override
    public double forward(SeqTensor outputs, INDArray targets) {
        INDArray z = outputs.data();
        Losses.sameShape(kind(), z, targets);
        boolean[] real = RowAccess.real(outputs.mask(), (int) z.rows());
        INDArray weights = Losses.rowWeights(real, Losses.count(real), (int) z.columns(), z.dataType());
        INDArray diff = z.sub(targets.castTo(z.dataType()));
        double loss = diff.mul(diff).muliColumnVector(weights).sumNumber().doubleValue();
        lastGrad = diff.muliColumnVector(weights).muli(2.0);
        lastOutputs = outputs;
        return loss;
    }

    @Override
    public SeqTensor backward() {
        if (lastGrad == null) throw new IllegalStateException("mean squared error: backward before forward");
        return lastOutputs.withData(lastGrad);
    }

    @Override
    public INDArray predict(INDArray outputs) {
        return outputs;
    }
}
