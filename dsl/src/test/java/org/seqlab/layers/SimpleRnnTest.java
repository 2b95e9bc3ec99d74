package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.seqlab.layers.RecurrentTesting.B;
import static org.seqlab.layers.RecurrentTesting.H;
import static org.seqlab.layers.RecurrentTesting.IN;
import static org.seqlab.layers.RecurrentTesting.T;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.graph.ParameterBuffer;
import org.seqlab.testing.GradientCheck;

class SimpleRnnTest {

    private static SimpleRnn rnn(Activation act) {
        return new SimpleRnn("rnn", IN, H, act, false);
    }

    @Test
    void shapesAndParameterCount() {
        SimpleRnn layer = rnn(Activation.TANH);
        ParameterBuffer buffer = GradientCheck.bindDouble(layer, 1);
        assertEquals(IN * H + H * H + H, buffer.size());
        assertEquals(List.of("rnn/W_ih", "rnn/W_hh", "rnn/b"), buffer.names());
        SeqTensor out = layer.forward(GradientCheck.randomInput(T, B, IN, null, 2), Mode.eval());
        assertEquals(T * B, out.data().rows());
        assertEquals(H, out.width());
        assertEquals(1, layer.finalState().size());
        assertThrows(IllegalArgumentException.class, () -> new SimpleRnn("r", 2, 3, Activation.SIGMOID, false));
    }

    @Test
    void identityInitStartsWithIdentityRecurrence() {
        SimpleRnn layer = new SimpleRnn("irnn", IN, H, Activation.RELU, true);
        ParameterBuffer buffer = GradientCheck.bindDouble(layer, 1);
        RecurrentTesting.assertClose("W_hh", Nd4j.eye(H).castTo(DataType.DOUBLE), buffer.byName().get("irnn/W_hh"), 0);
        RecurrentTesting.assertClose("b", Nd4j.zeros(DataType.DOUBLE, H), buffer.byName().get("irnn/b"), 0);
    }

    @Test
    void gradientsTanh() {
        RecurrentTesting.gradientCheck(rnn(Activation.TANH), null, null, 3);
    }

    @Test
    void gradientsRelu() {
        RecurrentTesting.gradientCheck(rnn(Activation.RELU), null, null, 4);
    }

    @Test
    void gradientsWithMaskAndInitialState() {
        for (Activation act : List.of(Activation.TANH, Activation.RELU)) {
            RecurrentTesting.gradientCheck(rnn(act), RecurrentTesting.mask(T, 4, 2, 1), null, 5);
            RecurrentTesting.gradientCheck(rnn(act), RecurrentTesting.mask(T, 4, 3, 1),
                    List.of(RecurrentTesting.randomState(B, H, 6)), 6);
        }
    }

    @Test
    void matchesTorchRnn() {
        RecurrentTesting.torchParity("rnn_tanh", () -> new SimpleRnn("rnn", IN, H, Activation.TANH, false));
        RecurrentTesting.torchParity("rnn_relu", () -> new SimpleRnn("rnn", IN, H, Activation.RELU, false));
    }

    @Test
    void recordedStateIsTheOutputAndSteppingMatchesFullForward() {
        RecurrentTesting.recordAndStepping(rnn(Activation.TANH));
    }

    @Test
    void stepGradientsAndMasks() {
        RecurrentTesting.stepGradientsAndMaskedOutputs(rnn(Activation.TANH));
    }
}
