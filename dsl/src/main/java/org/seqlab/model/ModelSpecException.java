package org.seqlab.model;

/** A model description that cannot be built; the message names the layer and the fix. */
public final class ModelSpecException extends IllegalArgumentException {
    public ModelSpecException(String message) {
        super(message);
    }
}
