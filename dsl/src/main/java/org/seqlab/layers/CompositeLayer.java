package org.seqlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A layer made of other layers, each under a local prefix: their parameters appear in this layer's
 * list with the prefix ({@code block_1/attention/W_qkv}), each part is bound to the views under its
 * own names, initialised in order from the model's seeded source, and reset with it. Subclasses add
 * their parts in the constructor and wire them in {@link #forward} and {@link #backward}.
 */
public abstract class CompositeLayer extends Layer implements Composite {
    private final Map<String, Layer> byPrefix = new LinkedHashMap<>();
    /** Arrays passed between parts during the step (freed by {@link #releaseStep}), and the caller's, which are not. */
    private final List<INDArray> internal = new ArrayList<>();
    private final List<INDArray> callers = new ArrayList<>();

    protected CompositeLayer(String name) {
        super(name);
    }

    /** Adds {@code part} under {@code prefix} (such as {@code ln_1/}); returns it. */
    protected final <L extends Layer> L part(String prefix, L part) {
        if (byPrefix.putIfAbsent(prefix, part) != null) throw new IllegalArgumentException(name() + ": two parts under " + prefix);
        return part;
    }

    @Override
    public final List<Layer> parts() {
        return List.copyOf(byPrefix.values());
    }

    @Override
    public final List<ParamSpec> paramSpecs() {
        List<ParamSpec> specs = new ArrayList<>();
        byPrefix.forEach((prefix, part) -> {
            for (ParamSpec s : part.paramSpecs()) specs.add(new ParamSpec(prefix + s.name(), s.shape(), s.layout()));
        });
        return List.copyOf(specs);
    }

    @Override
    public final void bind(Params all) {
        super.bind(all);
        byPrefix.forEach((prefix, part) -> {
            Params own = new Params();
            for (ParamSpec s : part.paramSpecs()) own.put(s.name(), all.value(prefix + s.name()), all.grad(prefix + s.name()));
            part.bind(own);
        });
    }

    @Override
    public final void initialize(Random random) {
        for (Layer part : byPrefix.values()) part.initialize(random);
    }

    @Override
    public void resetState() {
        for (Layer part : byPrefix.values()) part.resetState();
    }

    /**
     * Forgets (without freeing) what an earlier forward marked: called first in forward, so that
     * passes never followed by a training step's {@link #releaseStep} (generation, evaluation, a
     * first teacher-forcing pass) leave their arrays to the garbage collector instead of piling up here.
     */
    protected final void startStep() {
        internal.clear();
        callers.clear();
    }

    /** Marks what one part handed to the next inside this layer; returns it. */
    protected final SeqTensor internal(SeqTensor t) {
        internal.add(t.data());
        return t;
    }

    /** Marks arrays that came from or go to outside this layer (input, output, gradients): never freed here. */
    protected final void callers(INDArray... arrays) {
        for (INDArray a : arrays) callers.add(a);
    }

    @Override
    public void releaseStep() {
        java.util.Set<INDArray> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        seen.addAll(callers);
        for (INDArray a : internal) {
            if (a != null && seen.add(a)) StepBuffers.free(a);
        }
        internal.clear();
        callers.clear();
        for (Layer part : byPrefix.values()) part.releaseStep();
    }
}
