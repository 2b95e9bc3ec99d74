package org.seqlab.layers;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer of a compiled model: its shapes, its parameters, and its forward and backward pass on
 * ND4J arrays in the time-major layout of {@link SeqTensor}.
 *
 * <p>Life cycle: the compiler asks for {@link #paramSpecs()}, allocates them as views of the flat
 * buffers and calls {@link #bind}, then {@link #initialize} with the model's seeded random source.
 * Training calls {@link #forward} with {@code mode.training()} and then {@link #backward} once with
 * the gradient of the loss with respect to this layer's output; the layer uses what it cached in
 * the forward pass, adds its parameter gradients into the bound gradient views and returns the
 * gradient with respect to its input.
 */
public abstract class Layer {
    private final String name;
    protected Params params;

    protected Layer(String name) {
        this.name = name;
    }

    /** Unique name within the model, such as {@code lstm_1}; parameter names are prefixed with it. */
    public final String name() {
        return name;
    }

    /** A short kind for summaries: {@code LSTM}, {@code Dense(relu)}, ... */
    public abstract String kind();

    public abstract int inputSize();

    public abstract int outputSize();

    /** The parameters this layer owns, in a fixed order; empty for parameter-free layers. */
    public List<ParamSpec> paramSpecs() {
        return List.of();
    }

    public void bind(Params params) {
        this.params = params;
    }

    public Params params() {
        return params;
    }

    /** Writes initial values into the bound parameter views. */
    public void initialize(Random random) {
    }

    public abstract SeqTensor forward(SeqTensor input, Mode mode);

    /**
     * Back-propagates {@code gradOutput} (same layout as the last forward output). Adds parameter
     * gradients into the bound gradient views and returns the gradient with respect to the input
     * (its mask is the input's).
     */
    public abstract SeqTensor backward(SeqTensor gradOutput);

    /** Forgets carried recurrent state (no-op for stateless layers). */
    /**
     * Frees the native arrays this layer made and kept for the last forward and backward, once a
     * training step is over: ND4J frees native memory only when the Java garbage collector runs,
     * which on a small heap can be dozens of steps later, and resident memory grew by every step's
     * activations (the tiny GPT reached 5.9 GB). A backward after this needs a new forward.
     * Arrays passed in or returned are the caller's; nothing here frees them.
     */
    public void releaseStep() {
    }

    /** Frees arrays this layer made and no longer reads (views, freed arrays and null are skipped). */
    protected static void release(INDArray... arrays) {
        for (INDArray a : arrays) StepBuffers.free(a);
    }

    public void resetState() {
    }

    /** What the last forward pass with {@code mode.record()} kept, by name (empty by default). */
    public Map<String, INDArray> recorded() {
        return Map.of();
    }
}
