package org.seqlab;

import java.util.ArrayList;
import java.util.List;
import org.seqlab.data.Vocab;
import org.seqlab.layers.Activation;
import org.seqlab.model.AttentionSpec;
import org.seqlab.model.BidirectionalSpec;
import org.seqlab.model.DenseSpec;
import org.seqlab.model.DropoutSpec;
import org.seqlab.model.EmbedSpec;
import org.seqlab.model.GruSpec;
import org.seqlab.model.Head;
import org.seqlab.model.InputSpec;
import org.seqlab.model.LastSpec;
import org.seqlab.model.LayerNormSpec;
import org.seqlab.model.LayerSpec;
import org.seqlab.model.LstmSpec;
import org.seqlab.model.MeanPoolSpec;
import org.seqlab.model.ModelDraft;
import org.seqlab.model.ModelSpec;
import org.seqlab.model.ModelSpecException;
import org.seqlab.model.OneHotSpec;
import org.seqlab.model.PositionalSpec;
import org.seqlab.model.RnnSpec;
import org.seqlab.model.TransformerSpec;

/**
 * The fluent DSL: {@code Seq.model().embed(256).lstm(512).attention(8).softmax().build()}.
 * Each call appends a layer spec (each kind validates itself when the model is built, naming the
 * layer at fault); {@link #build()} validates everything and compiles the model. Without
 * {@code vocab(..)} or {@code features(..)} the input is declared later, by {@code model.fit(data)}.
 */
public final class ModelBuilder {
    private InputSpec input;
    private Vocab vocab;
    private final List<LayerSpec> layers = new ArrayList<>();
    private Head head;
    private long seed = 42;

    /** Token-id input from a vocabulary of {@code size} ids. */
    public ModelBuilder vocab(int size) {
        if (size <= 1) throw new ModelSpecException("vocab size must be at least 2, got " + size);
        this.input = InputSpec.tokens(size);
        return this;
    }

    /** Token-id input from {@code vocab}; the model keeps it for generate() and save(). */
    public ModelBuilder vocab(Vocab vocab) {
        vocab(vocab.size());
        this.vocab = vocab;
        return this;
    }

    /** Real-valued input with {@code n} features per step. */
    public ModelBuilder features(int n) {
        if (n <= 0) throw new ModelSpecException("features must be positive, got " + n);
        this.input = InputSpec.features(n);
        return this;
    }

    public ModelBuilder embed(int dim) { return layer(new EmbedSpec(dim)); }

    public ModelBuilder oneHot() { return layer(new OneHotSpec()); }

    /** Elman RNN with tanh. */
    public ModelBuilder rnn(int units) { return layer(Seq.rnn(units)); }

    /**
     * Elman RNN with {@code activation} (TANH or RELU); {@code identityInit} starts the recurrent
     * matrix at the identity (Le, Jaitly and Hinton 2015), a classic fix for vanishing gradients.
     */
    public ModelBuilder rnn(int units, Activation activation, boolean identityInit) {
        return layer(new RnnSpec(units, activation, identityInit));
    }

    public ModelBuilder lstm(int units) { return layer(new LstmSpec(units)); }

    public ModelBuilder gru(int units) { return layer(new GruSpec(units)); }

    /** Wraps a recurrent layer from {@code Seq.lstm(n)}, {@code Seq.gru(n)} or {@code Seq.rnn(n)}. */
    public ModelBuilder bidirectional(LayerSpec recurrent) { return layer(new BidirectionalSpec(recurrent)); }

    /**
     * Multi-head self-attention with a residual connection. Causal when the model predicts every
     * step (a language model must not see the future), full when the sequence is pooled.
     */
    public ModelBuilder attention(int heads) { return layer(new AttentionSpec(heads, null, true)); }

    public ModelBuilder attention(int heads, boolean causal) { return layer(new AttentionSpec(heads, causal, true)); }

    /** Sinusoidal position encodings added to each step (Vaswani et al. 2017): attention alone does not see order. */
    public ModelBuilder positional() { return layer(PositionalSpec.sinusoidal()); }

    /** Learned position encodings for sequences (and prompt plus generated tokens) of at most {@code maxLength} steps. */
    public ModelBuilder positional(int maxLength) { return layer(new PositionalSpec(maxLength)); }

    /**
     * {@code blocks} pre-norm transformer blocks of {@code heads} heads (feed-forward 4 x width, GELU) and a
     * final layer norm; causal when the model predicts every step, full when it pools.
     */
    public ModelBuilder transformer(int blocks, int heads) { return layer(TransformerSpec.of(blocks, heads)); }

    /** As {@link #transformer(int, int)} with feed-forward size {@code ffn}. */
    public ModelBuilder transformer(int blocks, int heads, int ffn) { return layer(TransformerSpec.of(blocks, heads).ffn(ffn)); }

    /** A transformer with every option: {@code .transformer(Seq.transformer(2, 4).activation(Activation.RELU).dropout(0.1))}. */
    public ModelBuilder transformer(TransformerSpec transformer) { return layer(transformer); }

    public ModelBuilder dropout(double rate) { return layer(new DropoutSpec(rate)); }

    public ModelBuilder dense(int units, Activation activation) { return layer(new DenseSpec(units, activation)); }

    public ModelBuilder dense(int units) { return dense(units, Activation.RELU); }

    public ModelBuilder layerNorm() { return layer(new LayerNormSpec()); }

    /** Sequence to one: keep the last real step of each sequence. */
    public ModelBuilder last() { return layer(new LastSpec()); }

    /** Sequence to one: average over the real steps. */
    public ModelBuilder meanPool() { return layer(new MeanPoolSpec()); }

    /** Appends any layer spec (every DSL layer method is this with its kind's spec). */
    public ModelBuilder layer(LayerSpec layer) {
        if (head != null) {
            throw new ModelSpecException("the head (" + head.kind().name().toLowerCase() + ") must be the last call; "
                    + "move " + layer.describe() + " before it");
        }
        layers.add(layer);
        return this;
    }

    /** Per-step softmax over the vocabulary (next-token prediction). */
    public ModelBuilder softmax() { return head(new Head(Head.Kind.SOFTMAX, 0)); }

    /** Softmax over {@code classes} classes, per step or, after last()/meanPool(), per sequence. */
    public ModelBuilder softmax(int classes) { return head(new Head(Head.Kind.SOFTMAX, classes)); }

    /** {@code n} independent binary outputs (sigmoid with binary cross-entropy). */
    public ModelBuilder sigmoid(int n) { return head(new Head(Head.Kind.SIGMOID, n)); }

    public ModelBuilder sigmoid() { return sigmoid(1); }

    /** {@code n} real outputs trained with mean squared error. */
    public ModelBuilder linear(int n) { return head(new Head(Head.Kind.LINEAR, n)); }

    /** Fixes initialisation, shuffling, dropout and sampling. */
    public ModelBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Validates and returns the immutable description without compiling it. */
    public ModelSpec spec() {
        return new ModelSpec(input, layers, head, seed, vocab);
    }

    /** Validates and compiles the model; without a declared input, the first fit supplies it. */
    public Model build() {
        return input == null ? Model.deferred(new ModelDraft(layers, head, seed)) : Model.compile(spec());
    }

    private ModelBuilder head(Head h) {
        if (head != null) throw new ModelSpecException("the model already has a head; use one of softmax/sigmoid/linear");
        this.head = h;
        return this;
    }
}
