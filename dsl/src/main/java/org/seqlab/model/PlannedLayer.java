package org.seqlab.model;

/** A layer of a validated stack: its unique name, its spec, and what it reads and writes. */
public record PlannedLayer(String name, LayerSpec spec, Flow input, Flow output) {

    public int inputWidth() {
        return input.width();
    }

    public int outputWidth() {
        return output.width();
    }

    /** Whether time has been pooled away by this layer or an earlier one. */
    public boolean pooled() {
        return output.isPooled();
    }
}
