package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.seqlab.layers.LayerTestSupport.assertClose;
import static org.seqlab.layers.LayerTestSupport.mask;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.graph.ParameterBuffer;
import org.seqlab.testing.GradientCheck;

/** LastStep and MeanPool: sequence-to-one layers. */
class PoolingTest {

    /** Rows t*B+b hold the value 10*t + b in every column, so picks are easy to read. */
    private static SeqTensor steps(int time, int batch, int width, INDArray mask) {
        INDArray x = Nd4j.zeros(DataType.DOUBLE, (long) time * batch, width);
        for (int t = 0; t < time; t++) for (int b = 0; b < batch; b++) x.getRow((long) t * batch + b).assign(10 * t + b);
        return new SeqTensor(x, time, batch, mask);
    }

    @Test
    void lastStepPicksTheLastRealStep() {
        LastStep last = new LastStep("last", 2);
        SeqTensor out = last.forward(steps(4, 3, 2, mask(4, 4, 2, 1)), Mode.eval());
        assertEquals(1, out.time());
        assertEquals(3, out.batch());
        assertNull(out.mask());
        assertClose(Nd4j.create(new double[] {30, 30, 11, 11, 2, 2}, new long[] {3, 2}, DataType.DOUBLE), out.data(), 0, "last");
        SeqTensor unmasked = last.forward(steps(4, 3, 2, null), Mode.eval());
        assertClose(Nd4j.create(new double[] {30, 30, 31, 31, 32, 32}, new long[] {3, 2}, DataType.DOUBLE), unmasked.data(), 0, "last");
    }

    @Test
    void meanPoolAveragesRealSteps() {
        MeanPool pool = new MeanPool("pool", 2);
        SeqTensor out = pool.forward(steps(4, 3, 2, mask(4, 4, 2, 1)), Mode.eval());
        assertEquals(1, out.time());
        assertNull(out.mask());
        // b=0: (0+10+20+30)/4, b=1: (1+11)/2, b=2: 2
        assertClose(Nd4j.create(new double[] {15, 15, 6, 6, 2, 2}, new long[] {3, 2}, DataType.DOUBLE), out.data(), 1e-12, "mean");
    }

    @Test
    void gradientChecks() {
        for (Layer layer : new Layer[] {new LastStep("last", 3), new MeanPool("pool", 3)}) {
            ParameterBuffer buffer = GradientCheck.bindDouble(layer, 1);
            GradientCheck.check(layer, buffer, GradientCheck.randomInput(4, 3, 3, mask(4, 4, 2, 1), 2), true, 3);
            GradientCheck.check(layer, buffer, GradientCheck.randomInput(3, 2, 3, null, 4), true, 5);
        }
    }

    @Test
    void paddedStepsGetNoGradient() {
        INDArray m = mask(3, 3, 1);
        for (Layer layer : new Layer[] {new LastStep("last", 2), new MeanPool("pool", 2)}) {
            SeqTensor out = layer.forward(GradientCheck.randomInput(3, 2, 2, m, 1), Mode.eval());
            SeqTensor dx = layer.backward(out.withData(Nd4j.ones(DataType.DOUBLE, 2, 2)));
            assertEquals(0, dx.data().mulColumnVector(m.rsub(1)).amaxNumber().doubleValue(), 0, layer.kind());
        }
    }
}
