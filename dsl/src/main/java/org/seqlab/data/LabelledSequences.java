package org.seqlab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import tech.tablesaw.api.Table;

/**
 * Variable-length token-id sequences with either one class per sequence (CLASS_PER_SEQUENCE:
 * classification) or one class per step (CLASS_PER_STEP: tagging). Batches pad on the right and mask.
 */
public final class LabelledSequences extends ExampleDataset {

    private final int[][] sequences;
    private final int[] labels;      // per-sequence classes, or null when tagged
    private final int[][] tags;      // per-step classes, or null when labelled
    private final int vocabSize;
    private final int numClasses;
    private final Vocab vocab;
    private final List<String> classNames;

    private LabelledSequences(int[][] sequences, int[] labels, int[][] tags, int vocabSize, int numClasses,
                              Vocab vocab, List<String> classNames) {
        this.sequences = sequences;
        this.labels = labels;
        this.tags = tags;
        this.vocabSize = vocabSize;
        this.numClasses = numClasses;
        this.vocab = vocab;
        this.classNames = classNames;
    }

    /** Sequences of ids in {@code [0, vocabSize)} with one class in {@code [0, numClasses)} each. */
    public static LabelledSequences classes(int[][] sequences, int[] labels, int vocabSize, int numClasses) {
        return classes(sequences, labels, vocabSize, numClasses, null, null);
    }

    public static LabelledSequences classes(int[][] sequences, int[] labels, Vocab vocab, List<String> classNames) {
        Objects.requireNonNull(vocab, "vocab");
        return classes(sequences, labels, vocab.size(), classNames.size(), vocab, classNames);
    }

    private static LabelledSequences classes(int[][] sequences, int[] labels, int vocabSize, int numClasses,
                                             Vocab vocab, List<String> classNames) {
        Objects.requireNonNull(sequences, "sequences");
        Objects.requireNonNull(labels, "labels");
        checkSequences(sequences, vocabSize, numClasses);
        if (labels.length != sequences.length) {
            throw new IllegalArgumentException(sequences.length + " sequences but " + labels.length
                    + " labels; give exactly one label per sequence");
        }
        for (int i = 0; i < labels.length; i++) {
            Checks.classInRange("label of sequence " + i, labels[i], numClasses);
        }
        return new LabelledSequences(deepCopy(sequences), labels.clone(), null, vocabSize, numClasses, vocab,
                names(classNames, numClasses));
    }

    /** Sequences with a class for every step (tagging); {@code tags[i]} has the length of {@code sequences[i]}. */
    public static LabelledSequences tagged(int[][] sequences, int[][] tags, int vocabSize, int numTags) {
        return tagged(sequences, tags, vocabSize, numTags, null, null);
    }

    public static LabelledSequences tagged(int[][] sequences, int[][] tags, Vocab vocab, List<String> tagNames) {
        Objects.requireNonNull(vocab, "vocab");
        return tagged(sequences, tags, vocab.size(), tagNames.size(), vocab, tagNames);
    }

    private static LabelledSequences tagged(int[][] sequences, int[][] tags, int vocabSize, int numTags,
                                            Vocab vocab, List<String> tagNames) {
        Objects.requireNonNull(sequences, "sequences");
        Objects.requireNonNull(tags, "tags");
        checkSequences(sequences, vocabSize, numTags);
        if (tags.length != sequences.length) {
            throw new IllegalArgumentException(sequences.length + " sequences but " + tags.length
                    + " tag sequences; give one tag sequence per sequence");
        }
        for (int i = 0; i < tags.length; i++) {
            if (tags[i] == null || tags[i].length != sequences[i].length) {
                throw new IllegalArgumentException("sequence " + i + " has " + sequences[i].length + " steps but "
                        + (tags[i] == null ? "no" : String.valueOf(tags[i].length)) + " tags; give one tag per step");
            }
            for (int t = 0; t < tags[i].length; t++) {
                Checks.classInRange("tag at step " + t + " of sequence " + i, tags[i][t], numTags);
            }
        }
        return new LabelledSequences(deepCopy(sequences), null, deepCopy(tags), vocabSize, numTags, vocab,
                names(tagNames, numTags));
    }

    /**
     * Texts with a label each, encoded with {@code vocab} (unknown tokens become {@code <unk>}). Classes are
     * the labels themselves when every label is a non-negative integer, otherwise the distinct labels in
     * sorted order ({@link #classNames()} gives the mapping).
     */
    public static LabelledSequences texts(List<String> texts, List<String> labels, Vocab vocab) {
        Objects.requireNonNull(texts, "texts");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(vocab, "vocab");
        Checks.notEmpty("texts", texts.size(), "pass at least one labelled text");
        if (texts.size() != labels.size()) {
            throw new IllegalArgumentException(texts.size() + " texts but " + labels.size()
                    + " labels; give exactly one label per text");
        }
        int[][] sequences = new int[texts.size()][];
        for (int i = 0; i < sequences.length; i++) {
            sequences[i] = vocab.encode(Objects.requireNonNull(texts.get(i), "text " + i));
        }
        List<String> classNames = classNamesOf(labels);
        int[] ids = new int[labels.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = classNames.indexOf(labels.get(i).trim());
        }
        return classes(sequences, ids, vocab, classNames);
    }

