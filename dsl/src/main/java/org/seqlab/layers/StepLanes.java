package org.seqlab.layers;

/**
 * The element-wise arrays of one recurrent step ("lanes", each {@code [B*H]}: one gate block, one
 * state, one gradient of the whole batch) in the compute type, and the operations the cells'
 * equations are written with. Each operation is one short same-index loop over separate arrays,
 * which C2 vectorizes (it does not when one loop writes one array at several offsets, or when a loop
 * body is long), so a cell's equations are written once and run at float speed in float models.
 *
 * <p>Why two implementations: Java generics do not cover primitive arrays. Float models compute in
 * float (8 lanes per AVX2 instruction, the rational tanh of {@link GateMath}), double models in double
 * with exact exp (gradient checks and double parity need it). The twins live here, once per
 * operation, instead of once per cell.
 *
 * <p>Lane arguments are indices into the layer's lane table ({@link RecurrentLayer.Layout}).
 */
abstract sealed class StepLanes permits StepLanes.OfFloat, StepLanes.OfDouble {
    /** Elements per lane: batch x hidden. */
    final int cells;
    final int batch;
    final int hidden;

    StepLanes(int batch, int hidden) {
        this.batch = batch;
        this.hidden = hidden;
        this.cells = batch * hidden;
    }

    static StepLanes create(boolean isFloat, int lanes, int batch, int hidden, int maxBlocks) {
        return isFloat ? new OfFloat(lanes, batch, hidden, maxBlocks) : new OfDouble(lanes, batch, hidden, maxBlocks);
    }

    // ---- moving data between ND4J buffers (by flat c-order index) and lanes

    /** {@code lane = src[from, from + B*H)}. */
    abstract void read(FlatView src, int from, int lane);

    /** {@code dst[from, from + B*H) = lane}. */
    abstract void write(FlatView dst, int from, int lane);

    /** Splits the step's rows {@code [B, k*H]} at {@code from} into one lane per column block. */
    abstract void readBlocks(FlatView src, int from, int[] lanes);

    /** Inverse of {@link #readBlocks}. */
    abstract void writeBlocks(FlatView dst, int from, int[] lanes);

    /** {@code lanes[q][b*H + j] = values[q*H + j]} for every row b: a bias tiled per row, one lane per block. */
    abstract void tile(double[] values, int[] lanes);

    /** {@code lane} = the values of a {@code [B, H]} array (a state), in c order. */
    abstract void readArray(org.nd4j.linalg.api.ndarray.INDArray a, int lane);

    /** A new {@code [B, H]} array in the compute type with the values of {@code lane}. */
    abstract org.nd4j.linalg.api.ndarray.INDArray toArray(int lane);

    /** Row b of {@code dst} = row b of {@code src}, for the rows b in {@code rows}. */
    abstract void copyRows(int dst, int src, int[] rows);

    /** Row b of {@code lane} = 0, for the rows b in {@code rows}. */
    abstract void zeroRows(int lane, int[] rows);

    abstract void zero(int lane);

    abstract void copy(int dst, int src);

    // ---- the cells' arithmetic (element-wise; dst may be one of the inputs unless noted)

    /** In place: sigmoid (float: rational tanh, double: exact). */
    abstract void sigmoid(int a);

    /** In place: tanh (float: rational, double: exact). */
    abstract void tanh(int a);

    abstract void relu(int a);

    /** {@code dst = tanh(src)}. */
    abstract void tanhOf(int dst, int src);

    /** {@code dst += a}. */
    abstract void add(int dst, int a);

    /** {@code dst = a + b}. */
    abstract void sum(int dst, int a, int b);

    /** {@code dst = a - b}. */
    abstract void difference(int dst, int a, int b);

    /** {@code dst = 1 - a}. */
    abstract void oneMinus(int dst, int a);

    /** {@code dst = a * b}. */
    abstract void mul(int dst, int a, int b);

    /** {@code dst += a * b}. */
    abstract void addMul(int dst, int a, int b);

    /** {@code dst = a * b + c * d}. */
    abstract void mulAdd(int dst, int a, int b, int c, int d);

    /** {@code dst = (1 - z) * a + z * b}. */
    abstract void lerp(int dst, int z, int a, int b);

    /** {@code dst = up * x * s (1 - s)}: through a sigmoid output s. */
    abstract void sigmoidGrad(int dst, int up, int x, int s);

