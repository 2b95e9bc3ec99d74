package org.seqlab.data;

import java.util.Objects;

/**
 * Next-token language modelling windows over one text: example {@code i} starts at token
 * {@code s = i * stride}, its inputs are tokens {@code s .. s+window-1} and its targets the tokens one
 * step later, {@code s+1 .. s+window} (CLASS_PER_STEP). A tail shorter than a full window plus its
 * next token is dropped. For truncated BPTT over the text as one long stream use {@link #streams}.
 */
public final class TextWindows extends ExampleDataset {

    private final int[] ids;
    private final Vocab vocab;
    private final int window;
    private final int[] starts;

    private TextWindows(int[] ids, Vocab vocab, int window, int[] starts) {
        this.ids = ids;
        this.vocab = vocab;
        this.window = window;
        this.starts = starts;
    }

    /** Windows of {@code window} tokens every {@code stride} tokens; unknown tokens become {@code <unk>}. */
    public static TextWindows of(String text, Vocab vocab, int window, int stride) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(vocab, "vocab");
        return of(vocab.encode(text), vocab, window, stride);
    }

    /** Windows over already encoded token ids. */
    public static TextWindows of(int[] ids, Vocab vocab, int window, int stride) {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(vocab, "vocab");
        Checks.positive("window", window, "the number of input steps per example");
        Checks.positive("stride", stride, "use 1 for every offset, or window for non-overlapping windows");
        Checks.notEmpty("text", ids.length, "pass some text to cut into windows");
        if (ids.length < window + 1) {
            throw new IllegalArgumentException("text has " + ids.length + " tokens but a window of " + window
                    + " needs at least " + (window + 1) + " (the inputs plus the next token as target); "
                    + "use a window of at most " + (ids.length - 1) + " or more text");
        }
        Checks.idsInRange("text", ids, vocab.size());
        int count = (ids.length - 1 - window) / stride + 1;
        int[] starts = new int[count];
        for (int i = 0; i < count; i++) {
            starts[i] = i * stride;
        }
        return new TextWindows(ids.clone(), vocab, window, starts);
    }

    /**
     * The text as {@code batchSize} parallel streams read {@code length} steps at a time, for truncated
     * BPTT: see {@link TextStreams}.
     */
    public static TextStreams streams(String text, Vocab vocab, int batchSize, int length) {
        return TextStreams.of(text, vocab, batchSize, length);
    }

    public int window() {
        return window;
    }

    /** Token offset where example {@code i} starts. */
    public int start(int i) {
        return starts[i];
    }

    @Override
    int length(int i) {
        return window;
    }

    @Override
    void writeInputs(int i, float[] dst, int offset) {
        for (int t = 0; t < window; t++) {
            dst[offset + t] = ids[starts[i] + t];
        }
    }

    @Override
    void writeTargets(int i, float[] dst, int offset) {
        for (int t = 0; t < window; t++) {
            dst[offset + t] = ids[starts[i] + t + 1];
        }
    }

    @Override
    SequenceDataset select(int[] examples) {
        int[] picked = new int[examples.length];
        for (int k = 0; k < examples.length; k++) {
            picked[k] = starts[examples[k]];
        }
        return new TextWindows(ids, vocab, window, picked);
    }

    @Override
    public int size() {
        return starts.length;
    }

    @Override
    public TargetKind targetKind() {
        return TargetKind.CLASS_PER_STEP;
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public int featureSize() {
        return 1;
    }

    @Override
    public int targetSize() {
        return vocab.size();
    }

    @Override
    public Vocab vocab() {
        return vocab;
    }

    @Override
    public String toString() {
        return "TextWindows[" + size() + " windows of " + window + " tokens, vocab " + vocab.size() + "]";
    }
}
