package org.seqlab.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Sentence pairs for an encoder-decoder: a source and a target sequence per example, each side with
 * its own {@link Vocab}. Every source ends in {@link Vocab#EOS}; the target side is what the decoder
 * reads ({@code <s> y1 .. yn}) and what it predicts ({@code y1 .. yn </s>}), so the target vocabulary
 * always has both boundary tokens ({@link Vocab#withBoundaries()}). Batches pad both sides on the
 * right and mask them ({@link PairBatch}); shuffling and validation splits are seeded.
 *
 * <pre>
 * ParallelText data = ParallelText.of(List.of(ParallelText.pair("the dog sleeps", "kelo na dormu"), ...));
 * ParallelText file = ParallelText.readTsv(Path.of("pairs.tsv"));   // source TAB target per line
 * </pre>
 *
 * Built from pairs alone, each side gets a word vocabulary of its own tokens; given vocabularies
 * (those of a trained model, for new data) encode leniently, unknown tokens as {@code <unk>}.
 */
public final class ParallelText implements TrainingData<PairBatch> {

    /** One example: a source sentence and its translation. */
    public record Pair(String source, String target) {
        public Pair {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
        }
    }

    private final List<Pair> pairs;
    private final Vocab sourceVocab;
    private final Vocab targetVocab;
    /** Source ids, each ending in EOS. */
    private final int[][] sourceIds;
    /** Target ids without boundaries. */
    private final int[][] targetIds;

    private ParallelText(List<Pair> pairs, Vocab sourceVocab, Vocab targetVocab, int[][] sourceIds, int[][] targetIds) {
        this.pairs = pairs;
        this.sourceVocab = sourceVocab;
        this.targetVocab = targetVocab;
        this.sourceIds = sourceIds;
        this.targetIds = targetIds;
    }

    public static Pair pair(String source, String target) {
        return new Pair(source, target);
    }

    /** Pairs of word sequences; each side gets the word vocabulary of its own text. */
    public static ParallelText of(List<Pair> pairs) {
        return of(pairs, Tokenizer.WORDS, Tokenizer.WORDS);
    }

    /** Pairs cut into tokens by {@code source} and {@code target} (e.g. characters for dates, words for sentences). */
    public static ParallelText of(List<Pair> pairs, Tokenizer source, Tokenizer target) {
        List<List<String>>[] sides = tokenize(pairs, source, target, null);
        Vocab sv = vocab(sides[0], source), tv = vocab(sides[1], target).withBoundaries();
        return encode(pairs, sides, sv, tv);
    }

    /**
     * Pairs encoded with given vocabularies (a trained model's {@code sourceVocab()} and
     * {@code targetVocab()}); unknown tokens become {@code <unk>}. The target vocabulary gets its
     * boundary tokens if it lacks them.
     */
    public static ParallelText of(List<Pair> pairs, Vocab sourceVocab, Vocab targetVocab) {
        Objects.requireNonNull(sourceVocab, "sourceVocab");
        Objects.requireNonNull(targetVocab, "targetVocab");
        List<List<String>>[] sides = tokenize(pairs, sourceVocab.tokenizer(), targetVocab.tokenizer(), null);
        return encode(pairs, sides, sourceVocab, targetVocab.withBoundaries());
    }

    /**
     * A sentence-pair file: one pair per line, the source, a tab, the target (the usual format of
     * parallel corpora; further tab-separated columns, such as attributions, are ignored). Blank lines
     * are skipped. Both sides are cut into words.
     */
    public static ParallelText readTsv(Path file) throws IOException {
        return readTsv(file, Tokenizer.WORDS, Tokenizer.WORDS);
    }

    public static ParallelText readTsv(Path file, Tokenizer source, Tokenizer target) throws IOException {
        List<Integer> lines = new ArrayList<>();
        List<Pair> pairs = readPairs(file, lines);
        List<List<String>>[] sides = tokenize(pairs, source, target, where(file, lines));
        return encode(pairs, sides, vocab(sides[0], source), vocab(sides[1], target).withBoundaries());
    }

    /** A sentence-pair file encoded with given vocabularies (unknown tokens become {@code <unk>}). */
    public static ParallelText readTsv(Path file, Vocab sourceVocab, Vocab targetVocab) throws IOException {
        List<Integer> lines = new ArrayList<>();
        List<Pair> pairs = readPairs(file, lines);
        List<List<String>>[] sides = tokenize(pairs, sourceVocab.tokenizer(), targetVocab.tokenizer(), where(file, lines));
        return encode(pairs, sides, sourceVocab, targetVocab.withBoundaries());
    }

    private static List<Pair> readPairs(Path file, List<Integer> lineNumbers) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "no sentence-pair file here");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String[] columns = line.split("\t", -1);
            if (columns.length < 2) {
                throw new IllegalArgumentException(file + ", line " + (i + 1) + ": no tab; each line of a sentence-pair "
                        + "file is the source, a tab, then the target (found: \"" + shorten(line) + "\")");
            }
            pairs.add(new Pair(columns[0], columns[1]));
            lineNumbers.add(i + 1);
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no sentence pairs; write one pair per line: source TAB target");
        }
        return pairs;
    }

    /** Where pair i came from, for messages: "pair 3" or "file, line 7". */
    private interface Where {
        String of(int pair);
    }

    private static Where where(Path file, List<Integer> lines) {
        return i -> file + ", line " + lines.get(i);
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>>[] tokenize(List<Pair> pairs, Tokenizer source, Tokenizer target, Where where) {
        Objects.requireNonNull(pairs, "pairs");
        Checks.notEmpty("the list of sentence pairs", pairs.size(), "give at least one (source, target) pair");
        Where at = where != null ? where : i -> "pair " + i;
        List<List<String>> src = new ArrayList<>(pairs.size()), tgt = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            Pair p = pairs.get(i);
            if (p == null) throw new IllegalArgumentException(at.of(i) + " is null; remove it or fill it in");
            List<String> s = source.split(p.source()), t = target.split(p.target());
            if (s.isEmpty() || t.isEmpty()) {
                String side = s.isEmpty() && t.isEmpty() ? "both sides are" : s.isEmpty() ? "the source is" : "the target is";
                throw new IllegalArgumentException(at.of(i) + ": " + side + " empty (\"" + shorten(p.source()) + "\" -> \""
                        + shorten(p.target()) + "\"); every pair needs a source and a target: remove the pair or fill it in");
            }
            src.add(s);
            tgt.add(t);
        }
        return new List[] {src, tgt};
    }

    private static Vocab vocab(List<List<String>> sequences, Tokenizer tokenizer) {
        List<String> all = new ArrayList<>();
        for (List<String> s : sequences) all.addAll(s);
        Vocab words = Vocab.fromTokens(all, 1, Integer.MAX_VALUE);
        return tokenizer == Tokenizer.WORDS ? words : Vocab.of(words.tokens(), tokenizer);
    }

    private static ParallelText encode(List<Pair> pairs, List<List<String>>[] sides, Vocab sv, Vocab tv) {
        if (!sv.contains(Vocab.EOS)) sv = sv.withBoundaries();
        int n = pairs.size();
        int[][] src = new int[n][], tgt = new int[n][];
        int eos = sv.id(Vocab.EOS);
        for (int i = 0; i < n; i++) {
            int[] s = sv.encode(sides[0].get(i));
            src[i] = Arrays.copyOf(s, s.length + 1);
            src[i][s.length] = eos;
            tgt[i] = tv.encode(sides[1].get(i));
        }
        return new ParallelText(List.copyOf(pairs), sv, tv, src, tgt);
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    // ---------------------------------------------------------------- what it holds

    @Override
    public int size() {
        return pairs.size();
    }

    public List<Pair> pairs() {
        return pairs;
    }

    public Pair pair(int i) {
        return pairs.get(i);
    }

    /** The source vocabulary (with {@code </s>}, which ends every source). */
    public Vocab sourceVocab() {
        return sourceVocab;
    }

    /** The target vocabulary, with {@code <s>} and {@code </s>}. */
    public Vocab targetVocab() {
        return targetVocab;
    }

    /** Source ids of pair i, ending in {@code </s>}. */
    public int[] sourceIds(int i) {
        return sourceIds[i].clone();
    }

    /** Target ids of pair i, without boundary tokens. */
    public int[] targetIds(int i) {
        return targetIds[i].clone();
    }

    /** Source tokens of pair i as the model reads them (with the closing {@code </s>}). */
    public List<String> sourceTokens(int i) {
        return tokens(sourceVocab, sourceIds[i]);
    }

    /** Target tokens of pair i, without boundary tokens. */
    public List<String> targetTokens(int i) {
        return tokens(targetVocab, targetIds[i]);
    }

    private static List<String> tokens(Vocab v, int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) out.add(v.token(id));
        return out;
    }

    /** The longest source, {@code </s>} included. */
    public int maxSourceLength() {
        int max = 0;
        for (int[] s : sourceIds) max = Math.max(max, s.length);
        return max;
    }

    /** The longest target plus one (the decoder reads {@code <s>} first and predicts {@code </s>} last). */
    public int maxTargetLength() {
        int max = 0;
        for (int[] t : targetIds) max = Math.max(max, t.length + 1);
        return max;
    }

    // ---------------------------------------------------------------- subsets

    /** The pairs at {@code indices}, in that order, with the same vocabularies. */
    public ParallelText select(int[] indices) {
        List<Pair> p = new ArrayList<>(indices.length);
        int[][] s = new int[indices.length][], t = new int[indices.length][];
        for (int k = 0; k < indices.length; k++) {
            p.add(pairs.get(indices[k]));
            s[k] = sourceIds[indices[k]];
            t[k] = targetIds[indices[k]];
        }
        return new ParallelText(List.copyOf(p), sourceVocab, targetVocab, s, t);
    }

    /** The pairs that pass {@code test}, in order (e.g. long sentences only); refuses an empty result. */
    public ParallelText where(Predicate<Pair> test) {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) if (test.test(pairs.get(i))) keep.add(i);
        if (keep.isEmpty()) throw new IllegalArgumentException("no pair passes the test; loosen it");
        return select(keep.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    public List<ParallelText> split(double fraction, long seed) {
        int[][] parts = Batcher.split(size(), fraction, seed);
        return List.of(select(parts[0]), select(parts[1]));
    }

    // ---------------------------------------------------------------- batches

    @Override
    public List<PairBatch> batches(int batchSize, Random random) {
        List<PairBatch> batches = new ArrayList<>();
        for (int[] chunk : Batcher.chunks(Batcher.order(size(), random), batchSize)) batches.add(batch(chunk));
        return batches;
    }

    /** One right-padded batch of the pairs at {@code examples}. */
    public PairBatch batch(int[] examples) {
        int b = examples.length;
        int[][] src = new int[b][], in = new int[b][], out = new int[b][];
        int[] srcLengths = new int[b], tgtLengths = new int[b];
        int bos = targetVocab.id(Vocab.BOS), eos = targetVocab.id(Vocab.EOS);
        for (int k = 0; k < b; k++) {
            int[] t = targetIds[examples[k]];
            src[k] = sourceIds[examples[k]];
            in[k] = new int[t.length + 1];
            in[k][0] = bos;
            System.arraycopy(t, 0, in[k], 1, t.length);
            out[k] = Arrays.copyOf(t, t.length + 1);
            out[k][t.length] = eos;
            srcLengths[k] = src[k].length;
            tgtLengths[k] = t.length + 1;
        }
        return new PairBatch(Padding.ids(src), Padding.mask(srcLengths, Padding.maxLength(srcLengths)),
                Padding.ids(in), Padding.ids(out), Padding.mask(tgtLengths, Padding.maxLength(tgtLengths)), 0);
    }

    @Override
    public String toString() {
        return "ParallelText(" + size() + " pairs; source " + sourceVocab.size() + " tokens, up to " + maxSourceLength()
                + " steps; target " + targetVocab.size() + " tokens, up to " + maxTargetLength() + " steps)";
    }
}
