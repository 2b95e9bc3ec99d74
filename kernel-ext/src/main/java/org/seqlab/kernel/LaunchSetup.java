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
        lines.addAll(MemoryPlan.of(memory).jvmOptions());
        lines.add("-Djava.awt.headless=true");
        lines.add("-Xshare:auto");
        return lines;
    }

    private static boolean isUnset(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank();
    }
}
