package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link FloatGelu} against GELU in double through ND4J's erf: values and slopes, on one and two threads. */
class FloatGeluTest {

    @Test
    void matchesTheDoubleGeluAndItsSlope() {
        assumeTrue(StepGemm.VECTORS, "the JVM has no jdk.incubator.vector: FloatGelu is not used");
        for (int threads : new int[] {1, 2}) {
            // 200,003 values: far tails, the region near 0, and a length that is no whole number of vectors
            int n = 200_003;
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = -12 + 24.0 * i / (n - 1);
            INDArray reference = Nd4j.create(x, new long[] {n}, DataType.DOUBLE);
            INDArray refSlope = Activation.geluInPlace(reference);
            INDArray values = Nd4j.create(x, new long[] {n}, DataType.DOUBLE).castTo(DataType.FLOAT);
            assertEquals(true, FloatGelu.applies(values));
            Blas.setThreads(threads);
            INDArray slope;
            try {
                slope = Activation.geluInPlace(values);
            } finally {
                Blas.setThreads(1);
            }
            LayerTestSupport.assertClose(reference, values, 1e-6, threads + " threads: gelu");
            LayerTestSupport.assertClose(refSlope, slope, 1e-6, threads + " threads: slope");
        }
    }

    @Test
    void knownValues() {
        assumeTrue(StepGemm.VECTORS, "the JVM has no jdk.incubator.vector: FloatGelu is not used");
        INDArray x = Nd4j.create(new float[] {-3, -1, 0, 0.5f, 1, 3}, new long[] {6}, 'c');
        INDArray slope = FloatGelu.applyInPlace(x);
        // x Phi(x) from the normal CDF's tables: Phi(1) = 0.841344746, Phi(3) = 0.998650102, Phi(0.5) = 0.691462461
        float[] expected = {-3 * 0.001349898f, -0.158655254f, 0, 0.5f * 0.691462461f, 0.841344746f, 3 * 0.998650102f};
        for (int i = 0; i < 6; i++) assertEquals(expected[i], x.getFloat(i), 2e-7, "gelu " + i);
        assertEquals(0.5f, slope.getFloat(2), 1e-7, "slope at 0 is Phi(0)");
    }
}
