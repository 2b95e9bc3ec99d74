package org.seqlab.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.seqlab.data.Vocab;
import org.seqlab.layers.EncoderBridge;

/**
 * A validated, immutable encoder-decoder: the source and target vocabularies, the encoder's layers
 * (reading source ids, writing one state per source step: the memory), the decoder's layers (reading
 * target ids, attending to the memory) and the seed. The decoder's head is implied: a dense layer to
 * the target vocabulary with softmax cross-entropy.
 *
 * <p>Each side is planned as its own stack by the layer kinds' own rules ({@link LayerStack}); names
 * get the side as a prefix ({@code encoder/gru_1}, {@code decoder/cross_attention_1}) and a refusal
 * names the side and the layer. On top, the rules of the pair: the encoder keeps its steps; the
 * decoder generates left to right (no bidirectional layer, no pooling, causal self-attention) and sees
 * the source, through a recurrent layer (started by the bridge from the encoder's final state) or
 * through attention.
 */
public final class Seq2SeqSpec {
    private final Vocab sourceVocab;
    private final Vocab targetVocab;
    private final List<LayerSpec> encoder;
    private final List<LayerSpec> decoder;
    private final long seed;
    private final List<PlannedLayer> encoderPlan;
    private final List<PlannedLayer> decoderPlan;
    private final int bridged;
    private final EncoderBridge.Summary summary;

    public Seq2SeqSpec(Vocab sourceVocab, Vocab targetVocab, List<LayerSpec> encoder, List<LayerSpec> decoder, long seed) {
        if (sourceVocab == null || targetVocab == null) {
            throw new ModelSpecException("an encoder-decoder needs both vocabularies: Seq.seq2seq(data.sourceVocab(), data.targetVocab())");
        }
        if (!targetVocab.hasBoundaries()) {
            throw new ModelSpecException("the target vocabulary has no " + Vocab.BOS + " / " + Vocab.EOS + " tokens, which the decoder "
                    + "starts and stops with; use a ParallelText's targetVocab() or vocab.withBoundaries()");
        }
        if (!sourceVocab.contains(Vocab.EOS)) {
            throw new ModelSpecException("the source vocabulary has no " + Vocab.EOS + ", which ends every source; use a "
                    + "ParallelText's sourceVocab() or vocab.withBoundaries()");
        }
        this.sourceVocab = sourceVocab;
        this.targetVocab = targetVocab;
        this.encoder = List.copyOf(encoder);
        this.decoder = List.copyOf(decoder);
        this.seed = seed;
        if (this.encoder.isEmpty()) throw new ModelSpecException("encoder: it has no layers; start it with e.embed(dim)");
        if (this.decoder.isEmpty()) throw new ModelSpecException("decoder: it has no layers; start it with d.embed(dim)");

        this.encoderPlan = plan("encoder", InputSpec.tokens(sourceVocab.size()), this.encoder, null);
        PlannedLayer last = encoderPlan.get(encoderPlan.size() - 1);
        if (last.pooled()) {
            throw new ModelSpecException("encoder: its last layer keeps one vector per source, but the decoder attends to one "
                    + "state per source step; remove last()/meanPool() from the encoder");
        }
        this.decoderPlan = plan("decoder", InputSpec.tokens(targetVocab.size()), this.decoder, last.output());
        checkDecoder();

        int first = -1;
        for (int i = 0; i < decoderPlan.size(); i++) {
            if (decoderPlan.get(i).spec() instanceof RecurrentSpec) {
                first = i;
                break;
            }
        }
        boolean attends = any(decoder, s -> s.readsMemory());
        if (first < 0 && !attends) {
            throw new ModelSpecException("decoder: it never sees the source; add a recurrent layer (d.gru(n), started from the "
                    + "encoder's final state) or attention (d.attention(Attention.additive()) after a recurrent layer)");
        }
        this.bridged = first;
        LayerSpec lastEncoder = last.spec();
        this.summary = first < 0 ? null : lastEncoder instanceof BidirectionalSpec ? EncoderBridge.Summary.LAST_AND_FIRST
                : lastEncoder instanceof RecurrentSpec ? EncoderBridge.Summary.LAST : EncoderBridge.Summary.MEAN;
    }

    private static List<PlannedLayer> plan(String side, InputSpec input, List<LayerSpec> layers, Flow memory) {
        List<PlannedLayer> planned;
        try {
            planned = new LayerStack().plan(input, layers, memory);
        } catch (ModelSpecException e) {
            throw new ModelSpecException(side + ": " + e.getMessage());
        }
        List<PlannedLayer> named = new ArrayList<>(planned.size());
        for (PlannedLayer p : planned) named.add(new PlannedLayer(side + "/" + p.name(), p.spec(), p.input(), p.output()));
        return List.copyOf(named);
    }

