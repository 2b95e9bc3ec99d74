package org.seqlab.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A dataset of independent examples that can each write themselves into a batch buffer. Subclasses keep
 * their data compactly (a text once, window starts as offsets) and say how one example reads; this class
 * owns shuffling, batching, padding and splitting so every dataset does them the same way.
 */
abstract class ExampleDataset implements SequenceDataset {

    private int maxLength = -1;

    /** Steps in example {@code i}. */
    abstract int length(int i);

    /** Writes example {@code i}'s inputs, {@code length(i) * featureSize()} floats, from {@code offset}. */
    abstract void writeInputs(int i, float[] dst, int offset);

    /**
     * Writes example {@code i}'s targets from {@code offset}: {@code length(i) * targetWidth()} floats for
     * per-step targets, {@code targetWidth()} floats for per-sequence targets.
     */
    abstract void writeTargets(int i, float[] dst, int offset);

    /** The same kind of dataset holding only {@code examples} (indices into this one), in that order. */
    abstract SequenceDataset select(int[] examples);

    /** Floats per target: 1 for class ids, {@link #targetSize()} for values. */
    final int targetWidth() {
        TargetKind kind = targetKind();
        return kind == TargetKind.CLASS_PER_STEP || kind == TargetKind.CLASS_PER_SEQUENCE ? 1 : targetSize();
    }

    @Override
    public int maxLength() {
        if (maxLength < 0) {
            int max = 0;
            for (int i = 0; i < size(); i++) {
                max = Math.max(max, length(i));
            }
            maxLength = max;
        }
        return maxLength;
    }

    @Override
    public List<Batch> batches(int batchSize, Random random) {
        List<Batch> batches = new ArrayList<>();
        for (int[] chunk : Batcher.chunks(Batcher.order(size(), random), batchSize)) {
            batches.add(batch(chunk));
        }
        return batches;
    }

    @Override
    public List<SequenceDataset> split(double fraction, long seed) {
        int[][] parts = Batcher.split(size(), fraction, seed);
        return List.of(select(parts[0]), select(parts[1]));
    }

    /** One right-padded batch of the given examples. */
    final Batch batch(int[] examples) {
        int b = examples.length;
        int[] lengths = new int[b];
        for (int k = 0; k < b; k++) {
            lengths[k] = length(examples[k]);
        }
        int time = Padding.maxLength(lengths);
        int features = featureSize();
        int width = targetWidth();
        boolean perStep = targetKind() == TargetKind.CLASS_PER_STEP || targetKind() == TargetKind.VALUES_PER_STEP;
        float[] inputs = new float[b * time * features];
        float[] targets = new float[perStep ? b * time * width : b * width];
        for (int k = 0; k < b; k++) {
            writeInputs(examples[k], inputs, k * time * features);
            writeTargets(examples[k], targets, perStep ? k * time * width : k * width);
        }
        long[] inputShape = vocabSize() > 0 ? new long[] {b, time} : new long[] {b, time, features};
        long[] targetShape = switch (targetKind()) {
            case CLASS_PER_STEP -> new long[] {b, time};
            case CLASS_PER_SEQUENCE -> new long[] {b};
            case VALUES_PER_STEP -> new long[] {b, time, width};
            case VALUES_PER_SEQUENCE -> new long[] {b, width};
        };
        return new Batch(Nd4j.create(inputs, inputShape, DataType.FLOAT),
                Nd4j.create(targets, targetShape, DataType.FLOAT), Padding.mask(lengths, time));
    }
}
