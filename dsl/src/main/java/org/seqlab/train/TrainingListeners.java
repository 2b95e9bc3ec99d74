package org.seqlab.train;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Listeners attached to every fit without being named in its options. An environment registers a
 * factory here (the Jupyter kernel registers its live display), so a plain {@code model.fit(...)}
 * in a notebook cell shows progress while the engine stays free of notebook classes.
 */
public final class TrainingListeners {
    private static final List<Supplier<TrainingListener>> FACTORIES = new CopyOnWriteArrayList<>();

    private TrainingListeners() {
    }

    public static void register(Supplier<TrainingListener> factory) {
        FACTORIES.add(factory);
    }

    public static void unregister(Supplier<TrainingListener> factory) {
        FACTORIES.remove(factory);
    }

    static List<TrainingListener> createDefaults() {
        return FACTORIES.stream().map(Supplier::get).filter(l -> l != null).toList();
    }
}
