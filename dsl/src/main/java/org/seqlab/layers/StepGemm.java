package org.seqlab.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The product a recurrent step makes, {@code C [M, N] = A [M, K] x W [K, N]}, with W fixed for a
 * whole pass (the recurrent weights) and A new at every step (the previous state, or the step's gate
 * gradients going backwards). The steps write A through {@link #input} and read C through
 * {@link #output}, so a cell's mechanics do not depend on where the product runs.
 *
 * <p>A has two buffers used in turn: while a {@link StepTeam} member still multiplies the one of
 * step t, another already writes its share of step t+1 into the other. The members' products share
 * them ({@link #withSameInput}): each writes its columns of A, each multiplies all of A.
 *
 * <p>Float models multiply with {@link PackedStepGemm} (W packed once per pass into panels, a
 * register-blocked kernel on the Java Vector API) when the JVM has {@code jdk.incubator.vector};
 * otherwise, and for double models, with {@link BlasStepGemm} (OpenBLAS, which packs W at every
 * call).
 */
abstract class StepGemm {
    final int m;
    final int k;
    final int n;
    private final int outputStride;
    private final FlatView[] inputs;
    private final FlatView output;

    StepGemm(int m, int k, int n, int outputStride, FlatView input0, FlatView input1, FlatView output) {
        this.m = m;
        this.k = k;
        this.n = n;
        this.outputStride = outputStride;
        this.inputs = new FlatView[] {input0, input1};
        this.output = output;
    }

    /**
     * Passes shorter than this use the BLAS: packing W costs about what one step's product does, so
     * it pays off only over several steps (generating one token is a pass of one step).
     */
    static final int MIN_PACKED_STEPS = 4;

    /** The fastest product this JVM offers for the type and shape, for a pass of {@code steps} steps. */
    static StepGemm create(DataType type, int m, int k, int n, int steps) {
        if (type == DataType.FLOAT && VECTORS && steps >= MIN_PACKED_STEPS) return new PackedStepGemm(m, k, n);
        return new BlasStepGemm(type, m, k, n);
    }

    /**
     * Whether float steps use {@link PackedStepGemm}: the JVM was started with {@code --add-modules
     * jdk.incubator.vector} (our launchers, kernel and tests do), its vectors are 256 bits or wider,
     * and {@code -Dseqlab.vector=false} does not turn it off. Checked before {@link PackedStepGemm}
     * is loaded, since its class needs the module.
     */
    static final boolean VECTORS = Boolean.parseBoolean(System.getProperty("seqlab.vector", "true"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && PackedStepGemm.vectorsWideEnough();

    /**
     * A product of the same A (the same two input buffers, written once for every share) by another
     * W of {@code n} columns.
     */
    abstract StepGemm withSameInput(int n);

    /**
     * Takes W for the products that follow, until the next call: from {@code source} ({@code [K, c]},
     * c columns in {@code N / width} equal blocks), the columns {@code [from, from + width)} of each
     * block, side by side. One block of all columns is the whole source.
     */
    abstract void setWeights(INDArray source, int from, int width);

    /**
     * Takes W for the products that follow, until the next call: the transpose of rows
     * {@code [from, from + N)} of {@code source} ({@code [R, K]}), so {@code W[kk][c] = source[from + c][kk]}
     * (going backwards, a share's columns of {@code W_hh^T} are its rows of {@code W_hh}).
     */
    abstract void setWeightsTransposed(INDArray source, int from);

    /** A buffer {@code buffer} (0 or 1): {@code [M, K]}, dense. */
    final FlatView input(int buffer) {
        return inputs[buffer];
    }

    /** C: {@code [M, N]}, rows {@link #outputStride()} apart. */
    final FlatView output() {
        return output;
    }

    final int outputStride() {
        return outputStride;
    }

    /** {@code C = A(buffer) x W}. */
    abstract void multiply(int buffer);
}
