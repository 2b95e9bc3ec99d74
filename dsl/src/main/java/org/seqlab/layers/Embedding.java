package org.seqlab.layers;

import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Token ids to learned vectors: row {@code id} of {@code E [vocab, dim]}.
 *
 * <p>Input: {@code [T*B, 1]} ids stored as numbers. The forward pass is one gather (pullRows).
 * The backward pass scatter-adds each output row's gradient into row {@code id} of dE, so repeated
 * ids accumulate; padded rows add nothing. Ids are not differentiable: the input gradient is null.
 */
public final class Embedding extends Layer {
    private final int vocabSize;
    private final int dim;
    private int[] lastIds;
    private SeqTensor lastInput;

    public Embedding(String name, int vocabSize, int dim) {
        super(name);
        Checks.positive(name, "vocabulary size", vocabSize);
        Checks.positive(name, "embedding dimension", dim);
        this.vocabSize = vocabSize;
        this.dim = dim;
    }

    @Override
    public String kind() {
        return "Embedding";
    }

    @Override
    public int inputSize() {
        return 1;
    }

    @Override
    public int outputSize() {
        return dim;
    }

    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        return List.of(new ParamSpec("E", new long[] {vocabSize, dim}, "row i = vector of token id i"));
    }

    /** N(0, 1), as torch.nn.Embedding. */
    @Override
    public void initialize(Random random) {
        Init.normal(params.value("E"), 1.0, random);
    }

    @Override
    public SeqTensor forward(SeqTensor input, Mode mode) {
        Checks.width(this, input, 1);
        int[] ids = RowAccess.ids(input.data(), name());
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new IllegalArgumentException(name() + ": token id " + ids[i] + " (row " + i
                        + ") is outside the vocabulary of " + vocabSize + " ids; use a vocabulary size above the largest id");
            }
        }
        lastIds = ids;
        lastInput = input;
        return new SeqTensor(gather(params.value("E"), ids), input.time(), input.batch(), input.mask());
    }

    /** Rows {@code ids} of {@code e}, copied in Java from one bulk read of a dense float table. */
    private INDArray gather(INDArray e, int[] ids) {
        if (e.dataType() != DataType.FLOAT || !RowAccess.dense(e)) return Nd4j.pullRows(e, 1, ids);
        float[] table = new float[(int) e.length()];
        new FloatPointer(e.data().addressPointer()).get(table, 0, table.length);
        float[] out = new float[ids.length * dim];
        for (int i = 0; i < ids.length; i++) System.arraycopy(table, ids[i] * dim, out, i * dim, dim);
        INDArray rows = StepBuffers.uninitialized(DataType.FLOAT, ids.length, dim);
        new FloatPointer(rows.data().addressPointer()).put(out, 0, out.length);
        return rows;
    }

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        Checks.backwardAfterForward(this, lastIds);
        boolean[] real = RowAccess.real(lastInput.mask(), lastIds.length);
        RowAccess.scatterAddRows(params.grad("E"), lastIds, real, gradOutput.data());
        return null;
    }
}
