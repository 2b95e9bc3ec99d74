package org.seqlab.inspect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seqlab.data.Vocab;
import org.seqlab.graph.CompiledModel;
import org.seqlab.layers.Embedding;
import org.seqlab.layers.Layer;
import org.seqlab.viz.ColorScale;
import org.seqlab.viz.Heatmap;
import org.seqlab.viz.LabelledScatter;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The learned embedding table: every token's vector, its nearest neighbours by cosine similarity
 * in the full table, and a 2-D map of the table on its two main principal components. The map is
 * a projection: the share of variance it keeps ({@link #explained()}) says how much of the table it
 * can show, and neighbours are measured in the table, not on the map.
 */
public final class EmbeddingMap {
    /** A token near another, with their cosine similarity in the full table. */
    public record Neighbour(String token, double similarity) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%s %.2f", shown(token), similarity);
        }
    }

    /** A token as a table shows it: space and newline as the symbols editors use, so a blank cell never hides one. */
    static String shown(String token) {
        return token.replace(" ", "\u2423").replace("\n", "\u21b5").replace("\t", "\u21e5");
    }

    private final String layer;
    private final List<String> tokens;
    private final double[][] vectors;
    private final double[][] coordinates;
    private final double[] explained;
    private List<String> groups;

    private EmbeddingMap(String layer, List<String> tokens, double[][] vectors) {
        this.layer = layer;
        this.tokens = tokens;
        this.vectors = vectors;
        Pca pca = Pca.of(vectors, 2);
        this.coordinates = pca.projected;
        this.explained = pca.explained;
    }

    /** The first embedding layer's table; the padding row is left out (it is never trained). */
    public static EmbeddingMap of(CompiledModel model, Vocab vocab) {
        for (Layer l : model.layers()) {
            if (!(l instanceof Embedding)) continue;
            double[][] table = Traced.matrix(l.params().value("E"));
            if (table[0].length < 2) throw new IllegalStateException(l.name() + " has 1 dimension; a 2-D map needs at least 2");
            List<String> tokens = new ArrayList<>();
            List<double[]> rows = new ArrayList<>();
            for (int id = 0; id < table.length; id++) {
                if (vocab != null && id == Vocab.PAD_ID) continue;
                tokens.add(vocab != null ? vocab.token(id) : String.valueOf(id));
                rows.add(table[id]);
            }
            return new EmbeddingMap(l.name(), List.copyOf(tokens), rows.toArray(new double[0][]));
        }
        throw new IllegalStateException("the model has no embedding layer (it starts with oneHot() or reads features), "
                + "so there is no learned table to map");
    }

    /**
     * The map of these tokens only, its principal components computed from them alone (leave out
     * punctuation or rare tokens to see the words). Unknown tokens are an error that names them.
     */
    public EmbeddingMap only(List<String> keep) {
        List<String> missing = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        for (String t : keep) {
            int i = tokens.indexOf(t);
            if (i < 0) missing.add(t);
            else rows.add(vectors[i]);
        }
        if (!missing.isEmpty()) throw new IllegalArgumentException("not in the embedding table: " + missing);
        if (rows.size() < 3) throw new IllegalArgumentException("a map needs at least 3 tokens, got " + rows.size());
        EmbeddingMap m = new EmbeddingMap(layer, List.copyOf(keep), rows.toArray(new double[0][]));
        if (groups != null) {
            List<String> g = new ArrayList<>();
            for (String t : keep) g.add(groups.get(tokens.indexOf(t)));
            m.groups = g;
        }
        return m;
    }

    /** Colours the map's points by group: {@code groupOf} maps a token to its group (tokens not in it: "other"). */
    public EmbeddingMap groups(Map<String, String> groupOf) {
        List<String> g = new ArrayList<>();
        for (String t : tokens) g.add(groupOf.getOrDefault(t, "other"));
        this.groups = g;
        return this;
    }

    public List<String> tokens() {
        return tokens;
    }

    /** The vector of {@code token} in the table (a copy). */
    public double[] vector(String token) {
        return vectors[index(token)].clone();
    }

    private int index(String token) {
        int i = tokens.indexOf(token);
        if (i < 0) throw new IllegalArgumentException("'" + token + "' is not in the embedding table; tokens: " + preview());
        return i;
    }

    private String preview() {
        return tokens.size() <= 20 ? tokens.toString() : tokens.subList(0, 20) + " ... (" + tokens.size() + ")";
    }

    /** Cosine similarity of two tokens' vectors: 1 same direction, 0 unrelated, -1 opposite. */
    public double similarity(String a, String b) {
        return cosine(vectors[index(a)], vectors[index(b)]);
    }

    static double cosine(double[] a, double[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }

    /** The {@code k} tokens most similar to {@code token} in the full table, most similar first. */
    public List<Neighbour> neighbours(String token, int k) {
        int self = index(token);
        List<Neighbour> all = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (i != self) all.add(new Neighbour(tokens.get(i), cosine(vectors[self], vectors[i])));
        }
        all.sort((x, y) -> Double.compare(y.similarity(), x.similarity()));
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }

    /** A table: each of {@code words}, then its {@code k} nearest neighbours with their similarity. */
    public Table neighbours(List<String> words, int k) {
        Table table = Table.create("nearest neighbours in " + layer + " (cosine similarity)");
        StringColumn word = StringColumn.create("token");
        List<StringColumn> near = new ArrayList<>();
        for (int j = 0; j < k; j++) near.add(StringColumn.create("nearest " + (j + 1)));
        for (String w : words) {
            word.append(shown(w));
            List<Neighbour> n = neighbours(w, k);
            for (int j = 0; j < k; j++) near.get(j).append(j < n.size() ? n.get(j).toString() : "");
        }
        table.addColumns(word);
        near.forEach(table::addColumns);
        return table;
    }

    /** Tokens x tokens cosine similarity of the given tokens, as a heatmap (blue -1, white 0, red 1). */
    public Heatmap similarityHeatmap(List<String> words) {
        double[][] s = new double[words.size()][words.size()];
        for (int i = 0; i < words.size(); i++) {
            for (int j = 0; j < words.size(); j++) s[i][j] = cosine(vectors[index(words.get(i))], vectors[index(words.get(j))]);
        }
        int side = Math.max(280, Math.min(560, words.size() * 34)); // 34 px cells have room for the values
        return Heatmap.of(s).rows(words).columns(words).title(layer + ": cosine similarity of the vectors")
                .axes("token", "token").scale(ColorScale.diverging(1)).scaleLabel("cosine similarity")
                .size(side + 250, side + 150);
    }

    /** {@code [token][2]} coordinates on the first two principal components, in {@link #tokens()} order. */
    public double[][] coordinates() {
        double[][] c = new double[coordinates.length][];
        for (int i = 0; i < c.length; i++) c[i] = coordinates[i].clone();
        return c;
    }

    /** Share of the table's variance each of the two components explains. */
    public double[] explained() {
        return explained.clone();
    }

    /**
     * Tokens at their coordinates on the two main principal components (coloured by group when
     * {@link #groups} was given). The title says how much of the variance the two components keep.
     */
    public LabelledScatter chart() {
        double[] x = new double[coordinates.length], y = new double[coordinates.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = coordinates[i][0];
            y[i] = coordinates[i][1];
        }
        return LabelledScatter.of(x, y, tokens).groups(groups)
                .title(String.format("%s: %d tokens on 2 principal components (%.0f%% of the variance)", layer, tokens.size(),
                        100 * (explained[0] + explained[1])))
                .axes(String.format("PC 1 (%.0f%% of variance)", 100 * explained[0]),
                        String.format("PC 2 (%.0f%% of variance)", 100 * explained[1]));
    }

    public byte[] png() {
        return chart().png();
    }

    public Path savePng(Path file) {
        return chart().savePng(file);
    }

    /**
     * For each group with at least two members: how many of its tokens have their nearest neighbour
     * (in the full table) in the same group, against the share a neighbour picked at random would give.
     */
    public Table groupCheck() {
        if (groups == null) throw new IllegalStateException("give groups first: map.groups(Map.of(\"cat\", \"animal\", ...))");
        Map<String, int[]> counts = new LinkedHashMap<>(); // group -> {nearest in group, members}
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String g : groups) sizes.merge(g, 1L, Long::sum);
        for (int i = 0; i < tokens.size(); i++) {
            String g = groups.get(i);
            if (sizes.get(g) < 2) continue;
            String nearest = neighbours(tokens.get(i), 1).get(0).token();
            int[] c = counts.computeIfAbsent(g, x -> new int[2]);
            c[0] += g.equals(groups.get(tokens.indexOf(nearest))) ? 1 : 0;
            c[1]++;
        }
        StringColumn group = StringColumn.create("group");
        StringColumn members = StringColumn.create("tokens");
        StringColumn same = StringColumn.create("nearest neighbour in the group");
        StringColumn chance = StringColumn.create("by chance");
        List<String> order = new ArrayList<>(counts.keySet());
        order.sort((a, b) -> counts.get(b)[1] - counts.get(a)[1]); // largest groups first
        for (String g : order) {
            int[] c = counts.get(g);
            group.append(g);
            members.append(String.valueOf(c[1]));
            same.append(String.format(java.util.Locale.ROOT, "%d (%.0f%%)", c[0], 100.0 * c[0] / c[1]));
            chance.append(String.format(java.util.Locale.ROOT, "%.0f%%", 100.0 * (sizes.get(g) - 1) / (tokens.size() - 1)));
        }
        return Table.create("nearest neighbours within groups (" + layer + ")", group, members, same, chance);
    }

    @Override
    public String toString() {
        return String.format("EmbeddingMap(%s: %d tokens, PC 1-2 explain %.0f%% + %.0f%%)", layer, tokens.size(),
                100 * explained[0], 100 * explained[1]);
    }
}
