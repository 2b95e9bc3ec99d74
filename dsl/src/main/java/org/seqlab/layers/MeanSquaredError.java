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
        int n = Losses.count(real), perRow = (int) z.columns();
        INDArray diff = z.sub(targets.castTo(z.dataType()));
        double loss = Losses.weighRows(diff.mul(diff), real, n, perRow).sumNumber().doubleValue();
        lastGrad = Losses.weighRows(diff, real, n, perRow).muli(2.0);
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
