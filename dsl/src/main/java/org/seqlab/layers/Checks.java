package org.seqlab.layers;

/** Argument checks shared by the layers, with messages that name the layer and the fix. */
final class Checks {
    private Checks() {
    }

    static void width(Layer layer, SeqTensor input, int expected) {
        if (input.width() != expected) {
            throw new IllegalArgumentException(layer.name() + " (" + layer.kind() + ") expects input width "
                    + expected + " but got " + input.width() + "; make the previous layer output " + expected + " features");
        }
    }

    static void positive(String layerName, String what, long value) {
        LayerRules.require(layerName, LayerRules.positive(what, value));
    }

    static void backwardAfterForward(Layer layer, Object cache) {
        if (cache == null) throw new IllegalStateException(layer.name() + ": backward called before a forward pass");
    }
}
