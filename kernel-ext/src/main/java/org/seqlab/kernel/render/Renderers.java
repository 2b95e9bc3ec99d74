package org.seqlab.kernel.render;

import org.dflib.jjava.jupyter.kernel.display.Renderer;

/** Every seqlab renderer, registered in one call (by our kernel and by the JJava extension). */
public final class Renderers {
    private Renderers() {}

    public static void registerAll(Renderer renderer) {
        ChartRenderer.register(renderer);
        TableRenderer.register(renderer);
        NDArrayRenderer.register(renderer);
        ModelRenderer.register(renderer);
        HistoryRenderer.register(renderer);
        EvaluationRenderer.register(renderer);
        AudioRenderer.register(renderer);
        // last resort for every other type: objects with png() / html()
        SelfRenderingObjects.register(renderer);
    }
}
