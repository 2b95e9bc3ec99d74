package org.seqlab.kernel;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.seqlab.kernel.render.Renderers;

/**
 * Lets a stock JJava kernel show seqlab objects: JJava loads {@code Extension}s through
 * {@link java.util.ServiceLoader} (META-INF/services) from its class path and from jars added
 * with {@code %jars}, so {@code %jars seqlab-kernel.jar} is enough there.
 * Our own kernel registers the same renderers itself.
 */
public final class SeqlabExtension implements Extension {
    @Override
    public void install(BaseKernel kernel) {
        if (!(kernel instanceof SeqlabKernel)) {
            Renderers.registerAll(kernel.getRenderer());
        }
    }
}
