package org.seqlab.kernel;

import java.util.List;

/**
 * How a seqlab JVM divides the memory it may use, so that the Java heap, ND4J's arrays (off-heap)
 * and the JVM's own native memory together stay inside it: running out is then an error in the
 * cell, not a kernel killed by the system.
 *
 * <ul>
 *   <li>heap: a quarter, at least 256 MB and at most 4 GB (JShell, renderers and the engine's Java
 *       objects; measured: the card model trains with under 200 MB of heap in use);</li>
 *   <li>native reserve: 256 MB plus 1/16 (code, metaspace, thread stacks, GC, the native libraries of
 *       ND4J and OpenBLAS: 300-600 MB resident measured beside the heap and the arrays);</li>
 *   <li>arrays: the rest, enforced by ND4J's own allocation counter ({@link ArrayMemoryGuard}); javacpp's
 *       {@code maxbytes} does not see ND4J's arrays, so it is given the same figure only for the
 *       few buffers javacpp allocates itself;</li>
 *   <li>process: javacpp's {@code maxphysicalbytes}, a last guard on the whole resident size
 *       (it collects garbage and then fails the allocation) 64 MB under the total.</li>
 * </ul>
 */
record MemoryPlan(AvailableMemory available, long heap, long arrays, long process) {
    static final long MB = 1L << 20;
    /** Below this (heap 256 MB, arrays under 150 MB) the engine cannot do anything useful: saying so beats a kernel that dies later. */
    static final long MIN_TOTAL = 700 * MB;
    static final String ARRAYS_PROPERTY = "seqlab.memory.arrays";
    static final String TOTAL_PROPERTY = "seqlab.memory.total";
    static final String SOURCE_PROPERTY = "seqlab.memory.source";

    static MemoryPlan of(AvailableMemory available) {
        long total = available.bytes();
        if (total < MIN_TOTAL) {
            throw new IllegalArgumentException("at least " + AvailableMemory.human(MIN_TOTAL) + " of memory is needed"
                    + "; this process may use " + AvailableMemory.human(total) + " (" + available.source()
                    + "). Give it more memory, or set " + AvailableMemory.OVERRIDE + " (e.g. 1g) if that figure is wrong");
        }
        long heap = roundToMb(Math.max(256 * MB, Math.min(4096 * MB, total / 4)));
        long reserve = 256 * MB + total / 16;
        long arrays = roundToMb(total - heap - reserve);
        return new MemoryPlan(available, heap, arrays, roundToMb(total - 64 * MB));
    }

    List<String> jvmOptions() {
        return List.of(
                "-Xmx" + heap / MB + "m",
                "-Dorg.bytedeco.javacpp.maxbytes=" + arrays,
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=" + process,
                "-D" + ARRAYS_PROPERTY + "=" + arrays,
                "-D" + TOTAL_PROPERTY + "=" + available.bytes(),
                "-D" + SOURCE_PROPERTY + "=" + available.source());
    }

    String describe() {
        return "memory " + AvailableMemory.human(available.bytes()) + " (" + available.source() + "): heap "
                + AvailableMemory.human(heap) + ", arrays " + AvailableMemory.human(arrays) + ", the rest for the JVM";
    }

    private static long roundToMb(long bytes) {
        return bytes / MB * MB;
    }
}
