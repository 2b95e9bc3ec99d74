package org.seqlab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.seqlab.graph.CompiledModel;
import org.seqlab.layers.Mode;
import org.seqlab.layers.SeqTensor;

/** Generation steps the state one token at a time; that must equal reading the whole prefix at once. */
class GenerateTest {

    @Test
    void steppingOneTokenAtATimeEqualsTheFullForwardPass() {
        Model m = Model.compile(Seq.model().vocab(12).embed(6).lstm(8).attention(2).gru(8).dense(8).softmax().seed(2).spec(),
                DataType.DOUBLE);
        int[] ids = {2, 5, 7, 3, 11, 4, 9, 6};
        INDArray full = m.predict(Nd4j.createFromArray(new int[][] {ids}).castTo(DataType.DOUBLE)); // [1, T, C]

        CompiledModel g = m.graph();
        g.resetState();
        Mode stepping = new Mode(false, true, false, new Random(0));
        for (int t = 0; t < ids.length; t++) {
            SeqTensor in = g.inputs(Nd4j.createFromArray(new double[][] {{ids[t]}}), null);
            INDArray p = g.loss().predict(g.forward(in, stepping).data());
            INDArray expected = full.get(NDArrayIndex.point(0), NDArrayIndex.point(t), NDArrayIndex.all());
            assertTrue(p.reshape(expected.shape()).equalsWithEps(expected, 1e-10), "step " + t);
        }
        g.resetState();
    }

    @Test
    void sameSeedSameTextAndTemperatureZeroIsGreedy() {
        Model m = Seq.model().vocab(10).embed(4).lstm(8).softmax().seed(1).build();
        int[] a = m.generate(new int[] {2, 3}, 30, 1.0, 7);
        assertArrayEquals(a, m.generate(new int[] {2, 3}, 30, 1.0, 7));
        int[] greedy = m.generate(new int[] {2, 3}, 5, 0.0, 1);
        INDArray probs = m.predict(Nd4j.createFromArray(new float[][] {{2, 3}}));
        int best = Nd4j.argMax(probs.get(NDArrayIndex.point(0), NDArrayIndex.point(1), NDArrayIndex.all())).getInt(0);
        assertEquals(best, greedy[0]);
    }

    @Test
    void bidirectionalModelsRefuseToGenerate() {
        Model m = Seq.model().vocab(10).embed(4).bidirectional(Seq.lstm(4)).softmax().build();
        String msg = assertThrows(IllegalStateException.class, () -> m.generate(new int[] {2}, 3, 1.0, 1)).getMessage();
        assertTrue(msg.contains("bidirectional"), msg);
    }
}
