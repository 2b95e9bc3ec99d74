package org.seqlab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./seqlab bench}: every workload of {@link Workload#ALL} on three sides in one run, each
 * side and thread count in a process of its own (so each has its own JIT warm-up and its own peak
 * resident memory):
 * <ul>
 *   <li>seqlab ({@link SeqlabSide}), with the BLAS the product ships;</li>
 *   <li>libtorch 2.7.1 through DJL 0.36 ({@link DjlSide}): what a Java user would pick instead;</li>
 *   <li>Debian's python3-torch ({@code bench/src/main/python/torch_bench.py}), its BLAS named, and no
 *       ratio printed against it when that BLAS is the reference implementation.</li>
 * </ul>
 * Training: Adam, global-norm clip 5, median tokens/s of the timed steps (at least {@code --steps}
 * and {@link Workload#TIMED_SECONDS} seconds) after the warm-up (at least {@code --warmup} steps and
 * {@link Workload#WARMUP_SECONDS} seconds on every side, so that a JVM's JIT has compiled the hot
 * paths, as it has for a user training for minutes), best of
 * the thread counts (1 and 2). seqlab's achieved GFLOP/s (matrix-product work, {@link
 * Workload#flopsPerToken}) is printed with its fraction of the machine's float gemm peak, measured
 * first with the same BLAS at the same thread count.
 *
 * <pre>./seqlab bench [--steps 20] [--warmup 10] [--only lstm128,card] [--threads 1,2]
 *                [--sides seqlab,libtorch,torch] [--rss-steps 2000]</pre>
 * {@code --rss-steps N} trains every chosen workload N steps on seqlab's side only and prints its
 * resident memory every N/10 steps (flat is good).
 */
public final class Benchmark {
    private final int steps;
    private final int warmup;
    private final int[] threads;
    private final Path root;

    private Benchmark(int steps, int warmup, int[] threads, Path root) {
        this.steps = steps;
        this.warmup = warmup;
        this.threads = threads;
        this.root = root;
    }

    public static void main(String[] argv) throws Exception {
        int steps = 20, warmup = 10, rssSteps = 0;
        int[] threads = {1, 2};
        List<String> only = null;
        List<String> sides = List.of("seqlab", "libtorch", "torch");
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--steps" -> steps = Integer.parseInt(argv[++i]);
                case "--warmup" -> warmup = Integer.parseInt(argv[++i]);
                case "--rss-steps" -> rssSteps = Integer.parseInt(argv[++i]);
                case "--only" -> only = Arrays.asList(argv[++i].split(","));
                case "--sides" -> sides = Arrays.asList(argv[++i].split(","));
                case "--no-torch" -> sides = List.of("seqlab", "libtorch");
                case "--threads" -> threads = Arrays.stream(argv[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("unknown option " + argv[i]
                        + "; options: --steps N --warmup N --only a,b --threads 1,2 --sides seqlab,libtorch,torch --rss-steps N");
            }
        }
        List<Workload> workloads = new ArrayList<>();
        for (Workload w : Workload.ALL) if (only == null || only.contains(w.name())) workloads.add(w);
        if (only != null) for (String name : only) Workload.named(name); // unknown names fail here, with the list
        Benchmark b = new Benchmark(steps, warmup, threads, Path.of(System.getProperty("seqlab.root", ".")));
        System.out.printf(Locale.ROOT, "seqlab benchmark on %s, %d cores; OPENBLAS_CORETYPE=%s; load average %s%n",
                cpuModel(), Runtime.getRuntime().availableProcessors(),
                System.getenv().getOrDefault("OPENBLAS_CORETYPE", "(unset)"), loadAverage());
        if (rssSteps > 0) {
            b.memory(workloads, rssSteps);
            return;
        }
        System.out.printf("training: Adam, clip 5, median of at least %d timed steps and " + Workload.TIMED_SECONDS
                + " s after at least %d warm-up steps and " + Workload.WARMUP_SECONDS + " s; best of %s threads%n%n",
                steps, warmup, Arrays.toString(threads));
        b.run(workloads, sides);
    }

    private void run(List<Workload> workloads, List<String> sides) throws IOException, InterruptedException {
        Map<Integer, Double> peak = new LinkedHashMap<>();
        for (int t : threads) peak.put(t, child("seqlab", "gemm", t, 0).number("gflops"));
        System.out.println("float gemm peak (1536^3, seqlab's BLAS): " + String.join(", ", peak.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%.1f GFLOP/s on %d thread%s", e.getValue(), e.getKey(), e.getKey() == 1 ? "" : "s"))
                .toList()));
        List<Row> rows = new ArrayList<>();
        for (Workload w : workloads) {
            String load = loadAverage();
            Map<String, Result> best = new LinkedHashMap<>();
            for (String side : sides) {
                for (int t : w.generate() ? new int[] {1} : threads) {
                    Result r = child(side, w.name(), t, 0);
                    if (r == null) continue;
                    Result old = best.get(side);
                    if (old == null || r.number("tokens_per_s") > old.number("tokens_per_s")) best.put(side, r);
                }
            }
            Row row = new Row(w, best, peak, load);
            rows.add(row);
            System.out.println("  " + row.line());
        }
        System.out.println();
        Result torch = rows.stream().map(r -> r.best.get("torch")).filter(r -> r != null).findFirst().orElse(null);
        Result djl = rows.stream().map(r -> r.best.get("libtorch")).filter(r -> r != null).findFirst().orElse(null);
        System.out.println("Reference: libtorch " + (djl == null ? "-" : djl.word("version")) + " (DJL 0.36 PyTorch engine, "
                + "pytorch-native-cpu); Debian torch " + (torch == null ? "-" : torch.word("version") + " on " + torch.word("blas")));
        System.out.println();
        System.out.println("| workload | seqlab tok/s | seqlab GFLOP/s (of gemm peak) | peak RSS MB seqlab / libtorch / torch "
                + "| libtorch 2.7 tok/s | seqlab / libtorch | Debian torch tok/s | seqlab / Debian torch | parameters (all sides) | load |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (Row r : rows) System.out.println(r.markdown());
    }

    /** Resident memory of seqlab's side over many steps, per workload. */
    private void memory(List<Workload> workloads, int rssSteps) throws IOException, InterruptedException {
        System.out.printf("resident memory (MB) every %d of %d training steps, seqlab, 1 thread, Java heap pre-touched%n",
                rssSteps / 10, rssSteps);
        for (Workload w : workloads) {
            if (w.generate()) continue;
            Result r = child("seqlab", w.name(), 1, rssSteps);
            if (r == null) continue;
            double[] mb = r.series("rss_mb");
            // Flat: after the first tenth (warm-up, buffers sized), the last sample is within 5% of the second.
            double growth = mb.length < 2 ? Double.NaN : (mb[mb.length - 1] - mb[0]) / mb[0];
            System.out.printf(Locale.ROOT, "  %-10s %s  peak %.0f (Java heap %.0f of it)  growth after step %d: %+.1f%% %s%n", w.name(),
                    String.join(" ", Arrays.stream(mb).mapToObj(v -> String.format(Locale.ROOT, "%.0f", v)).toList()),
                    r.number("peak_rss_mb"), r.number("heap_mb"), rssSteps / 10, 100 * growth,
                    Math.abs(growth) <= 0.05 ? "(flat)" : "(NOT FLAT)");
        }
    }

    /** One side, one workload, one thread count, in its own process; null (and a note) when it failed. */
    private Result child(String side, String workload, int t, int rssSteps) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        switch (side) {
            case "seqlab" -> {
                cmd.add(java);
                cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments()); // the launcher's JVM options
                // Memory runs touch the committed Java heap at start: otherwise G1 touching its committed
                // regions one by one over the first ~1,000 steps reads as growth (rnn512: +20 MB by step
                // 1,000 with the heap's committed size unchanged), and what grows after is native memory
                // or the heap growing its committed size, both of which this run is there to show.
                if (rssSteps > 0) cmd.add("-XX:+AlwaysPreTouch");
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SeqlabSide.class.getName()));
            }
            case "libtorch" -> {
                cmd.addAll(List.of(java, "-Xmx2g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + t,
                        "-Dai.djl.pytorch.num_interop_threads=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-DENGINE_CACHE_DIR=" + root.resolve("bench/target/djl").toAbsolutePath(),
                        "-cp", System.getProperty("java.class.path"), DjlSide.class.getName()));
            }
            case "torch" -> cmd.addAll(List.of("/usr/bin/python3", root.resolve("bench/src/main/python/torch_bench.py").toString()));
            default -> throw new IllegalArgumentException("unknown side " + side + " (seqlab, libtorch, torch)");
        }
        cmd.addAll(List.of("--workload", workload, "--threads", String.valueOf(t), "--steps", String.valueOf(steps),
                "--warmup", String.valueOf(warmup)));
        if (rssSteps > 0) cmd.addAll(List.of("--rss-steps", String.valueOf(rssSteps)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", String.valueOf(t));
        pb.environment().put("OPENBLAS_NUM_THREADS", String.valueOf(t));
        // The core type is seqlab's set-up for ND4J's OpenBLAS; Debian's OpenBLAS detects this CPU itself.
        if (side.equals("torch")) pb.environment().remove("OPENBLAS_CORETYPE");
        // seqlab's launcher makes idle OpenMP and OpenBLAS workers sleep at once (its step team needs the
        // cores); the references run as their users get them: libtorch's OpenMP threads were up to 25%
        // slower with a passive wait policy.
        if (!side.equals("seqlab")) {
            pb.environment().remove("OMP_WAIT_POLICY");
            pb.environment().remove("OPENBLAS_THREAD_TIMEOUT");
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            System.out.println("  (" + side + " not run: " + e.getMessage()
                    + (side.equals("torch") ? "; apt-get install python3-torch python3-threadpoolctl libopenblas0-pthread" : "") + ")");
            return null;
        }
        Result result = null;
        List<String> output = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(Result.PREFIX)) result = Result.parse(line);
                else output.add(line);
            }
        }
        if (p.waitFor() != 0 || result == null) {
            String tail = String.join(" | ", output.subList(Math.max(0, output.size() - 3), output.size()));
            System.out.println("  (" + side + " " + workload + " on " + t + " thread(s) failed: " + tail + ")");
            return null;
        }
        return result;
    }

    /** One workload's best result per side, and how it prints. */
    private static final class Row {
        final Workload w;
        final Map<String, Result> best;
        final Map<Integer, Double> peak;
        final String load;

        Row(Workload w, Map<String, Result> best, Map<Integer, Double> peak, String load) {
            this.w = w;
            this.best = best;
            this.peak = peak;
            this.load = load;
        }

        double tps(String side) {
            Result r = best.get(side);
            return r == null ? Double.NaN : r.number("tokens_per_s");
        }

        String gflops() {
            Result s = best.get("seqlab");
            if (s == null) return "-";
            double g = s.number("tokens_per_s") * w.flopsPerToken() / 1e9;
            Double p = peak.get((int) s.number("threads"));
            return String.format(Locale.ROOT, "%.1f (%.0f%% of %d-thread peak)", g, p == null ? Double.NaN : 100 * g / p,
                    (int) s.number("threads"));
        }

        String ratio(String side) {
            Result r = best.get(side);
            if (r == null || best.get("seqlab") == null) return "-";
            if (side.equals("torch") && r.number("blas_ok") != 1) return "refused: " + r.word("blas");
            if (!builtAsSpecified(side) || !builtAsSpecified("seqlab")) return "refused: models differ";
            return String.format(Locale.ROOT, "%.2fx", tps("seqlab") / tps(side));
        }

        /**
         * seqlab's parameter count, checked on every side against {@link Workload#parameterCount}: a side
         * that built a different model is named, so its ratio is not read as a like-for-like one.
         */
        String params() {
            List<String> wrong = new ArrayList<>();
            for (String side : best.keySet()) {
                if (!builtAsSpecified(side)) wrong.add(String.format(Locale.ROOT, "%s has %.0f, expected %,d", side,
                        best.get(side).number("params"), w.parameterCount(!side.equals("seqlab"))));
            }
            String count = String.format(Locale.ROOT, "%,d", w.parameterCount(false));
            return wrong.isEmpty() ? count : count + " (MODELS DIFFER: " + String.join("; ", wrong) + ")";
        }

        boolean builtAsSpecified(String side) {
            return best.get(side).number("params") == w.parameterCount(!side.equals("seqlab"));
        }

        String rss() {
            return String.join(" / ", List.of("seqlab", "libtorch", "torch").stream()
                    .map(s -> best.get(s) == null ? "-" : String.format(Locale.ROOT, "%.0f", best.get(s).number("peak_rss_mb"))).toList());
        }

        String tpsCell(String side) {
            Result r = best.get(side);
            if (r == null) return "-";
            return String.format(Locale.ROOT, "%,.0f (%dt)", r.number("tokens_per_s"), (int) r.number("threads"));
        }

        String line() {
            return String.format(Locale.ROOT, "%-55s seqlab %s, %s GFLOP/s; libtorch %s -> %s; Debian torch %s -> %s; RSS MB %s; params %s; load %s",
                    w.label(), tpsCell("seqlab"), gflops(), tpsCell("libtorch"), ratio("libtorch"), tpsCell("torch"), ratio("torch"),
                    rss(), params(), load);
        }

        String markdown() {
            return "| " + String.join(" | ", w.label(), tpsCell("seqlab"), gflops(), rss(), tpsCell("libtorch"),
                    ratio("libtorch"), tpsCell("torch"), ratio("torch"), params(), load) + " |";
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.replaceAll(".*:\\s*", "")).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
