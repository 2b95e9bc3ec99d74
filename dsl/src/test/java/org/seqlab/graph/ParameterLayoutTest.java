package org.seqlab.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqlab.Seq;
import org.seqlab.layers.Activation;
import org.seqlab.model.ModelSpec;

/** The layout computed from a spec alone is the one the compiler allocates. */
class ParameterLayoutTest {

    @Test
    void theLayoutOfASpecIsWhatCompilingItAllocates() {
        List<ModelSpec> specs = List.of(
                Seq.model().vocab(11).embed(6).lstm(8).attention(2).softmax().spec(),
                Seq.model().vocab(7).oneHot().bidirectional(Seq.gru(5)).dense(4, Activation.RELU).layerNorm().last().softmax(3).spec(),
                Seq.model().features(3).rnn(4).dropout(0.1).meanPool().linear(2).spec());
        for (ModelSpec spec : specs) {
            ParameterLayout layout = ParameterLayout.of(spec);
            ParameterBuffer allocated = Compiler.compile(spec, DataType.FLOAT).parameters();
            assertEquals(allocated.names(), layout.names());
            List<List<Long>> shapes = new ArrayList<>();
            for (INDArray v : allocated.byName().values()) shapes.add(boxed(v.shape()));
            assertEquals(shapes, layout.shapes().stream().map(ParameterLayoutTest::boxed).toList());
            assertEquals(allocated.size(), layout.total());
        }
    }

    @Test
    void locateNamesTheParameterAndElementOfAFlatIndex() {
        ParameterLayout layout = ParameterLayout.of(Seq.model().vocab(5).embed(3).lstm(2).softmax().spec());
        assertEquals("embedding_1/E[0, 0]", layout.locate(0));
        assertEquals("embedding_1/E[1, 2]", layout.locate(5));
        assertEquals("lstm_1/W_ih[0, 0]", layout.locate(15));
        assertThrows(IndexOutOfBoundsException.class, () -> layout.locate(layout.total()));
    }

    @Test
    void countsThatOverflowAreRefusedNotWrapped() {
        ModelSpec huge = Seq.model().vocab(Integer.MAX_VALUE).embed(Integer.MAX_VALUE).dense(Integer.MAX_VALUE, Activation.RELU)
                .dense(Integer.MAX_VALUE, Activation.RELU).dense(Integer.MAX_VALUE, Activation.RELU).softmax().spec();
        assertThrows(ArithmeticException.class, () -> ParameterLayout.of(huge));
    }

    private static List<Long> boxed(long[] a) {
        List<Long> out = new ArrayList<>();
        for (long x : a) out.add(x);
        return out;
    }
}
