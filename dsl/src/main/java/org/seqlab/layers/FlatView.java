package org.seqlab.layers;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access by flat c-order index to a dense float or double ND4J array, straight on its
 * native memory (a direct NIO buffer: no JNI call and no copy per element).
 *
 * <p>The recurrent layers do their fused element-wise gate math through this in plain Java loops:
 * one pass per step instead of a dozen eager ND4J ops (~10 us each) and their temporaries. Values
 * go through {@code double}; the float implementation rounds on store, so float training computes
 * each gate in double and keeps float storage. Only the two final subclasses exist, so the JIT
 * inlines the calls.
 */
abstract class FlatView {

    abstract double get(int i);

    abstract void set(int i, double v);

    /** A view of {@code a}, which must be a dense c-order array starting at its buffer's origin. */
    static FlatView of(INDArray a) {
        if (!isDense(a)) throw new IllegalArgumentException("FlatView needs a dense c-order array at offset 0");
        if (a.dataType() == DataType.FLOAT) return new OfFloat(a.data().asNioFloat());
        if (a.dataType() == DataType.DOUBLE) return new OfDouble(a.data().asNioDouble());
        throw new IllegalArgumentException("recurrent layers compute in FLOAT or DOUBLE, not " + a.dataType());
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
        double get(int i) {
            return buf.get(i);
        }

        @Override
        void set(int i, double v) {
            buf.put(i, (float) v);
        }
    }

    private static final class OfDouble extends FlatView {
        private final DoubleBuffer buf;

        OfDouble(DoubleBuffer buf) {
            this.buf = buf;
        }

        @Override
        double get(int i) {
            return buf.get(i);
        }

        @Override
        void set(int i, double v) {
            buf.put(i, v);
        }
    }
}
