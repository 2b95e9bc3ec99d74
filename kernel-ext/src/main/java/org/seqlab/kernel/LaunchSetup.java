package org.seqlab.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a seqlab JVM needs from the machine it starts on, printed for the shell that starts it
 * ({@code seqlab-java}, installed beside kernel.json, and {@code ./seqlab}): one line per
 * environment variable ({@code NAME=value}) and per JVM option ({@code -X...}, {@code -D...}).
 *
 * <p>It must run where the kernel starts, not where it was installed: Binder builds the image on
 * one machine and runs it on another, with another CPU and a memory limit of its own. A JVM cannot
 * set these for itself: OpenBLAS reads {@code OPENBLAS_CORETYPE} when ND4J loads it, and the heap
 * is fixed at start.
 */
public final class LaunchSetup {
    private LaunchSetup() {}

    public static void main(String[] args) {
        try {
            lines(System.getenv(), CpuCoreType.detect(), AvailableMemory.detect()).forEach(System.out::println);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("seqlab: " + e.getMessage());
            System.exit(2);
        }
    }

    static List<String> lines(Map<String, String> env, Optional<String> coreType, AvailableMemory memory) {
        List<String> lines = new ArrayList<>();
        // ND4J's bundled OpenBLAS falls back to slow Prescott kernels on current Intel CPUs (4-5x on gemm)
        if (isUnset(env, "OPENBLAS_CORETYPE")) {
            coreType.ifPresent(t -> lines.add("OPENBLAS_CORETYPE=" + t));
        }
        // one OpenMP thread per process measured fastest for recurrent shapes on small machines
        if (isUnset(env, "OMP_NUM_THREADS")) {
            lines.add("OMP_NUM_THREADS=1");
        }
        // idle OpenMP workers sleep instead of spinning: with more than one compute thread, the recurrent
        // step team needs those cores (LSTM 512 on 2 threads: 11.3k -> 14.1k tokens/s)
        if (isUnset(env, "OMP_WAIT_POLICY")) {
            lines.add("OMP_WAIT_POLICY=PASSIVE");
        }
        // and so do OpenBLAS's own workers after a multi-threaded product (by default they spin for ~0.1 s):
        // LSTM 512 on 2 threads, 13.7k -> 15.1k tokens/s
        if (isUnset(env, "OPENBLAS_THREAD_TIMEOUT")) {
            lines.add("OPENBLAS_THREAD_TIMEOUT=4");
        }
        lines.addAll(MemoryPlan.of(memory).jvmOptions());
        // the recurrent steps' product (PackedStepGemm) runs on the Vector API; without it, on the BLAS (slower)
        lines.add("--add-modules=jdk.incubator.vector");
        lines.add("-Djava.awt.headless=true");
        lines.add("-Xshare:auto");
        return lines;
    }

    private static boolean isUnset(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank();
    }
}
