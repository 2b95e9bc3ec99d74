package org.seqlab.layers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link StepGemm} for float models on the Java Vector API: W is packed once per pass into panels
 * of {@code 2L} columns ({@code L} floats per vector: 16 with AVX-512, 8 with AVX2), each panel K rows
 * of contiguous values, and a register-blocked kernel keeps {@code rows x 2} vector accumulators over
 * the whole K loop while W streams through once.
 *
 * <p>Why not the BLAS: a recurrent step multiplies a few rows (the batch) by the same W at every step,
 * and a BLAS call packs all of W each time. Measured on this project's 2-core AMD EPYC (one thread,
 * AVX-512): {@code [32, 512] x [512, 2048]} 629 us here against 997 us in ND4J's OpenBLAS 0.3.19
 * (SkylakeX kernels), and the music model's {@code [8, 1024] x [1024, 4096]} 649 us against 2,551 us.
 *
 * <p>The kernel of each tile height is a small method of its own: written as one large method, C2
 * compiled some shapes (K*N = 2^18, 2^19) to code 20x slower, reproducibly.
 */
final class PackedStepGemm extends StepGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns per panel: two vectors. */
    private static final int PANEL = 2 * L;

    private final int paddedN;
    private final float[] panels;
    private final float[][] inputs;
    private final float[] product;
    /** Scratch of {@link #setWeights}: one row of W; of {@link #setWeightsTransposed}: one column. */
    private final float[] row;
    private float[] column = new float[0];

    PackedStepGemm(int m, int k, int n) {
        this(m, k, n, new float[][] {new float[m * k], new float[m * k]}, new float[m * padded(n)]);
    }

    private PackedStepGemm(int m, int k, int n, float[][] inputs, float[] product) {
        super(m, k, n, padded(n), FlatView.of(inputs[0]), FlatView.of(inputs[1]), FlatView.of(product));
        paddedN = padded(n);
        panels = new float[paddedN * k];
        this.inputs = inputs;
        this.row = new float[n];
        this.product = product;
    }

    /** N rounded up to whole panels: C's row stride. */
    private static int padded(int n) {
        return (n + PANEL - 1) / PANEL * PANEL;
    }

    /** True when vectors are at least 256 bits wide here (else the BLAS is faster). */
    static boolean vectorsWideEnough() {
        // not S: StepGemm asks while initializing, possibly before this class's own fields are set
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    }

    @Override
    StepGemm withSameInput(int columns) {
        return new PackedStepGemm(m, k, columns, inputs, new float[m * padded(columns)]);
    }

    @Override
    void setWeights(INDArray source, int from, int width) {
        FloatPointer values = floats(source);
        int cols = (int) source.columns(), blocks = n / width, full = cols / blocks;
        for (int kk = 0; kk < k; kk++) {
            // row kk of W: this share's columns of each block, side by side (read straight from the source)
            for (int q = 0; q < blocks; q++) values.position((long) kk * cols + q * full + from).get(row, q * width, width);
            for (int p = 0; p < paddedN / PANEL; p++) {
                // columns past N stay 0 (set once: nothing else writes them)
                System.arraycopy(row, p * PANEL, panels, (p * k + kk) * PANEL, Math.min(PANEL, n - p * PANEL));
            }
        }
    }

    @Override
    void setWeightsTransposed(INDArray source, int from) {
        FloatPointer values = floats(source);
        int cols = (int) source.columns();
        if (column.length < k) column = new float[k];
        for (int c = 0; c < n; c++) {
            // column c of W is row from + c of the source
            values.position((long) (from + c) * cols).get(column, 0, k);
            int p0 = c / PANEL * k * PANEL + c % PANEL;
            for (int kk = 0; kk < k; kk++) panels[p0 + kk * PANEL] = column[kk];
        }
    }

    /** The source's float values from its first element, row-major with rows {@code columns()} apart (a copy when it is not). */
    private static FloatPointer floats(INDArray source) {
        INDArray dense = source.dataType() == DataType.FLOAT && RowAccess.contiguous(source) ? source
                : source.castTo(DataType.FLOAT).dup('c');
        return new FloatPointer(dense.data().addressPointer());
    }

    @Override
    void multiply(int buffer) {
        float[] a = inputs[buffer];
        for (int p = 0; p < paddedN / PANEL; p++) {
            int p0 = p * k * PANEL, col = p * PANEL;
            int r = 0;
            for (; r + 8 <= m; r += 8) tile8(a, r * k, k, panels, p0, product, r * paddedN + col, paddedN);
            for (; r + 4 <= m; r += 4) tile4(a, r * k, k, panels, p0, product, r * paddedN + col, paddedN);
            for (; r < m; r++) tile1(a, r * k, k, panels, p0, product, r * paddedN + col, paddedN);
        }
    }

    // The tiles below are one kernel written out per height (8, 4, 1 rows): Java keeps a vector in a
    // register only as a local variable, so the 2 x rows accumulators cannot be an array or a loop.

    /** 8 rows of C at {@code c0}, one panel: {@code C[r][0, 2L) = sum over kk of A[r][kk] * panel[kk][0, 2L)}. */
    private static void tile8(float[] a, int a0, int k, float[] panels, int p0, float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S),
                c10 = FloatVector.zero(S), c11 = FloatVector.zero(S),
                c20 = FloatVector.zero(S), c21 = FloatVector.zero(S),
                c30 = FloatVector.zero(S), c31 = FloatVector.zero(S),
                c40 = FloatVector.zero(S), c41 = FloatVector.zero(S),
                c50 = FloatVector.zero(S), c51 = FloatVector.zero(S),
                c60 = FloatVector.zero(S), c61 = FloatVector.zero(S),
                c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int o = p0 + kk * PANEL;
            FloatVector b0 = FloatVector.fromArray(S, panels, o), b1 = FloatVector.fromArray(S, panels, o + L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[a0 + k + kk]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[a0 + 2 * k + kk]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[a0 + 3 * k + kk]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, a[a0 + 4 * k + kk]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, a[a0 + 5 * k + kk]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(S, a[a0 + 6 * k + kk]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(S, a[a0 + 7 * k + kk]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, c0 + ldc);
        c11.intoArray(c, c0 + ldc + L);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + L);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + L);
        c40.intoArray(c, c0 + 4 * ldc);
        c41.intoArray(c, c0 + 4 * ldc + L);
        c50.intoArray(c, c0 + 5 * ldc);
        c51.intoArray(c, c0 + 5 * ldc + L);
        c60.intoArray(c, c0 + 6 * ldc);
        c61.intoArray(c, c0 + 6 * ldc + L);
        c70.intoArray(c, c0 + 7 * ldc);
        c71.intoArray(c, c0 + 7 * ldc + L);
    }

    /** 4 rows of C at {@code c0}, one panel: {@code C[r][0, 2L) = sum over kk of A[r][kk] * panel[kk][0, 2L)}. */
    private static void tile4(float[] a, int a0, int k, float[] panels, int p0, float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S),
                c10 = FloatVector.zero(S), c11 = FloatVector.zero(S),
                c20 = FloatVector.zero(S), c21 = FloatVector.zero(S),
                c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int o = p0 + kk * PANEL;
            FloatVector b0 = FloatVector.fromArray(S, panels, o), b1 = FloatVector.fromArray(S, panels, o + L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[a0 + k + kk]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[a0 + 2 * k + kk]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[a0 + 3 * k + kk]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, c0 + ldc);
        c11.intoArray(c, c0 + ldc + L);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + L);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + L);
    }

    /** 1 rows of C at {@code c0}, one panel: {@code C[r][0, 2L) = sum over kk of A[r][kk] * panel[kk][0, 2L)}. */
    private static void tile1(float[] a, int a0, int k, float[] panels, int p0, float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int o = p0 + kk * PANEL;
            FloatVector b0 = FloatVector.fromArray(S, panels, o), b1 = FloatVector.fromArray(S, panels, o + L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
    }
}
