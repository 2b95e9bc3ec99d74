package org.seqlab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.Model;
import org.seqlab.Seq;
import org.seqlab.data.SequenceDataset;
import org.seqlab.data.TextWindows;
import org.seqlab.data.Vocab;
import org.seqlab.ModelBuilder;
import org.seqlab.train.FitOptions;
import org.seqlab.train.StepRecord;
import org.seqlab.train.TrainingHistory;
import org.seqlab.train.TrainingListener;

/**
 * Throughput of the standard workloads against PyTorch on the same machine, in the same run.
 * Each workload trains a character model (Adam, clip 5) on random text for a few warm-up steps
 * and then {@code --steps} timed steps; we report the median tokens/s of the timed steps, best of
 * 1 and 2 threads, for seqlab and for {@code dsl/src/bench/python/torch_bench.py} (Debian's
 * python3-torch), and their ratio. {@code --rss-steps N} also trains LSTM 128 for N steps and
 * prints the resident memory along the way (flat is good).
 *
 * <pre>./seqlab bench [--steps 20] [--warmup 10] [--only lstm128,lstm512] [--threads 1,2] [--rss-steps 2000] [--no-torch]</pre>
 */
public final class Benchmark {

    record Workload(String name, String cell, int embed, int hidden, int batch, int time) {
    }

    static final List<Workload> WORKLOADS = List.of(
            new Workload("lstm128", "lstm", 64, 128, 32, 100),
            new Workload("lstm512", "lstm", 64, 512, 32, 100),
            new Workload("gru512", "gru", 64, 512, 32, 100),
            new Workload("rnn512", "rnn", 64, 512, 32, 100),
            new Workload("music", "lstm", 256, 1024, 8, 100));
    static final int CLASSES = 65;
    /**
     * Untimed steps before the timed ones, on both sides (--warmup). Ten, not three: on a 2-core
     * machine C2 compiles the step for the first ~8 steps and its threads take the other core, so a
     * 3-step warm-up timed the JIT rather than training.
     */
    static int WARMUP = 10;
    /** Tokens generated before the timed 2000, here and in the PyTorch reference. */
    static final int GENERATE_WARMUP = 500;

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        int steps = 20;
        int rssSteps = 0;
        boolean torch = true;
        List<String> only = null;
        int[] threads = {1, 2};
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--rss-steps" -> rssSteps = Integer.parseInt(args[++i]);
                case "--warmup" -> WARMUP = Integer.parseInt(args[++i]);
                case "--no-torch" -> torch = false;
                case "--only" -> only = Arrays.asList(args[++i].split(","));
                case "--threads" -> threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf("seqlab benchmark: OPENBLAS_CORETYPE=%s, %d cores, %d timed steps after %d warm-up%n",
                System.getenv().getOrDefault("OPENBLAS_CORETYPE", "(unset)"), Runtime.getRuntime().availableProcessors(),
                steps, WARMUP);
        List<String[]> table = new ArrayList<>();
        for (Workload w : WORKLOADS) {
            if (only != null && !only.contains(w.name())) continue;
            double best = 0;
            int bestThreads = 0;
            for (int t : threads) {
                setThreads(t);
                double tps = seqlab(w, steps);
                if (tps > best) {
                    best = tps;
                    bestThreads = t;
                }
            }
            double ref = torch ? torchBest(w.name(), steps, threads) : Double.NaN;
            table.add(row(w.name(), best, bestThreads, ref));
            System.out.println("  " + String.join("  ", table.get(table.size() - 1)));
        }
        if (only == null || only.contains("generate")) {
            setThreads(1);
            double gen = generation();
            double ref = torch ? torchBest("generate", steps, new int[] {1}) : Double.NaN;
            table.add(row("generate (LSTM 512)", gen, 1, ref));
            System.out.println("  " + String.join("  ", table.get(table.size() - 1)));
        }
        System.out.println();
        System.out.println("| workload | seqlab tokens/s | threads | PyTorch tokens/s | ratio |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (String[] r : table) System.out.println("| " + String.join(" | ", r) + " |");
        if (rssSteps > 0) rss(rssSteps);
    }

    private static String[] row(String name, double seqlab, int threads, double torch) {
        return new String[] {name, String.format(Locale.ROOT, "%,.0f", seqlab), String.valueOf(threads),
                Double.isNaN(torch) ? "-" : String.format(Locale.ROOT, "%,.0f", torch),
                Double.isNaN(torch) ? "-" : String.format(Locale.ROOT, "%.2fx", seqlab / torch)};
    }

    static void setThreads(int n) {
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
    }

