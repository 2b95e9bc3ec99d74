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
    /** Elements per lane: batch x width. */
    final int cells;
    final int batch;
    /** The hidden units these lanes hold: columns {@code [first, first + width)} of every {@code [rows, full]} state. */
    final int width;
    final int first;
    /** The hidden size H: row length of the states, block width of the gate rows. */
    final int full;

    StepLanes(int batch, int width, int full, int first) {
        this.batch = batch;
        this.width = width;
        this.full = full;
        this.first = first;
        this.cells = batch * width;
    }

    /**
     * Lanes for hidden units {@code [first, first + width)} of {@code full} (all of them, or one
     * {@link StepTeam} member's share); {@code maxBlocks}: the most column blocks one array holds.
     */
    static StepLanes create(boolean isFloat, int lanes, int batch, int width, int full, int first, int maxBlocks) {
        return isFloat ? new OfFloat(lanes, batch, width, full, first, maxBlocks)
                : new OfDouble(lanes, batch, width, full, first, maxBlocks);
    }

    // ---- moving data between ND4J buffers (by flat c-order index) and lanes. States and their
    // gradients are [rows, H] arrays, gate rows [rows, k*H] in k column blocks of H; these lanes
    // read and write only their own columns of each, so team members never touch each other's.

    /** {@code lane} = this share's columns of rows {@code [row, row + B)} of a {@code [rows, H]} array. */
    abstract void read(FlatView src, int row, int lane);

    /** Inverse of {@link #read}. */
    abstract void write(FlatView dst, int row, int lane);

    /** Splits rows {@code [row, row + B)} of a {@code [rows, k*H]} array into one lane per column block. */
    abstract void readBlocks(FlatView src, int row, int[] lanes);

    /** Inverse of {@link #readBlocks}. */
    abstract void writeBlocks(FlatView dst, int row, int[] lanes);

    /**
     * The share's own recurrent product {@code [B, k*width]} (k blocks of this share's columns, rows
     * {@code stride} apart), one lane per block: into the lanes, or added to what they hold.
     */
    abstract void readProduct(FlatView src, int stride, int[] lanes, boolean add);

    /** {@code lanes[q][b*width + j] = values[q*H + first + j]} for every row b: a bias tiled per row. */
    abstract void tile(double[] values, int[] lanes);

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

        OfFloat(int lanes, int batch, int width, int full, int first, int maxBlocks) {
            super(batch, width, full, first);
            v = new float[lanes][cells];
            rows = new float[maxBlocks * cells];
        }

        @Override
        void read(FlatView src, int row, int lane) {
            if (width == full) src.read(row * full, v[lane], 0, cells);
            else for (int b = 0; b < batch; b++) src.read((row + b) * full + first, v[lane], b * width, width);
        }

        @Override
        void write(FlatView dst, int row, int lane) {
            if (width == full) dst.write(row * full, v[lane], 0, cells);
            else for (int b = 0; b < batch; b++) dst.write((row + b) * full + first, v[lane], b * width, width);
        }

        @Override
        void readBlocks(FlatView src, int row, int[] lanes) {
            int g = lanes.length, stride = g * full;
            for (int b = 0; b < batch; b++) {
                for (int q = 0; q < g; q++) src.read((row + b) * stride + q * full + first, v[lanes[q]], b * width, width);
            }
        }

        @Override
        void writeBlocks(FlatView dst, int row, int[] lanes) {
            int g = lanes.length, stride = g * full;
            for (int b = 0; b < batch; b++) {
                for (int q = 0; q < g; q++) dst.write((row + b) * stride + q * full + first, v[lanes[q]], b * width, width);
            }
        }

        @Override
        void readProduct(FlatView src, int stride, int[] lanes, boolean add) {
            int g = lanes.length, w = width;
            for (int b = 0; b < batch; b++) {
                for (int q = 0; q < g; q++) {
                    float[] d = v[lanes[q]];
                    int to = b * w, from = b * stride + q * w;
                    if (!add) {
                        src.read(from, d, to, w);
                        continue;
                    }
                    src.read(from, rows, 0, w);
                    for (int j = 0; j < w; j++) d[to + j] += rows[j];
                }
            }
        }

        @Override
        void tile(double[] values, int[] lanes) {
            for (int q = 0; q < lanes.length; q++) {
                float[] t = v[lanes[q]];
                for (int j = 0; j < width; j++) t[j] = (float) values[q * full + first + j];
                for (int b = 1; b < batch; b++) System.arraycopy(t, 0, t, b * width, width);
            }
        }

        @Override
        void copyRows(int dst, int src, int[] rowList) {
            for (int b : rowList) System.arraycopy(v[src], b * width, v[dst], b * width, width);
        }

        @Override
        void zeroRows(int lane, int[] rowList) {
            for (int b : rowList) java.util.Arrays.fill(v[lane], b * width, (b + 1) * width, 0f);
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

        OfDouble(int lanes, int batch, int width, int full, int first, int maxBlocks) {
            super(batch, width, full, first);
            v = new double[lanes][cells];
            rows = new double[maxBlocks * cells];
        }

        @Override
        void read(FlatView src, int row, int lane) {
            if (width == full) src.read(row * full, v[lane], 0, cells);
            else for (int b = 0; b < batch; b++) src.read((row + b) * full + first, v[lane], b * width, width);
        }

        @Override
        void write(FlatView dst, int row, int lane) {
            if (width == full) dst.write(row * full, v[lane], 0, cells);
            else for (int b = 0; b < batch; b++) dst.write((row + b) * full + first, v[lane], b * width, width);
        }

        @Override
        void readBlocks(FlatView src, int row, int[] lanes) {
            int g = lanes.length, stride = g * full;
            for (int b = 0; b < batch; b++) {
                for (int q = 0; q < g; q++) src.read((row + b) * stride + q * full + first, v[lanes[q]], b * width, width);
            }
        }

        @Override
        void writeBlocks(FlatView dst, int row, int[] lanes) {
            int g = lanes.length, stride = g * full;
            for (int b = 0; b < batch; b++) {
                for (int q = 0; q < g; q++) dst.write((row + b) * stride + q * full + first, v[lanes[q]], b * width, width);
            }
        }

        @Override
        void readProduct(FlatView src, int stride, int[] lanes, boolean add) {
            int g = lanes.length, w = width;
            for (int b = 0; b < batch; b++) {
                for (int q = 0; q < g; q++) {
                    double[] d = v[lanes[q]];
                    int to = b * w, from = b * stride + q * w;
                    if (!add) {
                        src.read(from, d, to, w);
                        continue;
                    }
                    src.read(from, rows, 0, w);
                    for (int j = 0; j < w; j++) d[to + j] += rows[j];
                }
            }
        }

        @Override
        void tile(double[] values, int[] lanes) {
            for (int q = 0; q < lanes.length; q++) {
                double[] t = v[lanes[q]];
                for (int j = 0; j < width; j++) t[j] = (double) values[q * full + first + j];
                for (int b = 1; b < batch; b++) System.arraycopy(t, 0, t, b * width, width);
            }
        }

        @Override
        void copyRows(int dst, int src, int[] rowList) {
            for (int b : rowList) System.arraycopy(v[src], b * width, v[dst], b * width, width);
        }

        @Override
        void zeroRows(int lane, int[] rowList) {
            for (int b : rowList) java.util.Arrays.fill(v[lane], b * width, (b + 1) * width, 0.0);
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
