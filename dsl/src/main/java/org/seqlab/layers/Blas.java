package org.seqlab.layers;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.bytedeco.openblas.presets.openblas_nolapack.SetNumThreads;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code C = alpha op(A) op(B) + beta C} straight into the OpenBLAS that ND4J itself loads (the
 * same {@code cblas_?gemm} its BLAS wrapper calls), for row-major 2-D arrays whose rows are
 * contiguous (views of row or column ranges included). Anything else goes through
 * {@link Nd4j#gemm}.
 *
 * <p>Why, measured on ND4J 1.0.0-M2.1 with one thread: an eager {@code Nd4j.gemm} costs ~25 us
 * more than the BLAS call it makes (a recurrent step makes one or two), {@code a.mmul(b.transpose())}
 * with 65 columns was 4-5x slower than the same product as a gemm with a transpose flag, and a
 * one-row product ({@code [1,K] x [K,N]}, step-by-step generation) ran as a gemm that packs all of B
 * on every call: as {@code cblas_?gemv} it is 6-7x faster.
 */
final class Blas {
    private Blas() {
    }

    /** {@code c = alpha op(a) op(b) + beta c}; c must be [M, N] with op(a) [M, K] and op(b) [K, N]. */
    static void gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha, double beta) {
        DataType type = c.dataType();
        if ((type != DataType.FLOAT && type != DataType.DOUBLE) || a.dataType() != type || b.dataType() != type
                || !rowMajor(a) || !rowMajor(b) || !rowMajor(c)) {
            Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
            return;
        }
        long m = transA ? a.columns() : a.rows();
        long k = transA ? a.rows() : a.columns();
        long n = transB ? b.rows() : b.columns();
        if ((transB ? b.columns() : b.rows()) != k || c.rows() != m || c.columns() != n) {
            throw new IllegalArgumentException("gemm shapes: op(A) [" + m + ", " + k + "], op(B) "
                    + java.util.Arrays.toString(b.shape()) + (transB ? "^T" : "") + ", C " + java.util.Arrays.toString(c.shape()));
        }
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (beta == 0) c.assign(0);
            else if (beta != 1) c.muli(beta);
            return;
        }
        int lda = ld(a), ldb = ld(b), ldc = ld(c);
        if (m == 1) {
            // One output row: c^T = op(b)^T op(a)^T, a matrix-vector product over b.
            int incA = transA ? (int) Math.max(1, a.stride(0)) : 1;
            int bTrans = transB ? CblasNoTrans : CblasTrans;
            int br = (int) b.rows(), bc = (int) b.columns();
            if (type == DataType.FLOAT) {
                openblas_nolapack.cblas_sgemv(CblasRowMajor, bTrans, br, bc, (float) alpha, fp(b), ldb, fp(a), incA,
                        (float) beta, fp(c), 1);
            } else {
                openblas_nolapack.cblas_dgemv(CblasRowMajor, bTrans, br, bc, alpha, dp(b), ldb, dp(a), incA, beta, dp(c), 1);
            }
            return;
        }
        int ta = transA ? CblasTrans : CblasNoTrans, tb = transB ? CblasTrans : CblasNoTrans;
        if (type == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(CblasRowMajor, ta, tb, (int) m, (int) n, (int) k, (float) alpha, fp(a), lda,
                    fp(b), ldb, (float) beta, fp(c), ldc);
        } else {
            openblas_nolapack.cblas_dgemm(CblasRowMajor, ta, tb, (int) m, (int) n, (int) k, alpha, dp(a), lda,
                    dp(b), ldb, beta, dp(c), ldc);
        }
    }

    /** The thread count the BLAS runs a product with: the compute threads the user gave seqlab (1 by default in our launchers). */
    static synchronized int threads() {
        // A count set through the presets (ND4J's setMaxThreads, a user's call in a notebook) since the
        // last look is OpenBLAS's count now; the presets' getter only sees those calls, not ours (~2 ns).
        int presets = openblas_nolapack.blas_get_num_threads();
        if (presets != ThreadCount.presetsSeen) {
            ThreadCount.presetsSeen = presets;
            if (presets > 0) ThreadCount.current = presets;
        }
        return ThreadCount.current;
    }

    /** Sets {@link #threads()}; a {@link StepTeam} runs its members' products on one thread each. */
    static synchronized void setThreads(int threads) {
        ThreadCount.set.call(threads);
        ThreadCount.current = Math.max(1, threads);
    }

    /**
     * OpenBLAS's thread count, set through its own {@code openblas_set_num_threads}, looked up once: the
     * presets' {@code blas_set_num_threads} loads the library again and looks up four symbols on every call
     * (file checks included): ~240 us a call against ~0.1 us, and a recurrent pass on a team sets it twice.
     */
    private static final class ThreadCount {
        static final SetNumThreads set = lookUp();
        /** OpenBLAS's count as last set, here or through the presets. */
        static int current = 1;
        /** What the presets' getter answered at the last look: it answers -1 until a call through them. */
        static int presetsSeen = -1;

        private static SetNumThreads lookUp() {
            Loader.load(openblas_nolapack.class);
            Pointer address = Loader.addressof("openblas_set_num_threads");
            if (address == null) throw new IllegalStateException("ND4J's OpenBLAS has no openblas_set_num_threads");
            SetNumThreads function = new SetNumThreads() { }; // its constructor is protected: allocates the holder
            function.put(address);
            return function;
        }
    }

    /** A new {@code op(a) op(b)} (in uninitialised memory: beta = 0 overwrites every element, as k = 0 does above). */
    static INDArray gemm(INDArray a, INDArray b, boolean transA, boolean transB) {
        INDArray c = StepBuffers.uninitialized(a.dataType(), transA ? a.columns() : a.rows(), transB ? b.rows() : b.columns());
        gemm(a, b, c, transA, transB, 1.0, 0.0);
        return c;
    }

    /**
     * 2-D with contiguous rows whose row stride is at least the row length (so it is the leading
     * dimension). Judged by strides, not {@code ordering()}: ND4J calls a one-row view 'f'.
     */
    private static boolean rowMajor(INDArray x) {
        if (x.rank() != 2 || x.isEmpty() || x.length() == 0) return false;
        long rows = x.rows(), cols = x.columns();
        return (cols == 1 || x.stride(1) == 1)
                && (rows == 1 || (x.stride(0) >= cols && x.stride(0) <= Integer.MAX_VALUE));
    }

    /** Leading dimension of a {@link #rowMajor} array (any value >= the row length for one row). */
    private static int ld(INDArray x) {
        return x.rows() == 1 ? (int) Math.max(1, x.columns()) : (int) x.stride(0);
    }

    private static FloatPointer fp(INDArray x) {
        return new FloatPointer(x.data().addressPointer());
    }

    private static DoublePointer dp(INDArray x) {
        return new DoublePointer(x.data().addressPointer());
    }
}