    /** Random text over 63 symbols, so the vocabulary (with pad and unk) has exactly 65 entries. */
    static SequenceDataset randomText(Workload w, int batches) {
        Random r = new Random(1);
        StringBuilder s = new StringBuilder();
        String symbols = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?-'\"()[]{}<>/\\|@#$%";
        symbols = symbols.substring(0, CLASSES - 2);
        int n = w.batch() * (w.time() + 1) * batches + 1;
        for (int i = 0; i < n; i++) s.append(symbols.charAt(r.nextInt(symbols.length())));
        String text = s.toString();
        Vocab vocab = Vocab.chars(text);
        return TextWindows.streams(text, vocab, w.batch(), w.time());
    }

    static Model model(Workload w, int vocab) {
        ModelBuilder b = Seq.model().vocab(vocab).embed(w.embed());
        b = switch (w.cell()) {
            case "lstm" -> b.lstm(w.hidden());
            case "gru" -> b.gru(w.hidden());
            default -> b.rnn(w.hidden());
        };
        return b.softmax().seed(1).build();
    }

    static double seqlab(Workload w, int steps) {
        SequenceDataset data = randomText(w, 8);
        Model m = model(w, data.vocabSize());
        TrainingHistory h = m.fit(data, FitOptions.steps(WARMUP + steps).batchSize(w.batch()).adam(1e-3).clipNorm(5));
        double[] tps = h.steps().stream().skip(WARMUP).mapToDouble(StepRecord::tokensPerSecond).sorted().toArray();
        return tps[tps.length / 2];
    }

    static double generation() {
        Workload w = WORKLOADS.get(1);
        Model m = model(w, CLASSES);
        m.generate(new int[] {1}, GENERATE_WARMUP, 0.8, 1); // warm-up: lets C2 compile the one-step path
        long t0 = System.nanoTime();
        m.generate(new int[] {1}, 2000, 0.8, 1);
        return 2000 / ((System.nanoTime() - t0) / 1e9);
    }

    static double torchBest(String workload, int steps, int[] threads) throws IOException, InterruptedException {
        double best = Double.NaN;
        Path script = Path.of("dsl/src/bench/python/torch_bench.py");
        if (!Files.exists(script)) {
            System.out.println("  (no " + script + ": run from the repository root)");
            return best;
        }
        for (int t : threads) {
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString(), "--workload", workload,
                    "--threads", String.valueOf(t), "--steps", String.valueOf(steps), "--warmup", String.valueOf(WARMUP),
                    "--generate-warmup", String.valueOf(GENERATE_WARMUP));
            // torch.set_num_threads does not reach Debian's OpenBLAS (a pthreads build that torch does not
            // know as its BLAS): without this its gemms ran on every core in a "1 thread" reference.
            pb.environment().put("OPENBLAS_NUM_THREADS", String.valueOf(t));
            pb.environment().put("OMP_NUM_THREADS", String.valueOf(t));
            pb.redirectErrorStream(true);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                System.out.println("  (PyTorch reference not run: " + e.getMessage() + "; apt-get install python3-torch)");
                return best;
            }
            String json = null;
            StringBuilder all = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    all.append(line).append('\n');
                    if (line.startsWith("{")) json = line;
                }
            }
            if (p.waitFor() != 0 || json == null) {
                System.out.println("  (PyTorch reference failed: " + all.toString().strip().lines().reduce((a, b) -> b).orElse("") + ")");
                continue;
            }
            double tps = Double.parseDouble(json.replaceAll(".*\"tokens_per_s\": ([0-9.eE+-]+).*", "$1"));
            if (Double.isNaN(best) || tps > best) best = tps;
        }
        return best;
    }

    /** Trains LSTM 128 for {@code steps} steps and prints resident memory every tenth of the way. */
    static void rss(int steps) {
        Workload w = WORKLOADS.get(0);
        setThreads(1);
        SequenceDataset data = randomText(w, 8);
        Model m = model(w, data.vocabSize());
        Map<Integer, Long> samples = new LinkedHashMap<>();
        samples.put(0, rssKb());
        int every = Math.max(1, steps / 10);
        m.fit(data, FitOptions.steps(steps).batchSize(w.batch()).adam(1e-3).clipNorm(5).listener(new TrainingListener() {
            @Override
            public void onStep(StepRecord s) {
                if (s.step() % every == 0) samples.put(s.step(), rssKb());
            }
        }));
        System.out.println();
        System.out.println("RSS while training LSTM 128 (MB): ");
        samples.forEach((k, v) -> System.out.printf(Locale.ROOT, "  step %5d: %,d%n", k, v / 1024));
    }

    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
