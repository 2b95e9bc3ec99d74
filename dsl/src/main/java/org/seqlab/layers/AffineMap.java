package org.seqlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code y = x W + b} on every row and its backward pass, straight on BLAS ({@link Blas}): what
 * {@link Dense} and the projections of {@link MultiHeadAttention} share. The bias rows are laid down
 * by one broadcast copy into fresh memory (tiling them in a Java array first measured up to twice the
 * product's own time) and the product adds onto them; column sums for the bias
 * gradient are a gemv with a ones column (a sum over dimension 0 of a c-order matrix is a strided walk).
 */
final class AffineMap {
    private INDArray ones;

    /** A new {@code [rows, out]} array {@code x W + b}. */
    INDArray forward(INDArray x, INDArray w, INDArray b) {
        INDArray y = biasRows(b, (int) x.rows(), (int) w.columns());
        Blas.gemm(x, w, y, false, false, 1.0, 1.0);
        return y;
    }

    /** Adds {@code x^T g} into {@code dW} and the column sums of {@code g} into {@code db}; returns {@code g W^T}. */
    INDArray backward(INDArray x, INDArray g, INDArray w, INDArray dW, INDArray db) {
        Blas.gemm(x, g, dW, true, false, 1.0, 1.0);
        if (ones == null || ones.rows() != g.rows() || ones.dataType() != g.dataType()) ones = Nd4j.ones(g.dataType(), g.rows(), 1);
        Blas.gemm(ones, g, db.reshape(1, db.length()), true, false, 1.0, 1.0);
        return Blas.gemm(g, w, false, true);
    }

    /** A new {@code [rows, out]} array with b in every row: one native broadcast copy into uninitialised memory. */
    private static INDArray biasRows(INDArray b, int rows, int out) {
        return StepBuffers.uninitialized(b.dataType(), rows, out).putiRowVector(b.reshape(1, out));
    }
}
