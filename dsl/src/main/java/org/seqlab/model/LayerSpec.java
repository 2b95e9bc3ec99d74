package org.seqlab.model;

import org.seqlab.layers.Layer;

/**
 * One layer kind, declared in one place: its arguments (the implementing record's components), its
 * validation ({@link #plan}: what it reads, with a message that names the layer and the fix, and what
 * it writes), its saved form ({@link #describe}, read back by its {@link LayerKind}) and the layer it
 * compiles to ({@link #compile}). The builder, the model spec, the compiler and saving all go through
 * this declaration; a new kind is a spec record, its {@link LayerKind} in {@link LayerKinds}, and a
 * {@link Layer} class.
 */
public interface LayerSpec {

    /** Kind and arguments as the summary and the save file show them, such as {@code lstm 512}. */
    String describe();

    /** The first word of {@link #describe()}; layer names are this plus a counter ({@code lstm_1}). */
    default String baseName() {
        String d = describe();
        int space = d.indexOf(' ');
        return space < 0 ? d : d.substring(0, space);
    }

    /** True for the kinds that turn token ids into vectors (and may only come first). */
    default boolean readsTokenIds() {
        return false;
    }

    /** True for the kinds that attend to an encoder's output (and so belong in a decoder). */
    default boolean readsMemory() {
        return false;
    }

    /**
     * Checks this layer against what it reads and returns what it writes; refuses with
     * {@code at.refuse("what is wrong; how to fix it")}.
     */
    Flow plan(Flow in, PlanContext at);

    /** The layer, for a spec that {@link #plan} accepted. */
    Layer compile(CompileContext at);
}
