package org.seqlab.layers;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parameter initialisers drawing from the model's seeded {@link Random}, so a seed fixes every
 * weight. Values are generated in Java and assigned in one operation into the bound view.
 */
public final class Init {
    private Init() {
    }

    /** Glorot/Xavier uniform: U(-a, a) with a = sqrt(6 / (fanIn + fanOut)), as torch's xavier_uniform_. */
    public static void xavierUniform(INDArray target, long fanIn, long fanOut, Random random) {
        uniform(target, Math.sqrt(6.0 / (fanIn + fanOut)), random);
    }

    /** U(-bound, bound). */
    public static void uniform(INDArray target, double bound, Random random) {
        double[] v = new double[(int) target.length()];
        for (int i = 0; i < v.length; i++) v[i] = (2 * random.nextDouble() - 1) * bound;
        assign(target, v);
    }

    /** N(0, std^2). */
    public static void normal(INDArray target, double std, Random random) {
        double[] v = new double[(int) target.length()];
        for (int i = 0; i < v.length; i++) v[i] = random.nextGaussian() * std;
        assign(target, v);
    }

    private static void assign(INDArray target, double[] values) {
        target.assign(Nd4j.create(values, target.shape(), target.dataType()));
    }
}
