package org.seqlab.layers;

/**
 * The argument rules of the layers, each written once as the problem and its fix (or null when the
 * value is fine). Layers refuse bad arguments with them when constructed directly, and the model
 * spec refuses them with the same words when a model is built, before any layer exists.
 */
public final class LayerRules {
    private LayerRules() {
    }

    /** {@code value > 0}. */
    public static String positive(String what, long value) {
        return value > 0 ? null : what + " must be positive, got " + value;
    }

    /** Heads split the width into equal parts, so their count must divide it. */
    public static String headsDivide(int width, int heads) {
        if (heads <= 0) return positive("number of heads", heads);
        if (width % heads == 0) return null;
        return heads + " heads do not divide the width " + width + "; use a head count that divides " + width
                + " (e.g. " + divisorNear(width, heads) + ") or change the previous layer's size to a multiple of " + heads;
    }

    /** A dropout rate: 0 keeps everything, 1 would drop everything. */
    public static String dropoutRate(double rate) {
        return rate >= 0 && rate < 1 ? null : "dropout rate must be in [0, 1), got " + rate;
    }

    /** The largest head count at most {@code heads} that divides {@code width}. */
    static int divisorNear(int width, int heads) {
        for (int h = Math.min(heads, width); h >= 1; h--) if (width % h == 0) return h;
        return 1;
    }

    /** Throws {@link IllegalArgumentException} naming the layer when {@code problem} is not null. */
    static void require(String layerName, String problem) {
        if (problem != null) throw new IllegalArgumentException(layerName + ": " + problem);
    }
}
