package org.seqlab.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The OPENBLAS_CORETYPE that ND4J's bundled OpenBLAS needs: without it, OpenBLAS falls back to
 * slow Prescott kernels on current Intel CPUs (4-5x slower gemm). Derived from the CPU flags:
 * avx512f -> SkylakeX, avx2 -> Haswell, otherwise left to OpenBLAS.
 */
final class CpuCoreType {
    private CpuCoreType() {}

    static Optional<String> fromCpuInfo(String cpuinfo) {
        Set<String> flags = cpuinfo.lines()
                .filter(l -> l.startsWith("flags"))
                .findFirst()
                .map(l -> Set.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+")))
                .orElse(Set.of());
        if (flags.contains("avx512f")) {
            return Optional.of("SkylakeX");
        }
        if (flags.contains("avx2")) {
            return Optional.of("Haswell");
        }
        return Optional.empty();
    }

    /** For this machine, from /proc/cpuinfo; empty when unknown. */
    static Optional<String> detect() {
        try {
            return fromCpuInfo(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
