package org.seqlab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** predict() refuses shapes it cannot take in our own words, before ND4J sees them. */
class PredictInputsTest {
    private static final Model TOKENS = Seq.model().vocab(10).embed(4).lstm(4).softmax().seed(1).build();
    private static final Model VALUES = Seq.model().features(3).lstm(4).last().linear(1).seed(1).build();

    private static String refusal(Model m, org.nd4j.linalg.api.ndarray.INDArray x) {
        return assertThrows(IllegalArgumentException.class, () -> m.predict(x)).getMessage();
    }

    @Test
    void aRankOneInputSaysToAddTheBatchDimension() {
        String msg = refusal(TOKENS, Nd4j.createFromArray(new float[] {1, 2, 3}));
        assertTrue(msg.equals("predict() takes [batch, time] token ids, got shape [3]; for one sequence add the batch "
                + "dimension: inputs.reshape(1, n)"), msg);
        msg = refusal(VALUES, Nd4j.zeros(DataType.FLOAT, 5, 3));
        assertTrue(msg.startsWith("predict() takes [batch, time, 3] values, got shape [5, 3]") && msg.contains("reshape(1, n, 3)"), msg);
        msg = refusal(TOKENS, Nd4j.scalar(2f));
        assertTrue(msg.startsWith("predict() takes [batch, time] token ids, got shape []"), msg);
    }

    @Test
    void anEmptyInputIsRefusedClearly() {
        for (long[] shape : new long[][] {{0, 5}, {2, 0}}) {
            String msg = refusal(TOKENS, Nd4j.create(DataType.FLOAT, shape));
            assertTrue(msg.startsWith("predict() got an empty input, shape"), msg);
        }
        assertTrue(refusal(VALUES, Nd4j.create(DataType.FLOAT, 1, 0, 3)).startsWith("predict() got an empty input"));
        Model text = Seq.model().vocab(org.seqlab.data.Vocab.chars("abc")).embed(4).lstm(4).softmax().build();
        String msg = assertThrows(IllegalArgumentException.class, () -> text.predict("")).getMessage();
        assertTrue(msg.contains("empty text"), msg);
    }

    @Test
    void aMaskOfAnotherShapeIsRefusedAndAGoodInputStillWorks() {
        var x = Nd4j.createFromArray(new float[][] {{1, 2, 3}});
        String msg = assertThrows(IllegalArgumentException.class, () -> TOKENS.predict(x, Nd4j.ones(DataType.FLOAT, 1, 2))).getMessage();
        assertTrue(msg.contains("the mask must be [batch, time] = [1, 3]"), msg);
        assertArrayEquals(new long[] {1, 3, 10}, TOKENS.predict(x).shape());
    }
}
