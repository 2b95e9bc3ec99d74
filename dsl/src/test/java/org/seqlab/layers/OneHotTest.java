package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.seqlab.layers.LayerTestSupport.assertClose;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class OneHotTest {

    @Test
    void idsBecomeOneHotRowsWithoutParameters() {
        OneHot oneHot = new OneHot("onehot", 4);
        assertEquals(0, oneHot.paramSpecs().size());
        assertEquals(4, oneHot.outputSize());
        SeqTensor in = new SeqTensor(Nd4j.create(new double[] {3, 0, 1}, new long[] {3, 1}, DataType.FLOAT), 3, 1, null);
        SeqTensor out = oneHot.forward(in, Mode.eval());
        assertEquals(DataType.FLOAT, out.data().dataType());
        assertClose(Nd4j.create(new double[] {0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0}, new long[] {3, 4}, DataType.DOUBLE),
                out.data(), 0, "one-hot");
        assertNull(oneHot.backward(out));
    }

    @Test
    void outOfRangeIdIsRejected() {
        OneHot oneHot = new OneHot("onehot", 4);
        SeqTensor in = new SeqTensor(Nd4j.create(new double[] {4}, new long[] {1, 1}, DataType.DOUBLE), 1, 1, null);
        assertThrows(IllegalArgumentException.class, () -> oneHot.forward(in, Mode.eval()));
    }
}