    /** A text column and a label column of a table (see {@link #texts}); the vocabulary is given. */
    public static LabelledSequences fromTable(Table table, String textColumn, String labelColumn, Vocab vocab) {
        String[] texts = Csv.strings(table, textColumn);
        String[] labels = Csv.strings(table, labelColumn);
        return texts(Arrays.asList(texts), Arrays.asList(labels), vocab);
    }

    /** As {@link #fromTable(Table, String, String, Vocab)} with a character vocabulary of the text column. */
    public static LabelledSequences fromTable(Table table, String textColumn, String labelColumn) {
        String[] texts = Csv.strings(table, textColumn);
        Csv.column(table, labelColumn);
        Checks.notEmpty("table '" + table.name() + "'", texts.length, "the CSV has no data rows");
        return fromTable(table, textColumn, labelColumn, Vocab.chars(String.join("\n", texts)));
    }

    private static List<String> classNamesOf(List<String> labels) {
        TreeSet<String> distinct = new TreeSet<>();
        boolean allIntegers = true;
        int max = -1;
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("label " + i + " is missing; give every text a label");
            }
            label = label.trim();
            distinct.add(label);
            if (label.matches("\\d{1,6}")) {
                max = Math.max(max, Integer.parseInt(label));
            } else {
                allIntegers = false;
            }
        }
        if (!allIntegers) {
            return List.copyOf(distinct);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c <= max; c++) {
            names.add(String.valueOf(c));
        }
        return names;
    }

    private static void checkSequences(int[][] sequences, int vocabSize, int numClasses) {
        Checks.notEmpty("sequences", sequences.length, "pass at least one sequence");
        Checks.positive("vocabulary size", vocabSize, "the number of distinct token ids");
        if (numClasses < 2) {
            throw new IllegalArgumentException("number of classes is " + numClasses + "; classification needs at"
                    + " least 2");
        }
        for (int i = 0; i < sequences.length; i++) {
            if (sequences[i] == null || sequences[i].length == 0) {
                throw new IllegalArgumentException("sequence " + i + " is empty; drop it, every sequence needs at"
                        + " least one step");
            }
            Checks.idsInRange("sequence " + i, sequences[i], vocabSize);
        }
    }

    private static List<String> names(List<String> given, int count) {
        if (given != null) {
            return List.copyOf(given);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            names.add(String.valueOf(c));
        }
        return names;
    }

    private static int[][] deepCopy(int[][] rows) {
        int[][] copy = new int[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            copy[i] = rows[i].clone();
        }
        return copy;
    }

    /** Class names by class id. */
    public List<String> classNames() {
        return classNames;
    }

    /** Example {@code i}'s token ids. */
    public int[] sequence(int i) {
        return sequences[i].clone();
    }

    /** Example {@code i}'s class (CLASS_PER_SEQUENCE only). */
    public int label(int i) {
        if (labels == null) {
            throw new IllegalStateException("this dataset has a tag per step; use tags(i)");
        }
        return labels[i];
    }

    /** Example {@code i}'s per-step classes (CLASS_PER_STEP only). */
    public int[] tags(int i) {
        if (tags == null) {
            throw new IllegalStateException("this dataset has one label per sequence; use label(i)");
        }
        return tags[i].clone();
    }

    @Override
    int length(int i) {
        return sequences[i].length;
    }

    @Override
    void writeInputs(int i, float[] dst, int offset) {
        for (int t = 0; t < sequences[i].length; t++) {
            dst[offset + t] = sequences[i][t];
        }
    }

    @Override
    void writeTargets(int i, float[] dst, int offset) {
        if (labels != null) {
            dst[offset] = labels[i];
        } else {
            for (int t = 0; t < tags[i].length; t++) {
                dst[offset + t] = tags[i][t];
            }
        }
    }

    @Override
    SequenceDataset select(int[] examples) {
        int[][] seqs = new int[examples.length][];
        int[] pickedLabels = labels == null ? null : new int[examples.length];
        int[][] pickedTags = tags == null ? null : new int[examples.length][];
        for (int k = 0; k < examples.length; k++) {
            seqs[k] = sequences[examples[k]];
            if (labels != null) {
                pickedLabels[k] = labels[examples[k]];
            } else {
                pickedTags[k] = tags[examples[k]];
            }
        }
        return new LabelledSequences(seqs, pickedLabels, pickedTags, vocabSize, numClasses, vocab, classNames);
    }

    @Override
    public int size() {
        return sequences.length;
    }

    @Override
    public TargetKind targetKind() {
        return labels != null ? TargetKind.CLASS_PER_SEQUENCE : TargetKind.CLASS_PER_STEP;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int featureSize() {
        return 1;
    }

    @Override
    public int targetSize() {
        return numClasses;
    }

    @Override
    public Vocab vocab() {
        return vocab;
    }

    @Override
    public String toString() {
        return "LabelledSequences[" + size() + " sequences, lengths up to " + maxLength() + ", "
                + targetKind() + " with " + numClasses + " classes, vocab " + vocabSize + "]";
    }
}
