package org.seqlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.seqlab.layers.Activation;
import org.seqlab.model.AttentionSpec;
import org.seqlab.model.DenseSpec;
import org.seqlab.model.ModelSpec;
import org.seqlab.model.ModelSpecException;
import org.seqlab.model.ModelSummary;

/** The builder refuses bad models before any array exists, naming the layer and the fix. */
class ModelSpecTest {

    private static String refused(Runnable r) {
        return assertThrows(ModelSpecException.class, r::run).getMessage();
    }

    @Test
    void nonPositiveSizesNameTheLayer() {
        String m = refused(() -> Seq.model().vocab(10).embed(8).lstm(0).softmax().build());
        assertTrue(m.contains("layer 2 (lstm_1)") && m.contains("must be positive"), m);
        m = refused(() -> Seq.model().vocab(10).embed(-3).softmax().build());
        assertTrue(m.contains("embedding_1") && m.contains("-3"), m);
    }

    @Test
    void headsThatDoNotDivideTheWidthSuggestOneThatDoes() {
        String m = refused(() -> Seq.model().vocab(10).embed(8).lstm(30).attention(8).softmax().build());
        assertTrue(m.contains("attention_1") && m.contains("8 heads do not divide the width 30") && m.contains("e.g. 6"), m);
    }

    @Test
    void missingHeadOrInputLayerSaySoAndHow() {
        assertTrue(refused(() -> Seq.model().vocab(10).embed(8).lstm(4).build()).contains(".softmax()"));
        String m = refused(() -> Seq.model().vocab(10).lstm(4).softmax().build());
        assertTrue(m.contains("add .embed(dim) or .oneHot()"), m);
        m = refused(() -> Seq.model().features(3).embed(4).lstm(4).linear(1).build());
        assertTrue(m.contains("real features"), m);
        m = refused(() -> Seq.model().features(3).lstm(4).softmax().build());
        assertTrue(m.contains("softmax(k)"), m);
    }

    @Test
    void orderMistakesAreExplained() {
        assertTrue(refused(() -> Seq.model().vocab(9).embed(4).last().lstm(4).softmax(2).build()).contains("move the pooling"));
        assertTrue(refused(() -> Seq.model().vocab(9).embed(4).lstm(4).softmax().lstm(3)).contains("must be the last call"));
        assertTrue(refused(() -> Seq.model().vocab(9).embed(4).dropout(1.0).lstm(3).softmax().build()).contains("[0, 1)"));
        assertTrue(refused(() -> Seq.model().vocab(9).embed(4).bidirectional(new DenseSpec(3, Activation.RELU))
                .softmax().build()).contains("wraps a recurrent layer"));
    }

    @Test
    void attentionIsCausalForPerStepHeadsAndFullForPooledOnes() {
        ModelSpec lm = Seq.model().vocab(20).embed(8).lstm(16).attention(4).softmax().spec();
        assertTrue(lm.causal(((AttentionSpec) lm.layers().get(2)).causal()));
        ModelSpec cls = Seq.model().vocab(20).embed(8).attention(4).meanPool().softmax(3).spec();
        assertFalse(cls.causal(((AttentionSpec) cls.layers().get(1)).causal()));
    }

    @Test
    void summaryListsLayersShapesAndExactParameterCounts() {
        Model m = Seq.model().vocab(65).embed(64).lstm(128).softmax().build();
        ModelSummary s = m.summary();
        assertEquals(List.of("embedding_1", "lstm_1", "output"), s.rows().stream().map(ModelSummary.Row::name).toList());
        assertEquals(65 * 64, s.rows().get(0).params());
        assertEquals(64 * 512 + 128 * 512 + 512, s.rows().get(1).params()); // W_ih, W_hh, one bias of 4H
        assertEquals(128 * 65 + 65, s.rows().get(2).params());
        assertEquals(65 * 64 + 64 * 512 + 128 * 512 + 512 + 128 * 65 + 65, s.totalParams());
        assertEquals("[B, T, 128]", s.rows().get(1).outputShape());
        assertTrue(s.toString().contains("lstm_1"));
    }

    @Test
    void specSurvivesItsTextForm() {
        ModelSpec spec = Seq.model().vocab(30).embed(8).bidirectional(Seq.rnn(4, Activation.RELU, true)).attention(2, true)
                .dropout(0.25).dense(6, Activation.TANH).layerNorm().gru(5).last().sigmoid(3).seed(11).spec();
        ModelSpec back = ModelSpec.fromLines(spec.toLines(), null);
        assertEquals(spec.toLines(), back.toLines());
    }
}
