package org.seqlab.layers;

/** A layer that only knows positions up to a limit (learned position tables). */
public interface PositionLimited {

    /** How many steps a sequence may have, counting from its start. */
    int maxPositions();
}
