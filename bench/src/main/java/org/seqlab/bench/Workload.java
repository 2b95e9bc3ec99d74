package org.seqlab.bench;

import java.util.Arrays;
import java.util.List;

/**
 * One benchmark workload: a character model (65 classes, Adam, clip 5) given as a list of layers,
 * its batch and length, and whether it trains or generates. The same list is built by every side
 * (seqlab's DSL, DJL blocks, torch.nn modules), so a new workload is one entry in {@link #ALL};
 * a new layer kind also needs its three builders ({@link SeqlabSide}, {@link DjlSide},
 * {@code torch_bench.py}) and its flop count here.
 *
 * <p>Layer words: {@code embed D}, {@code lstm H}, {@code gru H}, {@code rnn H} (tanh),
 * {@code attention HEADS} (causal multi-head self-attention with a residual connection),
 * {@code positional} (fixed sinusoidal positions added, no parameters) and
 * {@code transformer BLOCKS HEADS FFN} (pre-norm causal blocks {@code x + MHA(LN(x))},
 * {@code x + W2 GELU(W1 LN(x))}, then a final layer norm; eps 1e-5, exact GELU, no dropout).
 */
public record Workload(String name, String label, List<String> layers, int batch, int time, boolean generate) {
    public static final int CLASSES = 65;
    /**
     * Least warm-up time of every side, on top of its warm-up steps: a JVM runs interpreted and
     * half-compiled code for its first seconds (seqlab's LSTM 128 measured ~65k tok/s after 6 warm-up
     * steps and ~100k after 60), and a user training for minutes meets the compiled code.
     */
    public static final int WARMUP_SECONDS = 6;
    /**
     * Least time of the timed steps on every side, on top of {@code --steps}: the first seconds after
     * warm-up still see the JIT compile (on the second core, which seqlab's step team also uses) and
     * this machine's speed drifts, so a short window was a lottery (LSTM 128 at 2 threads: 78k to 106k
     * tok/s between runs of 30 steps).
     */
    public static final int TIMED_SECONDS = 4;
    /** Tokens generated untimed before the timed {@link #GENERATED}, on every side (repeated for {@link #WARMUP_SECONDS}). */
    public static final int GENERATE_WARMUP = 500;
    public static final int GENERATED = 2000;

    public static final List<Workload> ALL = List.of(
            train("lstm128", "embed 64 -> LSTM 128", 32, "embed 64", "lstm 128"),
            train("lstm512", "embed 64 -> LSTM 512", 32, "embed 64", "lstm 512"),
            train("gru512", "embed 64 -> GRU 512", 32, "embed 64", "gru 512"),
            train("rnn512", "embed 64 -> tanh RNN 512", 32, "embed 64", "rnn 512"),
            train("music", "music: embed 256 -> LSTM 1024, B=8", 8, "embed 256", "lstm 1024"),
            train("card", "card: embed 256 -> LSTM 512 -> attention(8)", 32, "embed 256", "lstm 512", "attention 8"),
            // Issue 7's tiny GPT: d=256, 8 heads, 2 blocks, ffn 1024, and T=128 as that issue states it.
            train("gpt", "tiny GPT: embed 256 -> positional -> transformer(2, 8), T=128", 32, 128,
                    "embed 256", "positional", "transformer 2 8 1024"),
            new Workload("generate", "generating 2,000 tokens (LSTM 512)", List.of("embed 64", "lstm 512"), 1, 1, true));

    private static Workload train(String name, String label, int batch, String... layers) {
        return train(name, label, batch, 100, layers);
    }

    private static Workload train(String name, String label, int batch, int time, String... layers) {
        return new Workload(name, label, List.of(layers), batch, time, false);
    }

    public static Workload named(String name) {
        return ALL.stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no workload " + name + "; known: "
                        + ALL.stream().map(Workload::name).toList()));
    }

    /** Tokens per optimizer step (or per generated token: 1). */
    public int tokensPerStep() {
        return batch * time;
    }

    /** Words of layer i: {@code ["lstm", "512"]}. */
    public String[] layer(int i) {
        return layers.get(i).split(" ");
    }

    /**
     * Trainable scalars of this model as seqlab builds it, or (with {@code torchBiases}) as torch and
     * DJL build it: their LSTM and tanh RNN keep two bias vectors (b_ih, b_hh) where seqlab keeps their
     * sum (the same function); GRU keeps two on every side. Each side prints what it built and the
     * orchestrator compares it with this, so a row whose sides built different models says so.
     */
    public long parameterCount(boolean torchBiases) {
        long count = 0;
        long width = 1;
        for (int i = 0; i < layers.size(); i++) {
            String[] l = layer(i);
            long n = l.length > 1 ? Integer.parseInt(l[1]) : 0;
            switch (l[0]) {
                case "embed" -> { count += CLASSES * n; width = n; }
                case "lstm" -> { count += (width + n) * 4 * n + (torchBiases ? 8 : 4) * n; width = n; }
                case "gru" -> { count += (width + n) * 3 * n + 6 * n; width = n; }
                case "rnn" -> { count += (width + n) * n + (torchBiases ? 2 : 1) * n; width = n; }
                case "attention" -> count += 4 * width * width + 4 * width;
                case "positional" -> { }
                case "transformer" -> {
                    long ffn = Integer.parseInt(l[3]);
                    long attention = 4 * width * width + 4 * width;
                    long feedForward = 2 * width * ffn + ffn + width;
                    count += n * (attention + feedForward + 2 * 2 * width) + 2 * width; // 2 norms per block, final norm
                }
                default -> throw new IllegalArgumentException("no parameter count for layer " + Arrays.toString(l));
            }
        }
        return count + width * CLASSES + CLASSES;
    }

    /**
     * Multiply-add work per token, counted as 2 flops per multiply-add of every matrix product
     * (the element-wise work is not counted): forward only when generating, forward plus backward
     * (x3: the input gradient and the weight gradient are one product each) when training.
     */
    public double flopsPerToken() {
        double forward = 0;
        int width = 1;
        for (int i = 0; i < layers.size(); i++) {
            String[] l = layer(i);
            int n = l.length > 1 ? Integer.parseInt(l[1]) : 0;
            switch (l[0]) {
                case "embed" -> width = n;
                case "lstm" -> { forward += 2.0 * (width + n) * 4 * n; width = n; }
                case "gru" -> { forward += 2.0 * (width + n) * 3 * n; width = n; }
                case "rnn" -> { forward += 2.0 * (width + n) * n; width = n; }
                // q k v and output projections, scores and weighted values over all T keys
                case "attention" -> forward += 2.0 * width * 4 * width + 2.0 * 2 * time * width;
                case "positional" -> { }
                // per block: the attention as above (scores over all T keys, the causal half not
                // discounted: every side multiplies the full T x T and masks) and the two FFN products
                case "transformer" -> forward += Integer.parseInt(l[1])
                        * (2.0 * width * 4 * width + 2.0 * 2 * time * width + 2.0 * 2 * width * Integer.parseInt(l[3]));
                default -> throw new IllegalArgumentException("no flop count for layer " + Arrays.toString(l));
            }
        }
        forward += 2.0 * width * CLASSES;
        return generate ? forward : 3 * forward;
    }
}
