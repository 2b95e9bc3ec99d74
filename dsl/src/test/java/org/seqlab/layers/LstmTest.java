package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.seqlab.layers.RecurrentTesting.B;
import static org.seqlab.layers.RecurrentTesting.H;
import static org.seqlab.layers.RecurrentTesting.IN;
import static org.seqlab.layers.RecurrentTesting.T;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.seqlab.graph.ParameterBuffer;
import org.seqlab.testing.GradientCheck;

class LstmTest {

    @Test
    void shapesAndParameterCount() {
        Lstm layer = new Lstm("lstm", IN, H);
        ParameterBuffer buffer = GradientCheck.bindDouble(layer, 1);
        assertEquals(4 * (IN * H + H * H + H), buffer.size());
        assertEquals(List.of("lstm/W_ih", "lstm/W_hh", "lstm/b"), buffer.names());
        SeqTensor out = layer.forward(GradientCheck.randomInput(T, B, IN, null, 2), Mode.eval());
        assertEquals(T * B, out.data().rows());
        assertEquals(H, out.width());
        assertEquals(2, layer.finalState().size());
        INDArray forgetBias = buffer.byName().get("lstm/b").get(NDArrayIndex.interval(H, 2 * H));
        assertEquals(Lstm.DEFAULT_FORGET_BIAS, forgetBias.minNumber().doubleValue());
        assertEquals(Lstm.DEFAULT_FORGET_BIAS, forgetBias.maxNumber().doubleValue());
        double k = 1 / Math.sqrt(H);
        assertEquals(true, buffer.byName().get("lstm/W_hh").amaxNumber().doubleValue() <= k);
    }

    @Test
    void gradients() {
        RecurrentTesting.gradientCheck(new Lstm("lstm", IN, H), null, null, 3);
    }

    @Test
    void gradientsWithMask() {
        RecurrentTesting.gradientCheck(new Lstm("lstm", IN, H), RecurrentTesting.mask(T, 4, 2, 1), null, 4);
    }

    @Test
    void gradientsWithInitialState() {
        List<INDArray> init = List.of(RecurrentTesting.randomState(B, H, 5), RecurrentTesting.randomState(B, H, 6));
        RecurrentTesting.gradientCheck(new Lstm("lstm", IN, H), null, init, 5);
        RecurrentTesting.gradientCheck(new Lstm("lstm", IN, H), RecurrentTesting.mask(T, 3, 4, 1), init, 6);
    }

    @Test
    void matchesTorchLstm() {
        RecurrentTesting.torchParity("lstm", () -> new Lstm("lstm", IN, H));
        RecurrentTesting.torchParity("lstm_masked", () -> new Lstm("lstm", IN, H));
    }

    @Test
    void recordedStateIsTheOutputAndSteppingMatchesFullForward() {
        RecurrentTesting.recordAndStepping(new Lstm("lstm", IN, H));
    }

    @Test
    void recordedGatesAreConsistent() {
        Lstm layer = new Lstm("lstm", IN, H);
        GradientCheck.bindDouble(layer, 7);
        layer.forward(GradientCheck.randomInput(T, B, IN, null, 8), Mode.eval().withRecord(true));
        Map<String, INDArray> rec = layer.recorded();
        assertEquals(List.of("c", "f", "g", "h", "i", "o"), rec.keySet().stream().sorted().toList());
        RecurrentTesting.assertClose("h = o tanh(c)", rec.get("h"), rec.get("o").mul(Transforms.tanh(rec.get("c"))), 1e-12);
        for (String gate : List.of("i", "f", "o")) {
            assertEquals(true, rec.get(gate).minNumber().doubleValue() > 0 && rec.get(gate).maxNumber().doubleValue() < 1, gate);
        }
        layer.forward(GradientCheck.randomInput(T, B, IN, null, 8), Mode.eval());
        assertEquals(Map.of(), layer.recorded());
    }

    @Test
    void stepGradientsAndMasks() {
        RecurrentTesting.stepGradientsAndMaskedOutputs(new Lstm("lstm", IN, H));
    }

    @Test
    void floatComputesInFloat() {
        Lstm layer = new Lstm("lstm", IN, H);
        new ParameterBuffer(List.of(layer), DataType.FLOAT);
        layer.initialize(new Random(1));
        SeqTensor out = layer.forward(GradientCheck.randomInput(T, B, IN, null, 2), Mode.eval());
        assertEquals(DataType.FLOAT, out.data().dataType());
    }
}
