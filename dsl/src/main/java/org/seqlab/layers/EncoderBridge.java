package org.seqlab.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What a recurrent decoder starts from: {@code s0 = tanh(summary W + b)}, where the summary is the
 * encoder's final state read off its output rows (Cho et al. 2014; Bahdanau et al. 2015 start their
 * decoder from the backward encoder state the same way). Without attention this vector is all the
 * decoder learns about the source.
 *
 * <p>The summary, per {@link Summary}: {@code LAST}, the output at each sequence's last real step
 * (a unidirectional recurrent encoder's final state); {@code LAST_AND_FIRST}, for a bidirectional
 * encoder whose rows are {@code [h_fw, h_bw]}, the forward half at the last real step and the
 * backward half at step 0 (each direction's final state); {@code MEAN}, the mean over the real steps
 * (encoders whose last layer is not recurrent, such as a transformer).
 *
 * <p>Input: the memory {@code [S*B, Dm]} with the source mask; output {@code [B, H]} (time 1).
 * Parameters {@code W [Dm, H]}, {@code b [H]}. Backward returns dL/d(memory).
 */
public final class EncoderBridge extends Layer {

    /** Which encoder rows the summary reads. */
    public enum Summary { LAST, LAST_AND_FIRST, MEAN }

    private final int memoryWidth;
    private final int hidden;
    private final Summary summary;
    private SeqTensor lastMemory;
    private int[] lastRows;
    private double[] meanWeights;
    private INDArray lastSummary;
    private INDArray lastOutput;

    public EncoderBridge(String name, int memoryWidth, int hidden, Summary summary) {
        super(name);
        Checks.positive(name, "memory width", memoryWidth);
        Checks.positive(name, "hidden size", hidden);
        if (summary == Summary.LAST_AND_FIRST && memoryWidth % 2 != 0) {
            throw new IllegalArgumentException(name + ": a bidirectional encoder's rows have an even width, got " + memoryWidth);
        }
        this.memoryWidth = memoryWidth;
        this.hidden = hidden;
        this.summary = summary;
    }

    @Override
    public String kind() {
        return "EncoderBridge(" + summary.name().toLowerCase().replace('_', '+') + ", tanh)";
    }

    @Override
    public int inputSize() {
        return memoryWidth;
    }

    @Override
    public int outputSize() {
        return hidden;
    }

    public Summary summary() {
        return summary;
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        return List.of(new ParamSpec("W", new long[] {memoryWidth, hidden}, "[Dm, H]: s0 = tanh(summary W + b)"),
                new ParamSpec("b", new long[] {hidden}, "[H]"));
    }

    @Override
    public void initialize(Random random) {
        Init.xavierUniform(params.value("W"), memoryWidth, hidden, random);
        params.value("b").assign(0);
    }

    @Override
    public SeqTensor forward(SeqTensor memory, Mode mode) {
        Checks.width(this, memory, memoryWidth);
        int batch = memory.batch(), time = memory.time();
        INDArray x = FlatView.dense(memory.data(), params.value("W").dataType());
        INDArray s;
        if (summary == Summary.MEAN) {
            boolean[] real = RowAccess.real(memory.mask(), time * batch);
            int[] count = new int[batch];
            for (int r = 0; r < real.length; r++) if (real[r]) count[r % batch]++;
            meanWeights = new double[batch * time * batch]; // [B, S*B]: s = A x
            for (int r = 0; r < real.length; r++) {
                int b = r % batch;
                if (real[r]) meanWeights[b * time * batch + r] = 1.0 / count[b];
            }
            s = Blas.gemm(Nd4j.create(meanWeights, new long[] {batch, (long) time * batch}, x.dataType()), x, false, false);
        } else {
            int[] last = LastStep.lastRealRows(memory);
            s = Nd4j.pullRows(x, 1, last);
            if (summary == Summary.LAST_AND_FIRST) {
                int half = memoryWidth / 2;
                INDArray first = x.get(interval(0, batch),
                        interval(half, memoryWidth));
                s.get(all(), interval(half, memoryWidth))
                        .assign(first);
            }
            lastRows = last;
        }
        INDArray y = Blas.gemm(s, params.value("W"), false, false).addiRowVector(params.value("b"));
        Transforms.tanh(y, false);
        lastMemory = memory;
        lastSummary = s;
        lastOutput = y;
        return new SeqTensor(y, 1, batch, null);
    }

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        Checks.backwardAfterForward(this, lastMemory);
        INDArray g = gradOutput.data().mul(lastOutput.mul(lastOutput).rsubi(1.0));
        Blas.gemm(lastSummary, g, params.grad("W"), true, false, 1.0, 1.0);
        params.grad("b").addi(g.sum(0));
        INDArray ds = Blas.gemm(g, params.value("W"), false, true); // [B, Dm]
        int batch = lastMemory.batch(), time = lastMemory.time();
        INDArray dx;
        if (summary == Summary.MEAN) {
            dx = Blas.gemm(Nd4j.create(meanWeights, new long[] {batch, (long) time * batch}, ds.dataType()), ds, true, false);
        } else {
            dx = Nd4j.zeros(ds.dataType(), (long) time * batch, memoryWidth);
            boolean[] all = new boolean[batch];
            java.util.Arrays.fill(all, true);
            INDArray fromLast = ds;
            if (summary == Summary.LAST_AND_FIRST) {
                int half = memoryWidth / 2;
                fromLast = ds.dup();
                fromLast.get(all(), interval(half, memoryWidth)).assign(0);
                dx.get(interval(0, batch), interval(half, memoryWidth))
                        .addi(ds.get(all(), interval(half, memoryWidth)));
            }
            RowAccess.scatterAddRows(dx, lastRows, all, fromLast);
        }
        return lastMemory.withData(dx);
    }
}
