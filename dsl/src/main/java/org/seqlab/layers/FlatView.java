package org.seqlab.layers;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bulk copies between a dense float or double ND4J array (by flat c-order index) and Java arrays.
 *
 * <p>The recurrent layers do their fused element-wise gate math in plain Java loops over copies of
 * one step's rows: one pass per step instead of a dozen eager ND4J ops (~10 us each) and their
 * temporaries. Float arrays are copied to and from {@code float[]} (a memcpy; the layers compute in
 * float for float models) and double arrays to and from {@code double[]}. The {@code double[]} form
 * of a float array widens and rounds (kept for callers that want double arithmetic).
 *
 * <p>Every copy uses absolute positions and no shared scratch, so several threads may use one view
 * at once on disjoint ranges ({@link StepTeam} members, each on its own columns).
 */
abstract class FlatView {
    /**
     * The array viewed: held so that it stays reachable while the view is used (the NIO buffer alone
     * does not keep ND4J's native memory alive, and a collected array frees it).
     */
    private INDArray array;

    /** {@code dst[off, off + len) = array[from, from + len)}. */
    abstract void read(int from, double[] dst, int off, int len);

    /** {@code array[from, from + len) = src[off, off + len)}. */
    abstract void write(int from, double[] src, int off, int len);

    /** {@code dst[off, off + len) = array[from, from + len)}, for float arrays only (a memcpy). */
    void read(int from, float[] dst, int off, int len) {
        throw new UnsupportedOperationException("not a float array");
    }

    /** {@code array[from, from + len) = src[off, off + len)}, for float arrays only (a memcpy). */
    void write(int from, float[] src, int off, int len) {
        throw new UnsupportedOperationException("not a float array");
    }

    /** A view of {@code a}, which must be a dense c-order array starting at its buffer's origin. */
    static FlatView of(INDArray a) {
        if (!isDense(a)) throw new IllegalArgumentException("FlatView needs a dense c-order array at offset 0");
        FlatView view;
        if (a.dataType() == DataType.FLOAT) view = new OfFloat(a.data().asNioFloat());
        else if (a.dataType() == DataType.DOUBLE) view = new OfDouble(a.data().asNioDouble());
        else throw new IllegalArgumentException("recurrent layers compute in FLOAT or DOUBLE, not " + a.dataType());
        view.array = a;
        return view;
    }

    /** The values of float array {@code a} in flat c order: into {@code reuse} when its length fits, else a new array. */
    static float[] read(INDArray a, float[] reuse) {
        INDArray dense = dense(a, DataType.FLOAT);
        int n = (int) dense.length();
        float[] values = reuse != null && reuse.length == n ? reuse : new float[n];
        dense.data().asNioFloat().get(0, values, 0, n);
        return values;
    }

    /**
     * A new c-order float array of {@code shape} holding {@code values} (a memcpy: {@code Nd4j.create(float[], ...)}
     * puts element by element, which cost the tiny GPT 8% of its step).
     */
    static INDArray write(float[] values, long... shape) {
        INDArray a = StepBuffers.uninitialized(DataType.FLOAT, shape);
        a.data().asNioFloat().put(0, values, 0, values.length);
        return a;
    }

    /** A view of a Java array (a {@link StepGemm}'s operands). */
    static FlatView of(float[] values) {
        return new OfFloat(java.nio.FloatBuffer.wrap(values));
    }

    /** True when {@code a} covers its whole buffer in c order (so flat index = buffer index). */
    static boolean isDense(INDArray a) {
        return a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length()
                && a.elementWiseStride() == 1;
    }

    /** {@code a} itself when it is dense and of type {@code type}, else a dense copy in that type. */
    static INDArray dense(INDArray a, DataType type) {
        if (a.dataType() == type && isDense(a)) return a;
        INDArray cast = a.dataType() == type ? a : a.castTo(type);
        return cast == a || !isDense(cast) ? cast.dup('c') : cast;
    }

    private static final class OfFloat extends FlatView {
        private final FloatBuffer buf;

        OfFloat(FloatBuffer buf) {
            this.buf = buf;
        }

        @Override
        void read(int from, double[] dst, int off, int len) {
            for (int i = 0; i < len; i++) dst[off + i] = buf.get(from + i);
        }

        @Override
        void write(int from, double[] src, int off, int len) {
            for (int i = 0; i < len; i++) buf.put(from + i, (float) src[off + i]);
        }

        @Override
        void read(int from, float[] dst, int off, int len) {
            buf.get(from, dst, off, len);
        }

        @Override
        void write(int from, float[] src, int off, int len) {
            buf.put(from, src, off, len);
        }
    }

    private static final class OfDouble extends FlatView {
        private final DoubleBuffer buf;

        OfDouble(DoubleBuffer buf) {
            this.buf = buf;
        }

        @Override
        void read(int from, double[] dst, int off, int len) {
            buf.get(from, dst, off, len);
        }

        @Override
        void write(int from, double[] src, int off, int len) {
            buf.put(from, src, off, len);
        }
    }
}