    /** {@code dst = up * x * (1 - t^2)}: through a tanh output t. */
    abstract void tanhGrad(int dst, int up, int x, int t);

    /** {@code dst = up * (1 - t^2)}. */
    abstract void tanhGrad(int dst, int up, int t);

    /** {@code dst += up * x * (1 - t^2)}. */
    abstract void addTanhGrad(int dst, int up, int x, int t);

    /** {@code dst = h > 0 ? up : 0}: through a relu output h. */
    abstract void reluGrad(int dst, int up, int h);

    static final class OfFloat extends StepLanes {
        private final float[][] v;
        private final float[] rows;

        OfFloat(int lanes, int batch, int hidden, int maxBlocks) {
            super(batch, hidden);
            v = new float[lanes][cells];
            rows = new float[maxBlocks * cells];
        }

        @Override
        void read(FlatView src, int from, int lane) {
            src.read(from, v[lane], cells);
        }

        @Override
        void write(FlatView dst, int from, int lane) {
            dst.write(from, v[lane], cells);
        }

        @Override
        void readBlocks(FlatView src, int from, int[] lanes) {
            int g = lanes.length, hs = hidden;
            src.read(from, rows, g * cells);
            for (int b = 0; b < batch; b++) for (int q = 0; q < g; q++) System.arraycopy(rows, (b * g + q) * hs, v[lanes[q]], b * hs, hs);
        }

        @Override
        void writeBlocks(FlatView dst, int from, int[] lanes) {
            int g = lanes.length, hs = hidden;
            for (int b = 0; b < batch; b++) for (int q = 0; q < g; q++) System.arraycopy(v[lanes[q]], b * hs, rows, (b * g + q) * hs, hs);
            dst.write(from, rows, g * cells);
        }

        @Override
        void tile(double[] values, int[] lanes) {
            for (int q = 0; q < lanes.length; q++) {
                float[] t = v[lanes[q]];
                for (int j = 0; j < hidden; j++) t[j] = (float) values[q * hidden + j];
                for (int b = 1; b < batch; b++) System.arraycopy(t, 0, t, b * hidden, hidden);
            }
        }

        @Override
        void readArray(org.nd4j.linalg.api.ndarray.INDArray a, int lane) {
            System.arraycopy(RowAccess.floats(a), 0, v[lane], 0, cells);
        }

        @Override
        org.nd4j.linalg.api.ndarray.INDArray toArray(int lane) {
            return org.nd4j.linalg.factory.Nd4j.create(v[lane].clone(), new long[] {batch, hidden}, 'c');
        }

        @Override
        void copyRows(int dst, int src, int[] rowList) {
            for (int b : rowList) System.arraycopy(v[src], b * hidden, v[dst], b * hidden, hidden);
        }

        @Override
        void zeroRows(int lane, int[] rowList) {
            for (int b : rowList) java.util.Arrays.fill(v[lane], b * hidden, (b + 1) * hidden, 0f);
        }

        @Override
        void zero(int lane) {
            java.util.Arrays.fill(v[lane], 0f);
        }

        @Override
        void copy(int dst, int src) {
            System.arraycopy(v[src], 0, v[dst], 0, cells);
        }

        @Override
        void sigmoid(int a) {
            GateMath.sigmoid(v[a], cells);
        }

        @Override
        void tanh(int a) {
            GateMath.tanh(v[a], cells);
        }

        @Override
        void relu(int a) {
            float[] x = v[a];
            for (int k = 0; k < cells; k++) x[k] = Math.max(x[k], 0f);
        }

        @Override
        void tanhOf(int dst, int src) {
            copy(dst, src);
            tanh(dst);
        }

        @Override
        void add(int dst, int a) {
            float[] d = v[dst], x = v[a];
            for (int k = 0; k < cells; k++) d[k] += x[k];
        }

        @Override
        void sum(int dst, int a, int b) {
            float[] d = v[dst], x = v[a], y = v[b];
            for (int k = 0; k < cells; k++) d[k] = x[k] + y[k];
        }

        @Override
        void difference(int dst, int a, int b) {
            float[] d = v[dst], x = v[a], y = v[b];
            for (int k = 0; k < cells; k++) d[k] = x[k] - y[k];
        }

