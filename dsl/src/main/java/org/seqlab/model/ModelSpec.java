package org.seqlab.model;

import java.util.ArrayList;
import java.util.List;
import org.seqlab.data.Vocab;

/**
 * A validated, immutable description of a model: what it reads, its layers in order, its head and
 * its seed. Validation runs here, before any native array exists, and names the layer at fault:
 * each layer's own spec checks what it reads ({@link LayerSpec#plan}). {@link #plan()} gives each
 * layer's name and what it reads and writes, which the compiler and the summary use.
 */
public final class ModelSpec {
    private final InputSpec input;
    private final List<LayerSpec> layers;
    private final Head head;
    private final long seed;
    private final Vocab vocab;
    private final List<PlannedLayer> plan;

    public ModelSpec(InputSpec input, List<LayerSpec> layers, Head head, long seed, Vocab vocab) {
        if (input == null) {
            throw new ModelSpecException("the model has no input: start with .vocab(n) / .vocab(vocab) for token ids "
                    + "or .features(n) for real-valued steps");
        }
        this.input = input;
        this.layers = List.copyOf(layers);
        this.head = resolveHead(input, head);
        this.seed = seed;
        this.vocab = vocab;
        this.plan = new LayerStack().plan(input, this.layers);
        if (this.head.units() <= 0) {
            throw new ModelSpecException("the head (" + this.head.kind().name().toLowerCase() + "): output size must be "
                    + "positive, got " + this.head.units());
        }
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

    /** Whether attention with this choice is causal here ("auto", null, follows the head). */
    public boolean causal(Boolean choice) {
        return choice != null ? choice : perStep();
    }

    /** What the layer at {@code index} of {@link #plan()} needs to make its layer. */
    public CompileContext compileContext(int index) {
        PlannedLayer p = plan.get(index);
        return new CompileContext(p.name(), p.input(), p.output(), perStep());
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
            String[] w = line.trim().split(" ", 2);
            String rest = w.length > 1 ? w[1].trim() : "";
            switch (w[0]) {
                case "input" -> input = InputSpec.parse(rest);
                case "layer" -> layers.add(LayerKinds.parse(rest));
                case "head" -> head = Head.parse(rest);
                case "seed" -> seed = Long.parseLong(rest);
                default -> throw new IllegalArgumentException("unknown spec line: " + line);
            }
        }
        return new ModelSpec(input, layers, head, seed, vocab);
    }
}
