package org.seqlab.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.seqlab.data.Vocab;

/**
 * A validated, immutable description of a model: what it reads, its layers in order, its head and
 * its seed. Validation runs here, before any native array exists, and names the layer at fault.
 * {@link #plan()} gives each layer's name and output width, which the compiler and the summary use.
 */
public final class ModelSpec {
    private final InputSpec input;
    private final List<LayerSpec> layers;
    private final Head head;
    private final long seed;
    private final Vocab vocab;
    private final List<PlannedLayer> plan;

    /** A layer with its unique name, the width it reads and the width it writes, and whether time was pooled away. */
    public record PlannedLayer(String name, LayerSpec spec, int inputWidth, int outputWidth, boolean pooled) {
    }

    public ModelSpec(InputSpec input, List<LayerSpec> layers, Head head, long seed, Vocab vocab) {
        this.input = input;
        this.layers = List.copyOf(layers);
        this.head = resolveHead(input, head);
        this.seed = seed;
        this.vocab = vocab;
        this.plan = validateAndPlan();
    }

    public InputSpec input() { return input; }

    public List<LayerSpec> layers() { return layers; }

    public Head head() { return head; }

    public long seed() { return seed; }

    /** The vocabulary the model was declared with, or null if only a size was given. */
    public Vocab vocab() { return vocab; }

    public List<PlannedLayer> plan() { return plan; }

    /** True when the model outputs one prediction per step (no last/meanPool layer). */
    public boolean perStep() {
        return plan.isEmpty() || !plan.get(plan.size() - 1).pooled();
    }

    /** Width of the last layer before the head. */
    public int featureWidth() {
        return plan.isEmpty() ? input.features() : plan.get(plan.size() - 1).outputWidth();
    }

    /** Whether an attention layer is causal, after resolving "auto" from the head. */
    public boolean causal(LayerSpec.Attention a) {
        return a.causal() != null ? a.causal() : perStep();
    }

    private static Head resolveHead(InputSpec input, Head head) {
        if (head == null) {
            throw new ModelSpecException("the model has no head: end it with .softmax() (per-step classes), "
                    + ".last().softmax(k) (one class per sequence), .sigmoid(n) or .linear(n)");
        }
        if (head.kind() == Head.Kind.SOFTMAX && head.units() == 0) {
            if (!input.isTokens()) {
                throw new ModelSpecException("softmax() without a class count predicts the next token, but the model "
                        + "reads real-valued features; use softmax(k) with k classes");
            }
            return new Head(Head.Kind.SOFTMAX, input.vocabSize());
        }
        return head;
    }