        @Override
        void oneMinus(int dst, int a) {
            float[] d = v[dst], x = v[a];
            for (int k = 0; k < cells; k++) d[k] = 1f - x[k];
        }

        @Override
        void mul(int dst, int a, int b) {
            float[] d = v[dst], x = v[a], y = v[b];
            for (int k = 0; k < cells; k++) d[k] = x[k] * y[k];
        }

        @Override
        void addMul(int dst, int a, int b) {
            float[] d = v[dst], x = v[a], y = v[b];
            for (int k = 0; k < cells; k++) d[k] += x[k] * y[k];
        }

        @Override
        void mulAdd(int dst, int a, int b, int c, int e) {
            float[] d = v[dst], w = v[a], x = v[b], y = v[c], z = v[e];
            for (int k = 0; k < cells; k++) d[k] = w[k] * x[k] + y[k] * z[k];
        }

        @Override
        void lerp(int dst, int z, int a, int b) {
            float[] d = v[dst], s = v[z], x = v[a], y = v[b];
            for (int k = 0; k < cells; k++) d[k] = (1f - s[k]) * x[k] + s[k] * y[k];
        }

        @Override
        void sigmoidGrad(int dst, int up, int x, int s) {
            float[] d = v[dst], u = v[up], w = v[x], g = v[s];
            for (int k = 0; k < cells; k++) d[k] = u[k] * w[k] * g[k] * (1f - g[k]);
        }

        @Override
        void tanhGrad(int dst, int up, int x, int t) {
            float[] d = v[dst], u = v[up], w = v[x], g = v[t];
            for (int k = 0; k < cells; k++) d[k] = u[k] * w[k] * (1f - g[k] * g[k]);
        }

        @Override
        void tanhGrad(int dst, int up, int t) {
            float[] d = v[dst], u = v[up], g = v[t];
            for (int k = 0; k < cells; k++) d[k] = u[k] * (1f - g[k] * g[k]);
        }

        @Override
        void addTanhGrad(int dst, int up, int x, int t) {
            float[] d = v[dst], u = v[up], w = v[x], g = v[t];
            for (int k = 0; k < cells; k++) d[k] += u[k] * w[k] * (1f - g[k] * g[k]);
        }

        @Override
        void reluGrad(int dst, int up, int h) {
            float[] d = v[dst], u = v[up], g = v[h];
            for (int k = 0; k < cells; k++) d[k] = g[k] > 0f ? u[k] : 0f;
        }
    }

    static final class OfDouble extends StepLanes {
        private final double[][] v;
        private final double[] rows;

        OfDouble(int lanes, int batch, int hidden, int maxBlocks) {
            super(batch, hidden);
            v = new double[lanes][cells];
            rows = new double[maxBlocks * cells];
        }

        @Override
        void read(FlatView src, int from, int lane) {
            src.read(from, v[lane], cells);
        }

        @Override
        void write(FlatView dst, int from, int lane) {
            dst.write(from, v[lane], cells);
        }

        @Override
        void readBlocks(FlatView src, int from, int[] lanes) {
            int g = lanes.length, hs = hidden;
            src.read(from, rows, g * cells);
            for (int b = 0; b < batch; b++) for (int q = 0; q < g; q++) System.arraycopy(rows, (b * g + q) * hs, v[lanes[q]], b * hs, hs);
        }

        @Override
        void writeBlocks(FlatView dst, int from, int[] lanes) {
            int g = lanes.length, hs = hidden;
            for (int b = 0; b < batch; b++) for (int q = 0; q < g; q++) System.arraycopy(v[lanes[q]], b * hs, rows, (b * g + q) * hs, hs);
            dst.write(from, rows, g * cells);
        }

        @Override
        void tile(double[] values, int[] lanes) {
            for (int q = 0; q < lanes.length; q++) {
                double[] t = v[lanes[q]];
                System.arraycopy(values, q * hidden, t, 0, hidden);
                for (int b = 1; b < batch; b++) System.arraycopy(t, 0, t, b * hidden, hidden);
            }
        }

        @Override
        void readArray(org.nd4j.linalg.api.ndarray.INDArray a, int lane) {
            System.arraycopy(RowAccess.values(a), 0, v[lane], 0, cells);
        }

        @Override
        org.nd4j.linalg.api.ndarray.INDArray toArray(int lane) {
            return org.nd4j.linalg.factory.Nd4j.create(v[lane].clone(), new long[] {batch, hidden}, 'c');
        }

