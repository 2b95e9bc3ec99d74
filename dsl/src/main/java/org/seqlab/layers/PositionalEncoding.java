package org.seqlab.layers;

import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Adds a vector that says where each step is: {@code y[t] = x[t] + P[t]}, the same for every sequence.
 *
 * <p>Sinusoidal (Vaswani et al. 2017, section 3.5): {@code P[t, 2i] = sin(t / 10000^(2i/D))},
 * {@code P[t, 2i+1] = cos(t / 10000^(2i/D))}, fixed, for any length. Learned: {@code P [maxLength, D]} is a
 * parameter (N(0, 0.02^2) at first, as GPT-2's position table); positions past maxLength do not exist,
 * and a step there is refused with the fix.
 *
 * <p>Steps count from the start of the sequence. When {@code mode.carryState()} (generation one token at a
 * time, contiguous streams) a call continues where the previous call ended, as the attention's
 * key/value cache does; {@link #resetState()} starts again at 0. Backward: {@code dx = dy}, and for
 * learned positions {@code dP[t] += sum_b dy[t, b]}.
 */
public final class PositionalEncoding extends Layer implements PositionLimited {
    private static final double LEARNED_INIT_STD = 0.02;
    private final int width;
    private final int maxLength;
    private final boolean learned;
    /** Sinusoidal rows computed so far, in the dtype last used (grown by doubling). */
    private INDArray table;
    private int nextPosition;
    private int lastOffset = -1;
    private int lastTime;
    private int lastBatch;

    private PositionalEncoding(String name, int width, int maxLength, boolean learned) {
        super(name);
        Checks.positive(name, "width", width);
        if (learned) Checks.positive(name, "maxLength", maxLength);
        this.width = width;
        this.maxLength = maxLength;
        this.learned = learned;
    }

    public static PositionalEncoding sinusoidal(String name, int width) {
        return new PositionalEncoding(name, width, Integer.MAX_VALUE, false);
    }

    public static PositionalEncoding learned(String name, int width, int maxLength) {
        return new PositionalEncoding(name, width, maxLength, true);
    }

    @Override
    public String kind() {
        return learned ? "Positional(learned, " + maxLength + ")" : "Positional(sinusoidal)";
    }

    @Override
    public int inputSize() {
        return width;
    }

    @Override
    public int outputSize() {
        return width;
    }

    public boolean learned() {
        return learned;
    }

    @Override
    public int maxPositions() {
        return maxLength;
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        return learned ? List.of(new ParamSpec("P", new long[] {maxLength, width}, "[maxLength, D]: row t is added at step t"))
                : List.of();
    }

    @Override
    public void initialize(Random random) {
        if (learned) Init.normal(params.value("P"), LEARNED_INIT_STD, random);
    }

    @Override
    public SeqTensor forward(SeqTensor input, Mode mode) {
        Checks.width(this, input, width);
        int time = input.time(), batch = input.batch();
        int offset = mode.carryState() ? nextPosition : 0;
        if ((long) offset + time > maxLength) {
            throw new IllegalArgumentException(name() + ": step " + (offset + time) + " is past the " + maxLength
                    + " learned positions (positional(" + maxLength + ")); keep sequences, and prompt plus generated "
                    + "tokens, within " + maxLength + " steps, train on windows (TextWindows.of) rather than contiguous "
                    + "streams, or use positional() (sinusoidal, any length)");
        }
        INDArray rows = positions(offset, time, input.data().dataType()); // [T, D]
        INDArray y = input.data().dup('c');
        // rows t*B .. t*B+B-1 are step t: as [T, B, D] the table broadcasts over the batch
        y.reshape('c', time, batch, width).addi(rows.reshape('c', time, 1, width));
        nextPosition = offset + time;
        lastOffset = offset;
        lastTime = time;
        lastBatch = batch;
        return input.withData(y);
    }

    /** {@code [time, D]} position rows from {@code offset}. */
    private INDArray positions(int offset, int time, DataType type) {
        INDArray all;
        if (learned) {
            all = params.value("P");
            if (all.dataType() != type) all = all.castTo(type);
        } else {
            if (table == null || table.rows() < offset + time || table.dataType() != type) {
                table = sinusoids(Math.max(offset + time, table == null ? 64 : 2 * (int) table.rows()), width, type);
            }
            all = table;
        }
        return all.get(NDArrayIndex.interval(offset, offset + time), NDArrayIndex.all());
    }

    /** The sinusoidal table {@code [rows, width]} (computed once per growth, not per call). */
    static INDArray sinusoids(int rows, int width, DataType type) {
        double[] v = new double[rows * width];
        for (int i = 0; i < width; i += 2) {
            double frequency = Math.pow(10000, -(double) i / width);
            for (int t = 0; t < rows; t++) {
                v[t * width + i] = Math.sin(t * frequency);
                if (i + 1 < width) v[t * width + i + 1] = Math.cos(t * frequency);
            }
        }
        return Nd4j.create(v, new long[] {rows, width}, 'c').castTo(type);
    }

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        Checks.backwardAfterForward(this, lastOffset < 0 ? null : this);
        if (learned) {
            INDArray perStep = gradOutput.data().reshape('c', lastTime, lastBatch, width).sum(1); // [T, D]
            params.grad("P").get(NDArrayIndex.interval(lastOffset, lastOffset + lastTime), NDArrayIndex.all()).addi(perStep);
        }
        return gradOutput;
    }

    @Override
    public void resetState() {
        nextPosition = 0;
    }
}
