package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GateMathTest {

    @Test
    void fastActivationsAreWithinFloatResolutionOfExactOnes() {
        int n = 400_001;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = -20.0 + 40.0 * i / (n - 1);
        double[] tanh = x.clone(), sigmoid = x.clone();
        GateMath.tanh(tanh, 0, n, true);
        GateMath.sigmoid(sigmoid, 0, n, true);
        double maxTanh = 0, maxSigmoid = 0;
        for (int i = 0; i < n; i++) {
            maxTanh = Math.max(maxTanh, Math.abs(tanh[i] - Math.tanh(x[i])));
            maxSigmoid = Math.max(maxSigmoid, Math.abs(sigmoid[i] - 1.0 / (1.0 + Math.exp(-x[i]))));
            assertTrue(Math.abs(tanh[i]) <= 1.0 && sigmoid[i] >= 0.0 && sigmoid[i] <= 1.0);
        }
        assertTrue(maxTanh < 1e-7, "tanh error " + maxTanh);
        assertTrue(maxSigmoid < 1e-7, "sigmoid error " + maxSigmoid);
    }

    @Test
    void floatActivationsAreWithinAFewFloatUlpsOfExactOnes() {
        int n = 400_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (-20.0 + 40.0 * i / (n - 1));
        float[] tanh = x.clone(), sigmoid = x.clone();
        GateMath.tanh(tanh, n);
        GateMath.sigmoid(sigmoid, n);
        double maxTanh = 0, maxSigmoid = 0;
        for (int i = 0; i < n; i++) {
            maxTanh = Math.max(maxTanh, Math.abs(tanh[i] - Math.tanh(x[i])));
            maxSigmoid = Math.max(maxSigmoid, Math.abs(sigmoid[i] - 1.0 / (1.0 + Math.exp(-x[i]))));
            assertTrue(Math.abs(tanh[i]) <= 1f && sigmoid[i] >= 0f && sigmoid[i] <= 1f);
        }
        assertTrue(maxTanh < 4e-7, "tanh error " + maxTanh);
        assertTrue(maxSigmoid < 4e-7, "sigmoid error " + maxSigmoid);
    }

    @Test
    void exactActivationsMatchTheLibrary() {
        double[] x = {-30, -3, -0.5, -1e-9, 0, 1e-9, 0.5, 3, 30};
        double[] tanh = x.clone(), sigmoid = x.clone();
        GateMath.tanh(tanh, 0, x.length, false);
        GateMath.sigmoid(sigmoid, 0, x.length, false);
        for (int i = 0; i < x.length; i++) {
            assertTrue(Math.abs(tanh[i] - Math.tanh(x[i])) < 1e-15, "tanh " + x[i]);
            assertTrue(Math.abs(sigmoid[i] - 1.0 / (1.0 + Math.exp(-x[i]))) < 1e-15, "sigmoid " + x[i]);
        }
    }
}