        @Override
        void copyRows(int dst, int src, int[] rowList) {
            for (int b : rowList) System.arraycopy(v[src], b * hidden, v[dst], b * hidden, hidden);
        }

        @Override
        void zeroRows(int lane, int[] rowList) {
            for (int b : rowList) java.util.Arrays.fill(v[lane], b * hidden, (b + 1) * hidden, 0.0);
        }

        @Override
        void zero(int lane) {
            java.util.Arrays.fill(v[lane], 0.0);
        }

        @Override
        void copy(int dst, int src) {
            System.arraycopy(v[src], 0, v[dst], 0, cells);
        }

        @Override
        void sigmoid(int a) {
            GateMath.sigmoid(v[a], 0, cells, false);
        }

        @Override
        void tanh(int a) {
            GateMath.tanh(v[a], 0, cells, false);
        }

        @Override
        void relu(int a) {
            double[] x = v[a];
            for (int k = 0; k < cells; k++) x[k] = Math.max(x[k], 0.0);
        }

        @Override
        void tanhOf(int dst, int src) {
            copy(dst, src);
            tanh(dst);
        }

        @Override
        void add(int dst, int a) {
            double[] d = v[dst], x = v[a];
            for (int k = 0; k < cells; k++) d[k] += x[k];
        }

        @Override
        void sum(int dst, int a, int b) {
            double[] d = v[dst], x = v[a], y = v[b];
            for (int k = 0; k < cells; k++) d[k] = x[k] + y[k];
        }

        @Override
        void difference(int dst, int a, int b) {
            double[] d = v[dst], x = v[a], y = v[b];
            for (int k = 0; k < cells; k++) d[k] = x[k] - y[k];
        }

        @Override
        void oneMinus(int dst, int a) {
            double[] d = v[dst], x = v[a];
            for (int k = 0; k < cells; k++) d[k] = 1.0 - x[k];
        }

        @Override
        void mul(int dst, int a, int b) {
            double[] d = v[dst], x = v[a], y = v[b];
            for (int k = 0; k < cells; k++) d[k] = x[k] * y[k];
        }

        @Override
        void addMul(int dst, int a, int b) {
            double[] d = v[dst], x = v[a], y = v[b];
            for (int k = 0; k < cells; k++) d[k] += x[k] * y[k];
        }

        @Override
        void mulAdd(int dst, int a, int b, int c, int e) {
            double[] d = v[dst], w = v[a], x = v[b], y = v[c], z = v[e];
            for (int k = 0; k < cells; k++) d[k] = w[k] * x[k] + y[k] * z[k];
        }

        @Override
        void lerp(int dst, int z, int a, int b) {
            double[] d = v[dst], s = v[z], x = v[a], y = v[b];
            for (int k = 0; k < cells; k++) d[k] = (1.0 - s[k]) * x[k] + s[k] * y[k];
        }

        @Override
        void sigmoidGrad(int dst, int up, int x, int s) {
            double[] d = v[dst], u = v[up], w = v[x], g = v[s];
            for (int k = 0; k < cells; k++) d[k] = u[k] * w[k] * g[k] * (1.0 - g[k]);
        }

        @Override
        void tanhGrad(int dst, int up, int x, int t) {
            double[] d = v[dst], u = v[up], w = v[x], g = v[t];
            for (int k = 0; k < cells; k++) d[k] = u[k] * w[k] * (1.0 - g[k] * g[k]);
        }

        @Override
        void tanhGrad(int dst, int up, int t) {
            double[] d = v[dst], u = v[up], g = v[t];
            for (int k = 0; k < cells; k++) d[k] = u[k] * (1.0 - g[k] * g[k]);
        }

        @Override
        void addTanhGrad(int dst, int up, int x, int t) {
            double[] d = v[dst], u = v[up], w = v[x], g = v[t];
            for (int k = 0; k < cells; k++) d[k] += u[k] * w[k] * (1.0 - g[k] * g[k]);
        }

        @Override
        void reluGrad(int dst, int up, int h) {
            double[] d = v[dst], u = v[up], g = v[h];
            for (int k = 0; k < cells; k++) d[k] = g[k] > 0.0 ? u[k] : 0.0;
        }
    }
}
