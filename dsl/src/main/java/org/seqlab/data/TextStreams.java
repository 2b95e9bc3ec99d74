package org.seqlab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A text cut into B equal parallel streams (row r holds tokens {@code r*n .. r*n+n} with
 * {@code n = (tokens-1)/B}) and read {@code length} steps at a time: batch k+1 continues batch k in
 * every row, so the trainer carries the hidden state across batches (truncated BPTT). Targets are the
 * next token (CLASS_PER_STEP). Batches are never shuffled; the last one may be shorter in time, never
 * in rows, so no mask is needed. Up to B tokens at the end of the text are dropped.
 */
public final class TextStreams implements SequenceDataset {

    private final int[] ids;
    private final Vocab vocab;
    private final int streams;
    private final int length;

    private TextStreams(int[] ids, Vocab vocab, int streams, int length) {
        this.ids = ids;
        this.vocab = vocab;
        this.streams = streams;
        this.length = length;
    }

    public static TextStreams of(String text, Vocab vocab, int batchSize, int length) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(vocab, "vocab");
        return of(vocab.encode(text), vocab, batchSize, length);
    }

    public static TextStreams of(int[] ids, Vocab vocab, int batchSize, int length) {
        Checks.positive("batch size (number of parallel streams)", batchSize, "e.g. 32");
        Checks.positive("length (steps per batch)", length, "the truncated BPTT length, e.g. 64");
        Checks.notEmpty("text", ids.length, "pass some text to cut into streams");
        requireEnough(ids.length, batchSize);
        Checks.idsInRange("text", ids, vocab.size());
        return new TextStreams(ids.clone(), vocab, batchSize, length);
    }

    private static void requireEnough(int tokens, int streams) {
        if ((tokens - 1) / streams < 2) {
            throw new IllegalArgumentException("text has " + tokens + " tokens, too few for " + streams
                    + " streams of at least 2 steps; use a batch size of at most " + Math.max(1, (tokens - 1) / 2)
                    + " or more text");
        }
    }

    /** The number of parallel streams (rows per batch) chosen at construction. */
    public int streams() {
        return streams;
    }

    /** Steps per batch (the truncated BPTT length); the last batch may be shorter. */
    public int length() {
        return length;
    }

    /** Steps in every stream. */
    public int streamLength() {
        return streamLength(streams);
    }

    private int streamLength(int rows) {
        return (ids.length - 1) / rows;
    }

    @Override
    public boolean contiguous() {
        return true;
    }

    /**
     * The stream batches in order ({@code random} is ignored: shuffling would break contiguity). A
     * {@code batchSize} other than {@link #streams()} cuts the same text into that many streams.
     */
    @Override
    public List<Batch> batches(int batchSize, Random random) {
        Batcher.requireBatchSize(batchSize);
        requireEnough(ids.length, batchSize);
        int n = streamLength(batchSize);
        List<Batch> batches = new ArrayList<>();
        for (int from = 0; from < n; from += length) {
            int time = Math.min(length, n - from);
            float[] inputs = new float[batchSize * time];
            float[] targets = new float[batchSize * time];
            for (int r = 0; r < batchSize; r++) {
                int base = r * n + from;
                for (int t = 0; t < time; t++) {
                    inputs[r * time + t] = ids[base + t];
                    targets[r * time + t] = ids[base + t + 1];
                }
            }
            long[] shape = {batchSize, time};
            batches.add(new Batch(Nd4j.create(inputs, shape, DataType.FLOAT),
                    Nd4j.create(targets, shape, DataType.FLOAT), null));
        }
        return batches;
    }

    /**
     * Validation keeps the stream layout: the text's first {@code 1 - fraction} of tokens become the
     * training streams and the rest the validation streams (no shuffling, {@code seed} is unused).
     */
    @Override
    public List<SequenceDataset> split(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction is " + fraction
                    + "; use a value strictly between 0 and 1, e.g. 0.1");
        }
        int cut = (int) Math.round(ids.length * (1 - fraction));
        int[] head = Arrays.copyOfRange(ids, 0, cut);
        int[] tail = Arrays.copyOfRange(ids, cut, ids.length);
        if ((head.length - 1) / streams < 2 || (tail.length - 1) / streams < 2) {
            throw new IllegalArgumentException("splitting " + ids.length + " tokens at " + fraction + " leaves "
                    + head.length + " for training and " + tail.length + " for validation, too few for " + streams
                    + " streams of at least 2 steps each; use fewer streams, another fraction or more text");
        }
        return List.of(new TextStreams(head, vocab, streams, length), new TextStreams(tail, vocab, streams, length));
    }

    /** Stream windows: rows times batches in time. */
    @Override
    public int size() {
        return streams * ((streamLength() + length - 1) / length);
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
    public int maxLength() {
        return Math.min(length, streamLength());
    }

    @Override
    public Vocab vocab() {
        return vocab;
    }

    @Override
    public String toString() {
        return "TextStreams[" + streams + " streams of " + streamLength() + " tokens, " + length
                + " steps per batch, vocab " + vocab.size() + "]";
    }
}
