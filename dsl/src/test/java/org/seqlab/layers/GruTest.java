package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.seqlab.layers.RecurrentTesting.B;
import static org.seqlab.layers.RecurrentTesting.H;
import static org.seqlab.layers.RecurrentTesting.IN;
import static org.seqlab.layers.RecurrentTesting.T;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.seqlab.graph.ParameterBuffer;
import org.seqlab.testing.GradientCheck;

class GruTest {

    @Test
    void shapesAndParameterCount() {
        Gru layer = new Gru("gru", IN, H);
        ParameterBuffer buffer = GradientCheck.bindDouble(layer, 1);
        assertEquals(3 * (IN * H + H * H + 2 * H), buffer.size());
        assertEquals(List.of("gru/W_ih", "gru/W_hh", "gru/b_ih", "gru/b_hh"), buffer.names());
        SeqTensor out = layer.forward(GradientCheck.randomInput(T, B, IN, null, 2), Mode.eval());
        assertEquals(T * B, out.data().rows());
        assertEquals(H, out.width());
        assertEquals(1, layer.finalState().size());
    }

    @Test
    void gradients() {
        RecurrentTesting.gradientCheck(new Gru("gru", IN, H), null, null, 3);
    }

    @Test
    void gradientsWithMaskAndInitialState() {
        RecurrentTesting.gradientCheck(new Gru("gru", IN, H), RecurrentTesting.mask(T, 4, 2, 1), null, 4);
        RecurrentTesting.gradientCheck(new Gru("gru", IN, H), RecurrentTesting.mask(T, 1, 4, 3),
                List.of(RecurrentTesting.randomState(B, H, 5)), 5);
    }

    @Test
    void matchesTorchGru() {
        RecurrentTesting.torchParity("gru", () -> new Gru("gru", IN, H));
        RecurrentTesting.torchParity("gru_masked", () -> new Gru("gru", IN, H));
    }

    @Test
    void recordedStateIsTheOutputAndSteppingMatchesFullForward() {
        RecurrentTesting.recordAndStepping(new Gru("gru", IN, H));
    }

    @Test
    void recordsGates() {
        Gru layer = new Gru("gru", IN, H);
        GradientCheck.bindDouble(layer, 7);
        layer.forward(GradientCheck.randomInput(T, B, IN, null, 8), org.seqlab.layers.Mode.eval().withRecord(true));
        assertEquals(List.of("h", "n", "r", "z"), layer.recorded().keySet().stream().sorted().toList());
    }

    @Test
    void stepGradientsAndMasks() {
        RecurrentTesting.stepGradientsAndMaskedOutputs(new Gru("gru", IN, H));
    }
}
