package org.seqlab.bench;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.Model;
import org.seqlab.Seq;
import org.seqlab.data.SequenceDataset;
import org.seqlab.data.TextWindows;
import org.seqlab.data.Vocab;
import org.seqlab.ModelBuilder;
import org.seqlab.train.FitOptions;
import org.seqlab.train.TrainingHistory;
import org.seqlab.train.TrainingListener;

/**
 * seqlab's side of one workload, in a JVM of its own (so its peak resident memory is its own):
 * trains untimed steps (at least {@code --warmup} and {@code --warmup-seconds}) and {@code --steps}
 * timed ones, and prints a {@link Result}.
 * {@code --rss-steps N} instead trains N steps and reports resident memory every N/10 steps.
 * {@code --workload gemm} measures the machine's float gemm peak with the BLAS seqlab uses.
 */
public final class SeqlabSide {
    private SeqlabSide() {
    }

    public static void main(String[] argv) {
        Args args = new Args(argv);
        int threads = args.integer("threads", 1);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        String name = args.text("workload", "lstm128");
        Result r = new Result().put("side", "seqlab").put("workload", name).put("threads", String.valueOf(threads));
        if (name.equals("gemm")) {
            r.put("gflops", gemmPeak());
        } else {
            Workload w = Workload.named(name);
            double warmupSeconds = args.integer("warmup-seconds", Workload.WARMUP_SECONDS);
            if (w.generate()) generate(w, warmupSeconds, r);
            else train(w, args.integer("warmup", 10), warmupSeconds, args.integer("steps", 20), args.integer("rss-steps", 0), r);
        }
        r.put("peak_rss_mb", Memory.peakMb()).print();
    }

    /** Best of a few {@code [n, n] x [n, n]} float products, GFLOP/s. */
    static double gemmPeak() {
        int n = 1536;
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n), b = Nd4j.rand(DataType.FLOAT, n, n), c = Nd4j.create(DataType.FLOAT, n, n);
        FloatPointer pa = new FloatPointer(a.data().addressPointer()), pb = new FloatPointer(b.data().addressPointer()),
                pc = new FloatPointer(c.data().addressPointer());
        double best = 0;
        for (int i = 0; i < 8; i++) {
            long t0 = System.nanoTime();
            openblas_nolapack.cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1f, pa, n, pb, n, 0f, pc, n);
            best = Math.max(best, 2.0 * n * n * n / (System.nanoTime() - t0));
        }
        return best;
    }

    /** Random text over 63 symbols, so the vocabulary (with pad and unk) has exactly 65 entries. */
    static String randomText(int length) {
        String symbols = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?-'\"()[]{}<>/\\|@#$%"
                .substring(0, Workload.CLASSES - 2);
        Random random = new Random(1);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) s.append(symbols.charAt(random.nextInt(symbols.length())));
        return s.toString();
    }

    static Model model(Workload w) {
        ModelBuilder b = Seq.model().vocab(Workload.CLASSES);
        for (int i = 0; i < w.layers().size(); i++) {
            String[] l = w.layer(i);
            int n = l.length > 1 ? Integer.parseInt(l[1]) : 0;
            b = switch (l[0]) {
                case "embed" -> b.embed(n);
                case "lstm" -> b.lstm(n);
                case "gru" -> b.gru(n);
                case "rnn" -> b.rnn(n);
                case "attention" -> b.attention(n);
                case "positional" -> b.positional();
                case "transformer" -> b.transformer(n, Integer.parseInt(l[2]), Integer.parseInt(l[3]));
                default -> throw new IllegalArgumentException("seqlab side: no layer kind " + l[0]);
            };
        }
        return b.softmax().seed(1).build();
    }

    /**
     * Independent windows (no state carried between batches), as the reference sides train: with
     * contiguous streams the attention layer would also attend over the previous batch's keys.
     */
    static void train(Workload w, int warmup, double warmupSeconds, int steps, int rssSteps, Result r) {
        String text = randomText(w.batch() * w.time() * 8 + 1);
        Vocab vocab = Vocab.chars(text);
        SequenceDataset data = TextWindows.of(text, vocab, w.time(), w.time());
        Model m = model(w);
        r.put("params", String.valueOf(parameterCount(m)));
        if (rssSteps > 0) {
            List<Double> rss = new ArrayList<>();
            int every = Math.max(1, rssSteps / 10);
            m.fit(data, FitOptions.steps(rssSteps).batchSize(w.batch()).adam(1e-3).clipNorm(5)
                    .listener(TrainingListener.eachStep(s -> {
                        if (s.step() % every == 0) rss.add(Memory.rssMb());
                    })));
            r.put("rss_steps", rssSteps).put("rss_mb", rss.stream().mapToDouble(Double::doubleValue).toArray())
                    .put("heap_mb", java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1048576.0);
            return;
        }
        // CPU time of this thread per step as well: on a busy machine it is steadier than wall time
        // (with one BLAS thread, all of a step's work runs on the calling thread).
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        do {
            m.fit(data, FitOptions.steps(warmup).batchSize(w.batch()).adam(1e-3).clipNorm(5));
        } while (System.nanoTime() < warmEnd);
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        List<Double> cpuMs = new ArrayList<>();
        List<Double> stepSeconds = new ArrayList<>();
        long[] last = {cpu.getCurrentThreadCpuTime()};
        long timedEnd = System.nanoTime() + (long) (Workload.TIMED_SECONDS * 1e9);
        do {
            TrainingHistory h = m.fit(data, FitOptions.steps(steps).batchSize(w.batch()).adam(1e-3).clipNorm(5)
                    .listener(TrainingListener.eachStep(s -> {
                        long now = cpu.getCurrentThreadCpuTime();
                        cpuMs.add((now - last[0]) / 1e6);
                        last[0] = now;
                    })));
            h.steps().forEach(s -> stepSeconds.add(w.tokensPerStep() / s.tokensPerSecond()));
        } while (System.nanoTime() < timedEnd);
        double[] seconds = stepSeconds.stream().mapToDouble(Double::doubleValue).toArray();
        r.put("tokens_per_s", w.tokensPerStep() / Result.median(seconds)).put("step_ms", Result.median(seconds) * 1e3)
                .put("cpu_ms", Result.median(cpuMs.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    /** Trainable scalars: printed by every side, so a row whose sides built different models shows it. */
    static long parameterCount(Model m) {
        return m.params().values().stream().mapToLong(INDArray::length).sum();
    }

    static void generate(Workload w, double warmupSeconds, Result r) {
        Model m = model(w);
        r.put("params", String.valueOf(parameterCount(m)));
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        do {
            m.generate(new int[] {1}, Workload.GENERATE_WARMUP, 0.8, 1); // lets C2 compile the one-step path
        } while (System.nanoTime() < warmEnd);
        long t0 = System.nanoTime();
        m.generate(new int[] {1}, Workload.GENERATED, 0.8, 1);
        r.put("tokens_per_s", Workload.GENERATED / ((System.nanoTime() - t0) / 1e9));
    }
}
