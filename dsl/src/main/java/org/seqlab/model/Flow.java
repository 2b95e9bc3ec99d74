package org.seqlab.model;

/**
 * What flows from one layer into the next, as the spec sees it before any array exists: token ids
 * (from a vocabulary of {@code width} ids), a sequence of vectors of {@code width} features per step,
 * or one pooled vector of {@code width} per sequence (after {@code last()} / {@code meanPool()}).
 */
public record Flow(Form form, int width) {

    public enum Form { TOKEN_IDS, STEPS, POOLED }

    public static Flow tokenIds(int vocabSize) {
        return new Flow(Form.TOKEN_IDS, vocabSize);
    }

    public static Flow steps(int width) {
        return new Flow(Form.STEPS, width);
    }

    public static Flow pooled(int width) {
        return new Flow(Form.POOLED, width);
    }

    /** What a model's input is before its first layer. */
    public static Flow of(InputSpec input) {
        return input.isTokens() ? tokenIds(input.vocabSize()) : steps(input.features());
    }

    public boolean isTokenIds() {
        return form == Form.TOKEN_IDS;
    }

    public boolean isPooled() {
        return form == Form.POOLED;
    }

    /** The same form (sequence or pooled) with another width. */
    public Flow withWidth(int newWidth) {
        return new Flow(form, newWidth);
    }
}
