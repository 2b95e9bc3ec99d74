package org.seqlab;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.seqlab.data.Vocab;
import org.seqlab.model.LayerSpec;
import org.seqlab.model.Seq2SeqSpec;

/**
 * The encoder-decoder DSL, as the lecture draws it:
 * <pre>
 * Seq2SeqModel m = Seq.seq2seq(data.sourceVocab(), data.targetVocab())
 *     .encoder(e -> e.embed(64).bidirectional(Seq.gru(128)))
 *     .decoder(d -> d.embed(64).gru(128).attention(Attention.additive()))
 *     .seed(7)
 *     .build();
 * </pre>
 * {@link #build()} validates both sides and their pairing (naming the side, the layer and the fix)
 * before any native array exists, then compiles the model.
 */
public final class Seq2SeqBuilder {
    private final Vocab sourceVocab;
    private final Vocab targetVocab;
    private List<LayerSpec> encoder = List.of();
    private List<LayerSpec> decoder = List.of();
    private long seed = 42;

    Seq2SeqBuilder(Vocab sourceVocab, Vocab targetVocab) {
        Objects.requireNonNull(sourceVocab, "sourceVocab (use data.sourceVocab() of a ParallelText)");
        Objects.requireNonNull(targetVocab, "targetVocab (use data.targetVocab() of a ParallelText)");
        this.sourceVocab = sourceVocab.withBoundaries();
        this.targetVocab = targetVocab.withBoundaries();
    }

    /** The encoder's layers: {@code e -> e.embed(64).bidirectional(Seq.gru(128))}. */
    public Seq2SeqBuilder encoder(Consumer<EncoderBuilder> layers) {
        EncoderBuilder e = new EncoderBuilder();
        layers.accept(e);
        this.encoder = e.layers();
        return this;
    }

    /** The decoder's layers: {@code d -> d.embed(64).gru(128).attention(Attention.additive())}. */
    public Seq2SeqBuilder decoder(Consumer<DecoderBuilder> layers) {
        DecoderBuilder d = new DecoderBuilder();
        layers.accept(d);
        this.decoder = d.layers();
        return this;
    }

    /** Fixes initialisation, shuffling, dropout and scheduled sampling. */
    public Seq2SeqBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Validates and returns the immutable description without compiling it. */
    public Seq2SeqSpec spec() {
        return new Seq2SeqSpec(sourceVocab, targetVocab, encoder, decoder, seed);
    }

    /** Validates and compiles the model (single precision). */
    public Seq2SeqModel build() {
        return Seq2SeqModel.compile(spec());
    }
}
