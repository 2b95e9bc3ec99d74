package org.seqlab.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans layers in order from what a stack reads: names them ({@code lstm_1}, {@code lstm_2}), asks
 * each spec to check what it reads and say what it writes, and checks the rules that are about
 * order rather than one kind (token ids must be turned into vectors first). One model has one stack;
 * a model with two inputs (an encoder and a decoder) plans one per input, sharing the names.
 */
public final class LayerStack {
    private final Map<String, Integer> counts = new HashMap<>();
    private int position;

    /** Plans {@code layers} reading {@code input}; positions and names continue from earlier calls. */
    public List<PlannedLayer> plan(InputSpec input, List<LayerSpec> layers) {
        return plan(input, layers, null);
    }

    /** As {@link #plan(InputSpec, List)} for a decoder whose layers may attend to {@code memory} (the encoder's output). */
    public List<PlannedLayer> plan(InputSpec input, List<LayerSpec> layers, Flow memory) {
        List<PlannedLayer> out = new ArrayList<>();
        Flow flow = Flow.of(input);
        for (LayerSpec spec : layers) {
            String base = spec.baseName();
            String name = base + "_" + counts.merge(base, 1, Integer::sum);
            PlanContext at = new PlanContext(++position, name, input, memory);
            if (flow.isTokenIds() && !spec.readsTokenIds()) {
                throw at.refuse("the model reads token ids, so its first layer must turn them into vectors: add "
                        + ".embed(dim) or .oneHot() before " + spec.describe());
            }
            Flow next = spec.plan(flow, at);
            LayerKinds.requireSaveable(spec);
            out.add(new PlannedLayer(name, spec, flow, next));
            flow = next;
        }
        if (flow.isTokenIds()) {
            throw new ModelSpecException("the model reads token ids but has no layers: add .embed(dim) or .oneHot()");
        }
        return List.copyOf(out);
    }
}
