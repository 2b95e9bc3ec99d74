package org.seqlab.layers;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

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
    private long lastCorrect;

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
        INDArray zc = RowAccess.dense(z) ? z : z.dup('c');
        // Three passes over [rows, C]: argmax, softmax (the gradient's start), the mean/mask scaling.
        // log p_y = z_y - z_max - log S with S = sum_j exp(z_j - z_max), and p_max = 1/S; p_max >= 1/C
        // never underflows, so log p_y = z_y - z_max + log p_max is exact where log(p_y) would give -inf.
        INDArray argMax = Nd4j.argMax(zc, 1);
        INDArray grad = Nd4j.exec(new SoftMax(zc, zc.ulike(), 1))[0];
        long[] best = argMax.dup().data().asLong();
        DataBuffer zb = zc.data(), gb = grad.data();
        long zBase = zc.offset(), gBase = grad.offset();
        double sum = 0;
        long correct = 0;
        for (int r = 0; r < rows; r++) {
            if (!real[r]) continue;
            if (best[r] == (long) ids[r]) correct++;
            long row = (long) r * classes;
            long target = row + (long) ids[r];
            double logProb = zb.getDouble(zBase + target) - zb.getDouble(zBase + row + best[r])
                    + Math.log(gb.getDouble(gBase + row + best[r]));
            sum -= logProb;
            gb.put(gBase + target, gb.getDouble(gBase + target) - 1.0); // softmax - onehot, by index
        }
        Losses.weighRows(grad, real, n, 1);
        lastOutputs = outputs;
        lastGrad = grad;
        lastCorrect = correct;
        return n == 0 ? 0.0 : sum / n;
    }

    /**
     * Real rows of the last forward call whose largest logit (first on ties, as {@code Nd4j.argMax})
     * is the target: the accuracy numerator, from the argmax the loss computes anyway.
     */
    public long lastCorrect() {
        return lastCorrect;
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
