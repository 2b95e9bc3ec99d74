package org.seqlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The memory an attending layer reads and the gradient it sends back: what {@link CrossAttention}
 * and {@link MultiHeadCrossAttention} both hold, with the same checks and messages.
 */
final class AttendedMemory {
    private final Layer owner;
    private final int width;
    private SeqTensor memory;
    private INDArray gradient;

    AttendedMemory(Layer owner, int width) {
        Checks.positive(owner.name(), "memory width", width);
        this.owner = owner;
        this.width = width;
    }

    int width() {
        return width;
    }

    /** A new memory (its gradient is cleared). */
    void set(SeqTensor memory) {
        if (memory.width() != width) {
            throw new IllegalArgumentException(owner.name() + " attends to memory of width " + width + " but got "
                    + memory.width() + "; the encoder's output width must be " + width);
        }
        this.memory = memory;
        this.gradient = null;
    }

    SeqTensor get() {
        return memory;
    }

    /** The memory for a forward pass over {@code input}: refuses when none was given or its batch differs. */
    SeqTensor require(SeqTensor input) {
        if (memory == null) {
            throw new IllegalStateException(owner.name() + ": no memory to attend to; the encoder-decoder calls attendTo(encoder "
                    + "output) before the decoder runs");
        }
        if (memory.batch() != input.batch()) {
            throw new IllegalStateException(owner.name() + ": the memory holds " + memory.batch() + " sequences but the decoder "
                    + "input " + input.batch() + "; give the memory of the same batch");
        }
        return memory;
    }

    INDArray gradient() {
        return gradient;
    }

    void gradient(INDArray g) {
        this.gradient = g;
    }
}