    private List<PlannedLayer> validateAndPlan() {
        if (input == null) {
            throw new ModelSpecException("the model has no input: start with .vocab(n) / .vocab(vocab) for token ids "
                    + "or .features(n) for real-valued steps");
        }
        List<PlannedLayer> out = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        int width = input.isTokens() ? 1 : input.features();
        boolean embedded = !input.isTokens();
        boolean pooled = false;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec spec = layers.get(i);
            String name = nameOf(spec, counts);
            String where = "layer " + (i + 1) + " (" + name + ")";
            if (!embedded && !(spec instanceof LayerSpec.Embed || spec instanceof LayerSpec.OneHot)) {
                throw new ModelSpecException(where + ": the model reads token ids, so its first layer must turn them "
                        + "into vectors: add .embed(dim) or .oneHot() before " + spec.describe());
            }
            int next;
            if (spec instanceof LayerSpec.Embed e) {
                requireTokensFirst(where, embedded);
                positive(where, "embedding size", e.dim());
                embedded = true;
                next = e.dim();
            } else if (spec instanceof LayerSpec.OneHot) {
                requireTokensFirst(where, embedded);
                embedded = true;
                next = input.vocabSize();
            } else if (isRecurrent(spec)) {
                next = recurrent(where, pooled, unitsOf(spec));
            } else if (spec instanceof LayerSpec.Bidirectional b) {
                if (!isRecurrent(b.inner())) {
                    throw new ModelSpecException(where + ": bidirectional(...) wraps a recurrent layer "
                            + "(Seq.lstm(n), Seq.gru(n), Seq.rnn(n)), not " + b.inner().describe());
                }
                next = 2 * recurrent(where, pooled, unitsOf(b.inner()));
            } else if (spec instanceof LayerSpec.Attention a) {
                positive(where, "number of heads", a.heads());
                if (pooled) {
                    throw new ModelSpecException(where + ": attention needs a sequence, but an earlier "
                            + "last()/meanPool() reduced it to one vector; move attention before the pooling");
                }
                if (width % a.heads() != 0) {
                    throw new ModelSpecException(where + ": " + a.heads() + " heads do not divide the width "
                            + width + "; use a head count that divides " + width + " (e.g. " + divisorNear(width, a.heads())
                            + ") or change the previous layer's size");
                }
                next = width;
            } else if (spec instanceof LayerSpec.Dropout d) {
                if (!(d.rate() >= 0 && d.rate() < 1)) {
                    throw new ModelSpecException(where + ": dropout rate must be in [0, 1), got " + d.rate());
                }
                next = width;
            } else if (spec instanceof LayerSpec.Dense d) {
                positive(where, "dense size", d.units());
                next = d.units();
            } else if (spec instanceof LayerSpec.Last || spec instanceof LayerSpec.MeanPool) {
                if (pooled) throw new ModelSpecException(where + ": the sequence is already reduced to one vector");
                pooled = true;
                next = width;
            } else {
                next = width; // layer norm keeps the width
            }
            out.add(new PlannedLayer(name, spec, width, next, pooled));
            width = next;
        }
        if (!embedded) {
            throw new ModelSpecException("the model reads token ids but has no layers: add .embed(dim) or .oneHot()");
        }
        positive("the head (" + head.kind().name().toLowerCase() + ")", "output size", head.units());
        return List.copyOf(out);
    }

    private void requireTokensFirst(String where, boolean embedded) {
        if (!input.isTokens()) {
            throw new ModelSpecException(where + ": embed()/oneHot() read token ids, but the model reads "
                    + input.features() + " real features per step; remove it or declare .vocab(n)");
        }
        if (embedded) {
            throw new ModelSpecException(where + ": the tokens are already embedded; use embed()/oneHot() once, first");
        }
    }

    private static int recurrent(String where, boolean pooled, int units) {
        positive(where, "number of units", units);
        if (pooled) {
            throw new ModelSpecException(where + ": a recurrent layer needs a sequence, but an earlier last()/meanPool() "
                    + "reduced it to one vector; move the pooling after the recurrent layers");
        }
        return units;
    }

    static boolean isRecurrent(LayerSpec spec) {
        return spec instanceof LayerSpec.Rnn || spec instanceof LayerSpec.Lstm || spec instanceof LayerSpec.Gru;
    }

    static int unitsOf(LayerSpec recurrent) {
        if (recurrent instanceof LayerSpec.Rnn r) return r.units();
        if (recurrent instanceof LayerSpec.Lstm l) return l.units();
        if (recurrent instanceof LayerSpec.Gru g) return g.units();
        throw new IllegalArgumentException("not recurrent: " + recurrent.describe());
    }

    private static void positive(String where, String what, int value) {
        if (value <= 0) throw new ModelSpecException(where + ": " + what + " must be positive, got " + value);
    }

    private static int divisorNear(int width, int heads) {
        for (int d = heads; d >= 1; d--) if (width % d == 0) return d;
        return 1;
    }

    private static String nameOf(LayerSpec spec, Map<String, Integer> counts) {
        String base = spec.baseName().equals("embed") ? "embedding" : spec.baseName();
        return base + "_" + counts.merge(base, 1, Integer::sum);
    }

    /** The spec as save-file lines: input, one line per layer, head, seed. */
    public List<String> toLines() {
        List<String> lines = new ArrayList<>();
        lines.add("input " + input.describe());
        for (LayerSpec l : layers) lines.add("layer " + l.describe());
        lines.add("head " + head.describe());
        lines.add("seed " + seed);
        return lines;
    }

    /** Parses what {@link #toLines()} wrote. */
    public static ModelSpec fromLines(List<String> lines, Vocab vocab) {
        InputSpec input = null;
        List<LayerSpec> layers = new ArrayList<>();
        Head head = null;
        long seed = 0;
        for (String line : lines) {
            if (line.isBlank()) continue;
            String[] w = line.trim().split(" ");
            switch (w[0]) {
                case "input" -> input = w[1].equals("tokens") ? InputSpec.tokens(Integer.parseInt(w[2]))
                        : InputSpec.features(Integer.parseInt(w[2]));
                case "layer" -> layers.add(parseLayer(w, 1));
                case "head" -> head = new Head(Head.Kind.valueOf(w[1].toUpperCase()), Integer.parseInt(w[2]));
                case "seed" -> seed = Long.parseLong(w[1]);
                default -> throw new IllegalArgumentException("unknown spec line: " + line);
            }
        }
        return new ModelSpec(input, layers, head, seed, vocab);
    }

    private static LayerSpec parseLayer(String[] w, int at) {
        return switch (w[at]) {
            case "embed" -> new LayerSpec.Embed(Integer.parseInt(w[at + 1]));
            case "onehot" -> new LayerSpec.OneHot();
            case "rnn" -> new LayerSpec.Rnn(Integer.parseInt(w[at + 1]),
                    org.seqlab.layers.Activation.valueOf(w[at + 2].toUpperCase()), w.length > at + 3 && w[at + 3].equals("identity"));
            case "lstm" -> new LayerSpec.Lstm(Integer.parseInt(w[at + 1]));
            case "gru" -> new LayerSpec.Gru(Integer.parseInt(w[at + 1]));
            case "bidirectional" -> new LayerSpec.Bidirectional(parseLayer(w, at + 1));
            case "attention" -> new LayerSpec.Attention(Integer.parseInt(w[at + 1]),
                    w[at + 2].equals("auto") ? null : w[at + 2].equals("causal"), w.length > at + 3 && w[at + 3].equals("residual"));
            case "dropout" -> new LayerSpec.Dropout(Double.parseDouble(w[at + 1]));
            case "dense" -> new LayerSpec.Dense(Integer.parseInt(w[at + 1]),
                    org.seqlab.layers.Activation.valueOf(w[at + 2].toUpperCase()));
            case "layernorm" -> new LayerSpec.LayerNorm();
            case "last" -> new LayerSpec.Last();
            case "meanpool" -> new LayerSpec.MeanPool();
            default -> throw new IllegalArgumentException("unknown layer kind '" + w[at] + "'");
        };
    }
}
