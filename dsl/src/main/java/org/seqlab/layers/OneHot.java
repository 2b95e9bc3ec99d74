package org.seqlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Token ids to one-hot rows {@code [T*B, vocab]}; no parameters, ids are not differentiable. */
public final class OneHot extends Layer {
    private final int vocabSize;

    public OneHot(String name, int vocabSize) {
        super(name);
        Checks.positive(name, "vocabulary size", vocabSize);
        this.vocabSize = vocabSize;
    }

    @Override
    public String kind() {
        return "OneHot";
    }

    @Override
    public int inputSize() {
        return 1;
    }

    @Override
    public int outputSize() {
        return vocabSize;
    }

    @Override
    public SeqTensor forward(SeqTensor input, Mode mode) {
        Checks.width(this, input, 1);
        int[] ids = RowAccess.ids(input.data(), name());
        INDArray out = Nd4j.zeros(input.data().dataType(), ids.length, vocabSize);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new IllegalArgumentException(name() + ": token id " + ids[i] + " (row " + i
                        + ") is outside the vocabulary of " + vocabSize + " ids");
            }
            out.putScalar(i, ids[i], 1.0);
        }
        return new SeqTensor(out, input.time(), input.batch(), input.mask());
    }

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        return null;
    }
}
