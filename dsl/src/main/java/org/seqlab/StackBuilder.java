package org.seqlab;

import java.util.ArrayList;
import java.util.List;
import org.seqlab.layers.Activation;
import org.seqlab.model.DenseSpec;
import org.seqlab.model.DropoutSpec;
import org.seqlab.model.EmbedSpec;
import org.seqlab.model.GruSpec;
import org.seqlab.model.LayerNormSpec;
import org.seqlab.model.LayerSpec;
import org.seqlab.model.LstmSpec;
import org.seqlab.model.OneHotSpec;
import org.seqlab.model.RnnSpec;

/**
 * The layer calls an encoder and a decoder share ({@link EncoderBuilder}, {@link DecoderBuilder}):
 * each appends its kind's spec; the pair is validated when the encoder-decoder is built.
 *
 * @param <B> the builder itself, so calls chain
 */
public abstract class StackBuilder<B extends StackBuilder<B>> {
    private final List<LayerSpec> layers = new ArrayList<>();

    StackBuilder() {
    }

    abstract B self();

    List<LayerSpec> layers() {
        return List.copyOf(layers);
    }

    /** Token ids to learned vectors of {@code dim}. */
    public B embed(int dim) { return layer(new EmbedSpec(dim)); }

    public B oneHot() { return layer(new OneHotSpec()); }

    /** Elman RNN with tanh. */
    public B rnn(int units) { return layer(new RnnSpec(units, Activation.TANH, false)); }

    public B lstm(int units) { return layer(new LstmSpec(units)); }

    public B gru(int units) { return layer(new GruSpec(units)); }

    public B dropout(double rate) { return layer(new DropoutSpec(rate)); }

    public B dense(int units, Activation activation) { return layer(new DenseSpec(units, activation)); }

    public B dense(int units) { return dense(units, Activation.RELU); }

    public B layerNorm() { return layer(new LayerNormSpec()); }

    /** Appends any layer spec (every call above is this with its kind's spec). */
    public B layer(LayerSpec layer) {
        layers.add(java.util.Objects.requireNonNull(layer, "layer"));
        return self();
    }
}
