package org.seqlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sequence to one: each sequence's last real step (from the mask; the last step when there is no
 * mask; step 0 for a sequence with no real step). Output {@code [B, width]}, time 1, no mask.
 * Backward routes each sequence's gradient to the row it was taken from.
 */
public final class LastStep extends Layer {
    private final int width;
    private int[] lastRows;
    private SeqTensor lastInput;

    public LastStep(String name, int width) {
        super(name);
        Checks.positive(name, "width", width);
        this.width = width;
    }

    @Override
    public String kind() {
        return "LastStep";
    }

    @Override
    public int inputSize() {
        return width;
    }

    @Override
    public int outputSize() {
        return width;
    }

    /** Row index {@code t*B + b} of each sequence's last real step. */
    static int[] lastRealRows(SeqTensor input) {
        int time = input.time(), batch = input.batch();
        boolean[] real = RowAccess.real(input.mask(), time * batch);
        int[] rows = new int[batch];
        for (int b = 0; b < batch; b++) {
            rows[b] = b;
            for (int t = time - 1; t >= 0; t--) {
                if (real[t * batch + b]) {
                    rows[b] = t * batch + b;
                    break;
                }
            }
        }
        return rows;
    }

    @Override
    public SeqTensor forward(SeqTensor input, Mode mode) {
        Checks.width(this, input, width);
        lastRows = lastRealRows(input);
        lastInput = input;
        INDArray x = input.data();
        INDArray picked = Nd4j.pullRows(RowAccess.dense(x) ? x : x.dup('c'), 1, lastRows);
        return new SeqTensor(picked, 1, input.batch(), null);
    }

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        Checks.backwardAfterForward(this, lastInput);
        INDArray dx = Nd4j.zeros(gradOutput.data().dataType(), lastInput.data().rows(), width);
        boolean[] all = new boolean[lastRows.length];
        java.util.Arrays.fill(all, true);
        RowAccess.scatterAddRows(dx, lastRows, all, gradOutput.data());
        return lastInput.withData(dx);
    }
}
