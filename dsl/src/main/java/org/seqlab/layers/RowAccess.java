package org.seqlab.layers;

import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Index math over 2-D arrays done in Java, where one native operation per row would cost more than
 * the work itself (gathering token ids, scattering embedding gradients, picking target logits).
 */
final class RowAccess {
    private RowAccess() {
    }

    /** All values of {@code a} in c order (a copy; one bulk read when it is a contiguous double array). */
    static double[] values(INDArray a) {
        if (a.dataType() == DataType.DOUBLE && contiguous(a)) {
            double[] v = new double[(int) a.length()];
            new DoublePointer(a.data().addressPointer()).get(v, 0, v.length);
            return v;
        }
        if (a.dataType() == DataType.FLOAT && contiguous(a)) { // one bulk read, widened in Java
            float[] f = floats(a);
            double[] v = new double[f.length];
            for (int i = 0; i < f.length; i++) v[i] = f[i];
            return v;
        }
        return a.dup('c').data().asDouble();
    }

    /**
     * A new c-order array of {@code type} holding {@code v}, filled with one bulk copy ({@code Nd4j.create}
     * of a double[] as a float array converts element by element, measured ~10x slower).
     */
    static INDArray create(double[] v, long[] shape, DataType type) {
        if (type == DataType.DOUBLE) return org.nd4j.linalg.factory.Nd4j.create(v, shape, 'c');
        if (type == DataType.FLOAT) {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
            return org.nd4j.linalg.factory.Nd4j.create(f, shape, 'c');
        }
        return org.nd4j.linalg.factory.Nd4j.create(v, shape, 'c').castTo(type);
    }

    /** True when {@code a}'s elements are its buffer's (from its offset) in c order, without gaps. */
    static boolean contiguous(INDArray a) {
        if (a.isEmpty() || a.length() == 0) return false;
        if (a.rank() <= 1) return a.rank() == 0 || a.stride(0) == 1 || a.length() == 1;
        return dense(a) || (a.ordering() == 'c' && a.elementWiseStride() == 1);
    }

    /** A {@code [rows, 1]} column of whole numbers (ids stored as numbers) as ints. */
    static int[] ids(INDArray column, String owner) {
        double[] v;
        if (column.dataType() == DataType.FLOAT && contiguous(column)) {
            float[] f = floats(column);
            v = new double[f.length];
            for (int i = 0; i < f.length; i++) v[i] = f[i];
        } else {
            v = values(column);
        }
        int[] ids = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            ids[i] = (int) Math.round(v[i]);
            if (ids[i] != v[i]) throw new IllegalArgumentException(owner + ": id " + v[i] + " in row " + i + " is not a whole number");
        }
        return ids;
    }

    /** Mask column as booleans (true = real row); all true when {@code mask} is null. */
    static boolean[] real(INDArray mask, int rows) {
        boolean[] real = new boolean[rows];
        if (mask == null) {
            Arrays.fill(real, true);
            return real;
        }
        double[] m = values(mask);
        for (int i = 0; i < rows; i++) real[i] = m[i] != 0.0;
        return real;
    }

    /** True when {@code a} is a 2-D row-major block without gaps, so element (r, c) is at offset + r*cols + c. */
    static boolean dense(INDArray a) {
        return a.rank() == 2 && a.ordering() == 'c' && a.stride(1) == 1 && a.stride(0) == a.columns();
    }

    /**
     * {@code target[rowOf[i]] += source[i]} for every i with {@code use[i]}; duplicate target rows
     * accumulate. Dense float or double targets (gradient views are) are read once, summed in a Java
     * array of their own type (so each addition rounds as an element-wise add would) and written back
     * once; per-element buffer access cost ~10 ns an element.
     */
    static void scatterAddRows(INDArray target, int[] rowOf, boolean[] use, INDArray source) {
        int width = (int) source.columns();
        if (dense(target) && target.dataType() == DataType.FLOAT) {
            float[] src = floats(source);
            FloatPointer tp = new FloatPointer(target.data().addressPointer());
            float[] t = new float[(int) target.length()];
            tp.get(t, 0, t.length);
            for (int i = 0; i < rowOf.length; i++) {
                if (!use[i]) continue;
                int at = rowOf[i] * width, from = i * width;
                for (int j = 0; j < width; j++) t[at + j] += src[from + j];
            }
            tp.put(t, 0, t.length);
            return;
        }
        double[] src = values(source);
        if (!dense(target)) {
            for (int i = 0; i < rowOf.length; i++) {
                if (!use[i]) continue;
                double[] row = Arrays.copyOfRange(src, i * width, (i + 1) * width);
                target.getRow(rowOf[i]).addi(org.nd4j.linalg.factory.Nd4j.create(row, new long[] {width}, target.dataType()));
            }
            return;
        }
        if (target.dataType() == DataType.DOUBLE) {
            DoublePointer tp = new DoublePointer(target.data().addressPointer());
            double[] t = new double[(int) target.length()];
            tp.get(t, 0, t.length);
            for (int i = 0; i < rowOf.length; i++) {
                if (!use[i]) continue;
                int at = rowOf[i] * width, from = i * width;
                for (int j = 0; j < width; j++) t[at + j] += src[from + j];
            }
            tp.put(t, 0, t.length);
            return;
        }
        DataBuffer buf = target.data();
        long base = target.offset();
        for (int i = 0; i < rowOf.length; i++) {
            if (!use[i]) continue;
            long at = base + (long) rowOf[i] * width;
            for (int j = 0; j < width; j++) buf.put(at + j, buf.getDouble(at + j) + src[i * width + j]);
        }
    }

    /** All values of a float array in c order, copied with one bulk read when it is dense. */
    static float[] floats(INDArray a) {
        INDArray d = contiguous(a) && a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT).dup('c');
        float[] v = new float[(int) d.length()];
        new FloatPointer(d.data().addressPointer()).get(v, 0, v.length);
        return v;
    }
}
