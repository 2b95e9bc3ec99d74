package org.seqlab.layers;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Index math over 2-D arrays done in Java, where one native operation per row would cost more than
 * the work itself (gathering token ids, scattering embedding gradients, picking target logits).
 */
final class RowAccess {
    private RowAccess() {
    }

    /** All values of {@code a} in c order (a copy). */
    static double[] values(INDArray a) {
        return a.dup('c').data().asDouble();
    }

    /** A {@code [rows, 1]} column of whole numbers (ids stored as numbers) as ints. */
    static int[] ids(INDArray column, String owner) {
        double[] v = values(column);
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
     * accumulate. Writes straight into the target's buffer when it is dense (gradient views are).
     */
    static void scatterAddRows(INDArray target, int[] rowOf, boolean[] use, INDArray source) {
        int width = (int) source.columns();
        double[] src = values(source);
        if (!dense(target)) {
            for (int i = 0; i < rowOf.length; i++) {
                if (!use[i]) continue;
                double[] row = Arrays.copyOfRange(src, i * width, (i + 1) * width);
                target.getRow(rowOf[i]).addi(org.nd4j.linalg.factory.Nd4j.create(row, new long[] {width}, target.dataType()));
            }
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
}
