package org.seqlab.layers;

import java.util.List;

/** A layer made of other layers (a bidirectional pair, a transformer's blocks); inspection looks inside. */
public interface Composite {

    /** The layers inside, in the order they run. */
    List<Layer> parts();
}
