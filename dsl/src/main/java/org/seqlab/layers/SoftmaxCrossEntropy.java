package org.seqlab.layers;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Softmax cross-entropy on logits {@code [rows, C]} with class-id targets {@code [rows, 1]}, fused as
 * log-softmax + negative log-likelihood for stability (torch.nn.CrossEntropyLoss, mean over the
 * real rows; padded rows act like {@code ignore_index}).
 *
 * <p>Gradient per real row: {@code (softmax(z) - onehot(y)) / n}. The target entries are read and
 * the one-hot subtraction done by index in Java, so no {@code [rows, C]} one-hot is built.
 */
public final class SoftmaxCrossEntropy implements Loss {
    private SeqTensor lastOutputs;
    private INDArray lastGrad;

    @Override
    public String kind() {
        return "softmax cross-entropy";
    }

    @Override
    public double forward(SeqTensor outputs, INDArray targets) {
        INDArray z = outputs.data();
        int rows = (int) z.rows(), classes = (int) z.columns();
        if (targets.length() != rows) {
            throw new IllegalArgumentException("softmax cross-entropy: expected " + rows + " class ids (one per row), got targets "
                    + java.util.Arrays.toString(targets.shape()));
        }
        double[] ids = RowAccess.values(targets);
        boolean[] real = RowAccess.real(outputs.mask(), rows);
        int n = 0;
        for (int r = 0; r < rows; r++) {
            if (!real[r]) continue;
            n++;
            double id = ids[r];
            if (id != Math.rint(id) || id < 0 || id >= classes) {
                throw new IllegalArgumentException("softmax cross-entropy: target class id " + id + " (row " + r
                        + ") is out of range for " + classes + " classes (valid ids 0.." + (classes - 1) + ")");
            }
        }
        INDArray logProb = logSoftmax(z);
        // The gradient starts as softmax = exp(log-softmax) and gets -1 at each target, in place.
        INDArray grad = Transforms.exp(logProb, true);
        DataBuffer lp = logProb.data(), gb = grad.data();
        long lpBase = logProb.offset(), gBase = grad.offset();
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            if (!real[r]) continue;
            long at = (long) r * classes + (long) ids[r];
            sum -= lp.getDouble(lpBase + at);
            gb.put(gBase + at, gb.getDouble(gBase + at) - 1.0);
        }
        grad.muliColumnVector(Losses.rowWeights(real, n, 1, z.dataType()));
        lastOutputs = outputs;
        lastGrad = grad;
        return n == 0 ? 0.0 : sum / n;
    }

    /**
     * {@code z - max - log(sum(exp(z - max)))} per row. Written out because ND4J's log_softmax op
     * takes the log of the softmax, which gives -inf once a probability underflows.
     */
    static INDArray logSoftmax(INDArray z) {
        INDArray shifted = z.subColumnVector(z.max(true, 1));
        INDArray logSumExp = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(logSumExp);
    }

    @Override
    public SeqTensor backward() {
        if (lastGrad == null) throw new IllegalStateException("softmax cross-entropy: backward before forward");
        return lastOutputs.withData(lastGrad);
    }

    @Override
    public INDArray predict(INDArray outputs) {
        return Nd4j.exec(new SoftMax(outputs.dup('c'), outputs.ulike(), 1))[0];
    }
}
