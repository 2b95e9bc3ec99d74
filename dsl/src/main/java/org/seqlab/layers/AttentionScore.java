package org.seqlab.layers;

/** How {@link CrossAttention} scores a decoder state against an encoder state. */
public enum AttentionScore {
    /** {@code h . m} (Luong et al. 2015). */
    DOT("dot"),
    /** {@code h W_a m} (Luong et al. 2015). */
    GENERAL("general"),
    /** {@code v . tanh(h W_q + m W_k + b)} (Bahdanau et al. 2015). */
    ADDITIVE("additive");

    private final String label;

    AttentionScore(String label) {
        this.label = label;
    }

    /** The lower-case name used in summaries and save files. */
    public String label() {
        return label;
    }

    public static AttentionScore ofLabel(String label) {
        for (AttentionScore s : values()) if (s.label.equals(label)) return s;
        throw new IllegalArgumentException("unknown attention score '" + label + "'; use dot, general or additive");
    }
}
