package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The packed Vector API product equals the BLAS one for every tile height (8, 4 and single rows, and
 * their mixes), column counts that are not a whole number of panels, weights given as a strided view,
 * and both input buffers; it is the product float models use when the JVM has the Vector API (the
 * test JVMs do: see the parent POM).
 */
class StepGemmTest {
    @Test
    void floatStepsUseThePackedProductInTheseTests() {
        assertTrue(StepGemm.VECTORS, "the test JVM runs with --add-modules jdk.incubator.vector, so float steps are packed");
        assertTrue(StepGemm.create(DataType.FLOAT, 4, 8, 8, 10) instanceof PackedStepGemm);
        assertTrue(StepGemm.create(DataType.FLOAT, 1, 8, 8, 1) instanceof BlasStepGemm, "a one-step pass (generation) does not pack");
        assertTrue(StepGemm.create(DataType.DOUBLE, 4, 8, 8, 10) instanceof BlasStepGemm, "double steps stay exact on the BLAS");
    }

    @Test
    void packedEqualsBlas() {
        int[][] shapes = {{1, 7, 5}, {3, 16, 40}, {5, 33, 31}, {8, 64, 96}, {13, 70, 100}, {32, 128, 512}, {12, 9, 1}};
        // and a share's columns: columns [3, 3 + 7) of each of 4 blocks of 20, as a team member takes them
        shareColumns();
        for (int[] s : shapes) {
            int m = s[0], k = s[1], n = s[2];
            Nd4j.getRandom().setSeed(m * 1000L + k + n);
            // W as a strided view (every other column of a wider matrix), as a share's columns are
            INDArray wide = Nd4j.rand(DataType.FLOAT, k, 2L * n).subi(0.5f);
            INDArray w = wide.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2, 2L * n));
            StepGemm packed = new PackedStepGemm(m, k, n), blas = new BlasStepGemm(DataType.FLOAT, m, k, n);
            packed.setWeights(w, 0, n);
            blas.setWeights(w, 0, n);
            for (int buffer = 0; buffer < 2; buffer++) {
                float[] a = Nd4j.rand(DataType.FLOAT, m, k).subi(0.5f).data().asFloat();
                packed.input(buffer).write(0, a, 0, a.length);
                blas.input(buffer).write(0, a, 0, a.length);
                packed.multiply(buffer);
                blas.multiply(buffer);
                double worst = 0;
                for (int r = 0; r < m; r++) {
                    float[] x = new float[n], y = new float[n];
                    packed.output().read(r * packed.outputStride(), x, 0, n);
                    blas.output().read(r * blas.outputStride(), y, 0, n);
                    for (int j = 0; j < n; j++) worst = Math.max(worst, Math.abs(x[j] - y[j]));
                }
                assertTrue(worst < 1e-5, "[" + m + ", " + k + "] x [" + k + ", " + n + "] buffer " + buffer + ": max diff " + worst);
            }
        }
    }

    private static void shareColumns() {
        Nd4j.getRandom().setSeed(5);
        INDArray source = Nd4j.rand(DataType.FLOAT, 11, 80);
        StepGemm packed = new PackedStepGemm(6, 11, 28), blas = new BlasStepGemm(DataType.FLOAT, 6, 11, 28);
        packed.setWeights(source, 3, 7);
        blas.setWeights(source, 3, 7);
        float[] a = Nd4j.rand(DataType.FLOAT, 6, 11).data().asFloat();
        packed.input(1).write(0, a, 0, a.length);
        packed.multiply(1);
        INDArray expected = Nd4j.create(a, new long[] {6, 11}, 'c').mmul(Nd4j.hstack(
                source.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 10)),
                source.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(23, 30)),
                source.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(43, 50)),
                source.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(63, 70))));
        for (int r = 0; r < 6; r++) {
            float[] x = new float[28];
            packed.output().read(r * packed.outputStride(), x, 0, 28);
            for (int j = 0; j < 28; j++) {
                assertTrue(Math.abs(x[j] - expected.getFloat(r, j)) < 1e-5, "share columns, row " + r + " column " + j);
            }
        }
    }

    /** Going backwards: W = rows [from, from + N) of the source, transposed; the source a view at an offset, as parameters are. */
    @Test
    void transposedRowsOfTheSource() {
        Nd4j.getRandom().setSeed(8);
        INDArray flat = Nd4j.rand(DataType.FLOAT, 50, 33).subi(0.5f);
        INDArray source = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 42), org.nd4j.linalg.indexing.NDArrayIndex.all());
        int m = 5, k = 33, n = 19, from = 7;
        INDArray expectedW = source.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + n),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).transpose();
        for (StepGemm product : new StepGemm[] {new PackedStepGemm(m, k, n), new BlasStepGemm(DataType.FLOAT, m, k, n)}) {
            product.setWeightsTransposed(source, from);
            float[] a = Nd4j.rand(DataType.FLOAT, m, k).subi(0.5f).data().asFloat();
            product.input(0).write(0, a, 0, a.length);
            product.multiply(0);
            INDArray expected = Nd4j.create(a, new long[] {m, k}, 'c').mmul(expectedW);
            for (int r = 0; r < m; r++) {
                float[] x = new float[n];
                product.output().read(r * product.outputStride(), x, 0, n);
                for (int j = 0; j < n; j++) {
                    assertTrue(Math.abs(x[j] - expected.getFloat(r, j)) < 1e-5,
                            product.getClass().getSimpleName() + " row " + r + " column " + j);
                }
            }
        }
    }
}
