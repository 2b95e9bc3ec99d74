package org.seqlab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.seqlab.Seq;
import org.seqlab.layers.Activation;
import org.seqlab.layers.Layer;
import org.seqlab.layers.LayerRules;
import org.seqlab.layers.MultiHeadAttention;

/** Each layer kind is declared once: its saved form, its checks and its layer come from its spec. */
class LayerKindsTest {

    /** One spec of every kind, with non-default arguments where a kind has them. */
    static final List<LayerSpec> SAMPLES = List.of(
            new EmbedSpec(8), new OneHotSpec(), new RnnSpec(4, Activation.RELU, true), new RnnSpec(3, Activation.TANH, false),
            new LstmSpec(5), new GruSpec(6), new BidirectionalSpec(new LstmSpec(2)),
            new AttentionSpec(2, null, true), new AttentionSpec(4, true, false), new AttentionSpec(1, false, true),
            new DropoutSpec(0.1), new DenseSpec(7, Activation.SIGMOID), new LayerNormSpec(), new LastSpec(), new MeanPoolSpec(),
            PositionalSpec.sinusoidal(), new PositionalSpec(512), TransformerSpec.of(2, 8),
            TransformerSpec.of(3, 4).ffn(100).activation(Activation.RELU).dropout(0.15).causal(false),
            new CrossAttentionSpec(org.seqlab.layers.AttentionScore.ADDITIVE, 0),
            new CrossAttentionSpec(org.seqlab.layers.AttentionScore.ADDITIVE, 16),
            new CrossAttentionSpec(org.seqlab.layers.AttentionScore.DOT, 0),
            new CrossAttentionSpec(org.seqlab.layers.AttentionScore.GENERAL, 0),
            new TransformerDecoderSpec(2, 4, 0, Activation.GELU, 0.0), new TransformerDecoderSpec(1, 2, 64, Activation.RELU, 0.1));

    @Test
    void everyKindReadsBackFromItsSavedForm() {
        Set<String> sampled = SAMPLES.stream().map(LayerSpec::baseName).map(b -> b.equals("embedding") ? "embed" : b)
                .collect(Collectors.toSet());
        Set<String> registered = LayerKinds.all().stream().map(LayerKind::keyword).collect(Collectors.toSet());
        assertEquals(registered, sampled, "the samples cover every registered kind");
        for (LayerSpec s : SAMPLES) assertEquals(s, LayerKinds.parse(s.describe()), s.describe());
    }

    /** What format 1 files (written before kinds declared themselves) hold reads back to the same text. */
    @Test
    void formatOneLinesStillParse() {
        for (String line : List.of("embed 256", "onehot", "rnn 512 tanh", "rnn 4 relu identity", "lstm 512", "gru 64",
                "bidirectional rnn 4 relu identity", "bidirectional lstm 8", "attention 8 auto residual",
                "attention 2 causal residual", "attention 2 full", "dropout 0.25", "dense 6 tanh", "layernorm", "last",
                "meanpool")) {
            assertEquals(line, LayerKinds.parse(line).describe());
        }
    }

    @Test
    void unreadableSavedFormsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerKinds.parse("convolution 3"));
        assertTrue(e.getMessage().contains("'convolution'") && e.getMessage().contains("lstm"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LayerKinds.parse("lstm 4 extra"));
        assertTrue(e.getMessage().contains("extra"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LayerKinds.parse("attention 4 sideways"));
        assertTrue(e.getMessage().contains("sideways"), e.getMessage());
    }

    /** A kind someone forgot to register: refused on its first build, not when a saved model is loaded. */
    record Unregistered(int units) implements LayerSpec {
        public String describe() { return "unregistered " + units; }

        public Flow plan(Flow in, PlanContext at) { return in.withWidth(units); }

        public Layer compile(CompileContext at) { throw new AssertionError("never reached"); }
    }

    @Test
    void aKindMissingFromTheRegistryFailsOnItsFirstBuild() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Seq.model().vocab(5).embed(4).layer(new Unregistered(3)).softmax().build());
        assertTrue(e.getMessage().contains("Unregistered") && e.getMessage().contains("LayerKinds"), e.getMessage());
    }

    @Test
    void theHeadsRuleIsWrittenOnceForTheSpecAndTheLayer() {
        String rule = LayerRules.headsDivide(30, 8);
        ModelSpecException spec = assertThrows(ModelSpecException.class,
                () -> Seq.model().vocab(10).embed(30).attention(8).softmax().spec());
        IllegalArgumentException layer = assertThrows(IllegalArgumentException.class,
                () -> new MultiHeadAttention("attention_1", 30, 8, true, true));
        assertEquals("layer 2 (attention_1): " + rule, spec.getMessage());
        assertEquals("attention_1: " + rule, layer.getMessage());
        assertTrue(rule.contains("e.g. 6"), rule);
    }

    @Test
    void flowsSayWhatEachLayerReadsAndWrites() {
        ModelSpec s = Seq.model().vocab(11).embed(8).bidirectional(Seq.gru(3)).meanPool().dense(5).softmax(2).spec();
        List<PlannedLayer> p = s.plan();
        assertEquals(Flow.tokenIds(11), p.get(0).input());
        assertEquals(Flow.steps(8), p.get(0).output());
        assertEquals(Flow.steps(6), p.get(1).output());
        assertEquals(Flow.pooled(6), p.get(2).output());
        assertEquals(Flow.pooled(5), p.get(3).output());
        assertEquals(List.of("embedding_1", "bidirectional_1", "meanpool_1", "dense_1"),
                p.stream().map(PlannedLayer::name).toList());
    }
}
