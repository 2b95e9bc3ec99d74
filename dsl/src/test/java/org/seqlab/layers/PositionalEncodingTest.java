package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqlab.layers.LayerTestSupport.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.graph.ParameterBuffer;
import org.seqlab.testing.GradientCheck;
import org.seqlab.testing.TorchFixture;

class PositionalEncodingTest {

    /** The table of Vaswani et al. (2017), as the reference script computes it, for even and odd widths. */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void sinusoidsAreTheTransformerPapersTable(DataType type) {
        TorchFixture f = TorchFixture.load("/reference/positional.txt");
        for (String name : new String[] {"sinusoid_even", "sinusoid_odd"}) {
            INDArray expected = f.get(name);
            int rows = (int) expected.size(0), width = (int) expected.size(1);
            PositionalEncoding p = PositionalEncoding.sinusoidal("positional_1", width);
            bind(p, type);
            SeqTensor zeros = new SeqTensor(Nd4j.zeros(type, rows, width), rows, 1, null);
            assertClose(expected, p.forward(zeros, Mode.eval()).data(), tolerance(type), name);
        }
    }

    @Test
    void addsTheSameRowToEverySequenceOfABatch() {
        PositionalEncoding p = PositionalEncoding.sinusoidal("positional_1", 6);
        GradientCheck.bindDouble(p, 1);
        SeqTensor in = GradientCheck.randomInput(4, 3, 6, null, 2);
        INDArray added = p.forward(in, Mode.eval()).data().sub(in.data());
        INDArray table = PositionalEncoding.sinusoids(4, 6, DataType.DOUBLE);
        for (int t = 0; t < 4; t++) for (int b = 0; b < 3; b++) {
            assertClose(table.getRow(t), added.getRow(t * 3 + b), 1e-12, "step " + t + " sequence " + b);
        }
    }

    @Test
    void learnedGradientCheckWithPadding() {
        PositionalEncoding p = PositionalEncoding.learned("positional_1", 3, 5);
        ParameterBuffer buffer = GradientCheck.bindDouble(p, 4);
        GradientCheck.check(p, buffer, GradientCheck.randomInput(4, 2, 3, mask(4, 4, 2), 5), true, 6);
    }

    @Test
    void sinusoidalGradientIsTheIdentity() {
        PositionalEncoding p = PositionalEncoding.sinusoidal("positional_1", 3);
        ParameterBuffer buffer = GradientCheck.bindDouble(p, 4);
        GradientCheck.check(p, buffer, GradientCheck.randomInput(4, 2, 3, null, 5), true, 6);
        assertEquals(0, p.paramSpecs().size());
    }

    /** Carrying state (generation, streams), each call continues at the position where the last one ended. */
    @Test
    void carriedCallsContinueThePositions() {
        for (PositionalEncoding p : new PositionalEncoding[] {PositionalEncoding.sinusoidal("p", 4), PositionalEncoding.learned("p", 4, 9)}) {
            GradientCheck.bindDouble(p, 3);
            SeqTensor in = GradientCheck.randomInput(7, 2, 4, null, 8);
            INDArray full = p.forward(in, Mode.eval()).data();
            p.resetState();
            Mode carry = Mode.eval().withCarryState(true);
            for (int t = 0; t < 7; t++) {
                INDArray one = p.forward(new SeqTensor(in.step(t).dup(), 1, 2, null), carry).data();
                assertClose(SeqTensor.stepOf(full, t, 2), one, 1e-12, p.kind() + " step " + t);
            }
            p.resetState();
            assertClose(SeqTensor.stepOf(full, 0, 2), p.forward(new SeqTensor(in.step(0).dup(), 1, 2, null), carry).data(), 1e-12,
                    "after reset");
        }
    }

    @Test
    void stepsPastTheLearnedTableAreRefusedWithTheFix() {
        PositionalEncoding p = PositionalEncoding.learned("positional_1", 4, 5);
        GradientCheck.bindDouble(p, 1);
        assertEquals(5, p.maxPositions());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.forward(GradientCheck.randomInput(6, 1, 4, null, 1), Mode.eval()));
        assertTrue(e.getMessage().contains("positional_1") && e.getMessage().contains("past the 5 learned positions")
                && e.getMessage().contains("positional() (sinusoidal"), e.getMessage());
        Mode carry = Mode.eval().withCarryState(true);
        p.forward(GradientCheck.randomInput(3, 1, 4, null, 1), carry);
        assertThrows(IllegalArgumentException.class, () -> p.forward(GradientCheck.randomInput(3, 1, 4, null, 1), carry));
    }

    @Test
    void learnedTableHasItsShape() {
        PositionalEncoding p = PositionalEncoding.learned("positional_1", 4, 16);
        ParameterBuffer buffer = GradientCheck.bindDouble(p, 1);
        assertArrayEquals(new long[] {16, 4}, buffer.byName().get("positional_1/P").shape());
        double std = buffer.byName().get("positional_1/P").stdNumber().doubleValue();
        assertTrue(std > 0.01 && std < 0.03, "N(0, 0.02^2) at first, got std " + std);
    }
}
