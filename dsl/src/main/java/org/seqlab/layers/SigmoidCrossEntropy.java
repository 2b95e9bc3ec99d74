package org.seqlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Element-wise binary cross-entropy on logits with 0/1 targets {@code [rows, n]}
 * (torch.nn.BCEWithLogitsLoss, mean over real rows and outputs). Stable form per element:
 * {@code max(z, 0) - z y + log(1 + exp(-|z|))}; gradient {@code (sigmoid(z) - y) / (rows * n)}.
 */
public final class SigmoidCrossEntropy implements Loss {
    private SeqTensor lastOutputs;
    private INDArray lastGrad;

    @Override
    public String kind() {
        return "sigmoid cross-entropy";
    }

    @Override
    public double forward(SeqTensor outputs, INDArray targets) {
        INDArray z = outputs.data();
        Losses.sameShape(kind(), z, targets);
        INDArray y = targets.castTo(z.dataType());
        boolean[] real = RowAccess.real(outputs.mask(), (int) z.rows());
        int n = Losses.count(real);
        INDArray perElement = Transforms.relu(z, true).subi(z.mul(y))
                .addi(Transforms.log(Transforms.exp(Transforms.abs(z, true).negi(), false).addi(1.0), false));
        double loss = Losses.weighRows(perElement, real, n, (int) z.columns()).sumNumber().doubleValue();
        lastGrad = Losses.weighRows(Transforms.sigmoid(z, true).subi(y), real, n, (int) z.columns());
        lastOutputs = outputs;
        return loss;
    }

    @Override
    public SeqTensor backward() {
        if (lastGrad == null) throw new IllegalStateException("sigmoid cross-entropy: backward before forward");
        return lastOutputs.withData(lastGrad);
    }

    @Override
    public INDArray predict(INDArray outputs) {
        return Transforms.sigmoid(outputs, true);
    }
}
