package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.seqlab.layers.RecurrentTesting.B;
import static org.seqlab.layers.RecurrentTesting.H;
import static org.seqlab.layers.RecurrentTesting.IN;
import static org.seqlab.layers.RecurrentTesting.T;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqlab.graph.ParameterBuffer;
import org.seqlab.testing.GradientCheck;

class BidirectionalTest {

    private static Bidirectional biLstm() {
        return new Bidirectional("bi", new Lstm("fw", IN, H), new Lstm("bw", IN, H));
    }

    @Test
    void shapesAndParameters() {
        Bidirectional layer = biLstm();
        ParameterBuffer buffer = GradientCheck.bindDouble(layer, 1);
        assertEquals(2 * 4 * (IN * H + H * H + H), buffer.size());
        assertEquals(List.of("bi/fw_W_ih", "bi/fw_W_hh", "bi/fw_b", "bi/bw_W_ih", "bi/bw_W_hh", "bi/bw_b"), buffer.names());
        assertEquals(2 * H, layer.outputSize());
        SeqTensor out = layer.forward(GradientCheck.randomInput(T, B, IN, null, 2), Mode.eval().withRecord(true));
        assertEquals(2 * H, out.width());
        assertEquals(T * B, out.data().rows());
        assertEquals(4, layer.finalState().size());
        assertEquals(true, layer.recorded().containsKey("bw_h"));
        assertThrows(IllegalArgumentException.class, () -> new Bidirectional("x", new Lstm("a", 3, 4), new Lstm("b", 2, 4)));
    }

    @Test
    void gradients() {
        RecurrentTesting.gradientCheck(biLstm(), null, null, 3);
    }

    @Test
    void gradientsWithMaskAndInitialState() {
        RecurrentTesting.gradientCheck(biLstm(), RecurrentTesting.mask(T, 4, 2, 1), null, 4);
        List<INDArray> init = List.of(RecurrentTesting.randomState(B, H, 5), RecurrentTesting.randomState(B, H, 6),
                RecurrentTesting.randomState(B, H, 7), RecurrentTesting.randomState(B, H, 8));
        RecurrentTesting.gradientCheck(biLstm(), RecurrentTesting.mask(T, 2, 4, 3), init, 5);
    }

    @Test
    void gradientsOfBidirectionalGruWithMask() {
        RecurrentTesting.gradientCheck(new Bidirectional("bi", new Gru("fw", IN, H), new Gru("bw", IN, H)),
                RecurrentTesting.mask(T, 4, 2, 1), null, 9);
    }

    @Test
    void matchesTorchBidirectionalLstm() {
        RecurrentTesting.torchParity("lstm_bidirectional", BidirectionalTest::biLstm);
        RecurrentTesting.torchParity("lstm_bidirectional_masked", BidirectionalTest::biLstm);
    }
}