    private void checkDecoder() {
        for (int i = 0; i < decoderPlan.size(); i++) {
            PlannedLayer p = decoderPlan.get(i);
            String where = "decoder: layer " + (i + 1) + " (" + p.name().substring("decoder/".length()) + "): ";
            if (p.spec() instanceof BidirectionalSpec) {
                throw new ModelSpecException(where + "the decoder writes one token after another, but bidirectional(...) reads "
                        + "the future; use the recurrent layer itself (d.gru(n), d.lstm(n))");
            }
            if (p.pooled()) {
                throw new ModelSpecException(where + "the decoder predicts every target step; remove last()/meanPool()");
            }
            boolean full = p.spec() instanceof AttentionSpec a && Boolean.FALSE.equals(a.causal())
                    || p.spec() instanceof TransformerSpec t && Boolean.FALSE.equals(t.causal());
            if (full) {
                throw new ModelSpecException(where + "the decoder's self-attention must be causal (it may not see later target "
                        + "tokens); use d.attention(heads) or d.transformer(blocks, heads), or d.attention(Attention.additive()) "
                        + "to attend to the source");
            }
        }
    }

    private static boolean any(List<LayerSpec> layers, Predicate<LayerSpec> test) {
        for (LayerSpec s : layers) if (test.test(s)) return true;
        return false;
    }

    public Vocab sourceVocab() { return sourceVocab; }

    public Vocab targetVocab() { return targetVocab; }

    public List<LayerSpec> encoder() { return encoder; }

    public List<LayerSpec> decoder() { return decoder; }

    public long seed() { return seed; }

    public List<PlannedLayer> encoderPlan() { return encoderPlan; }

    public List<PlannedLayer> decoderPlan() { return decoderPlan; }

    /** The width of the encoder's output rows (what the decoder attends to). */
    public int memoryWidth() {
        return encoderPlan.get(encoderPlan.size() - 1).outputWidth();
    }

    /** The width of the decoder's last layer (what the output layer reads). */
    public int decoderWidth() {
        return decoderPlan.get(decoderPlan.size() - 1).outputWidth();
    }

    /** Index in {@link #decoderPlan()} of the recurrent layer the bridge starts, or -1 (no bridge). */
    public int bridgedLayer() {
        return bridged;
    }

    /** How the bridge reads the encoder's final state, or null when there is no bridge. */
    public EncoderBridge.Summary bridgeSummary() {
        return summary;
    }

    /** What encoder layer {@code i} needs to make its layer: full (not causal) attention, no memory. */
    public CompileContext encoderContext(int i) {
        PlannedLayer p = encoderPlan.get(i);
        return new CompileContext(p.name(), p.input(), p.output(), false, null);
    }

    /** What decoder layer {@code i} needs: causal attention, the encoder's output as memory. */
    public CompileContext decoderContext(int i) {
        PlannedLayer p = decoderPlan.get(i);
        return new CompileContext(p.name(), p.input(), p.output(), true, Flow.steps(memoryWidth()));
    }

    /** The spec as save-file lines (the vocabularies are saved beside them). */
    public List<String> toLines() {
        List<String> lines = new ArrayList<>();
        for (LayerSpec l : encoder) lines.add("encoder " + l.describe());
        for (LayerSpec l : decoder) lines.add("decoder " + l.describe());
        lines.add("seed " + seed);
        return lines;
    }

    /** Parses what {@link #toLines()} wrote. */
    public static Seq2SeqSpec fromLines(List<String> lines, Vocab sourceVocab, Vocab targetVocab) {
        List<LayerSpec> enc = new ArrayList<>(), dec = new ArrayList<>();
        long seed = 0;
        for (String line : lines) {
            if (line.isBlank()) continue;
            String[] w = line.trim().split(" ", 2);
            String rest = w.length > 1 ? w[1].trim() : "";
            switch (w[0]) {
                case "encoder" -> enc.add(LayerKinds.parse(rest));
                case "decoder" -> dec.add(LayerKinds.parse(rest));
                case "seed" -> seed = Long.parseLong(rest);
                default -> throw new IllegalArgumentException("unknown encoder-decoder spec line: " + line);
            }
        }
        return new Seq2SeqSpec(sourceVocab, targetVocab, enc, dec, seed);
    }
}
