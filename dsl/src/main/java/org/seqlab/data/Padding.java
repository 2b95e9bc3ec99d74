package org.seqlab.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one padding rule every dataset uses: sequences are padded on the right up to the longest
 * sequence of their batch, with {@link #PAD_ID} for token ids and {@link #PAD_VALUE} for real values,
 * and the mask has 1 for real steps and 0 for padding. Targets under padding hold the same pad values;
 * the mask, not the target, says they do not count.
 */
public final class Padding {

    public static final float PAD_ID = Vocab.PAD_ID;
    public static final float PAD_VALUE = 0f;

    private Padding() {
    }

    /** The longest of {@code lengths}. */
    public static int maxLength(int[] lengths) {
        int max = 0;
        for (int length : lengths) {
            max = Math.max(max, length);
        }
        return max;
    }

    /** The {@code [B,T]} mask for {@code lengths}, or null when every length equals {@code time}. */
    public static INDArray mask(int[] lengths, int time) {
        boolean ragged = false;
        for (int length : lengths) {
            ragged |= length != time;
        }
        if (!ragged) {
            return null;
        }
        float[] mask = new float[lengths.length * time];
        for (int b = 0; b < lengths.length; b++) {
            java.util.Arrays.fill(mask, b * time, b * time + lengths[b], 1f);
        }
        return Nd4j.create(mask, new long[] {lengths.length, time}, DataType.FLOAT);
    }

    /** Right-pads ragged id rows into a {@code [B,T]} FLOAT array (T = the longest row). */
    public static INDArray ids(int[][] rows) {
        int[] lengths = new int[rows.length];
        for (int b = 0; b < rows.length; b++) {
            lengths[b] = rows[b].length;
        }
        int time = maxLength(lengths);
        float[] data = new float[rows.length * time];
        for (int b = 0; b < rows.length; b++) {
            for (int t = 0; t < rows[b].length; t++) {
                data[b * time + t] = rows[b][t];
            }
        }
        return Nd4j.create(data, new long[] {rows.length, time}, DataType.FLOAT);
    }

    /** Right-pads ragged value rows ({@code [row][time][feature]}) into a {@code [B,T,F]} FLOAT array. */
    public static INDArray values(float[][][] rows) {
        int[] lengths = new int[rows.length];
        for (int b = 0; b < rows.length; b++) {
            lengths[b] = rows[b].length;
        }
        int time = maxLength(lengths);
        int features = rows.length == 0 || rows[0].length == 0 ? 0 : rows[0][0].length;
        float[] data = new float[rows.length * time * features];
        for (int b = 0; b < rows.length; b++) {
            for (int t = 0; t < rows[b].length; t++) {
                System.arraycopy(rows[b][t], 0, data, (b * time + t) * features, features);
            }
        }
        return Nd4j.create(data, new long[] {rows.length, time, features}, DataType.FLOAT);
    }
}
