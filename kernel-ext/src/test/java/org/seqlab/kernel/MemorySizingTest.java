package org.seqlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the kernel's memory figure comes from, and how it is divided (AvailableMemory, MemoryPlan, LaunchSetup). */
class MemorySizingTest {
    private static final long MB = 1L << 20;
    private static final long GB = 1L << 30;
    private static final String MEMINFO = "MemTotal:       24683360 kB\nMemFree:        20000000 kB\n";

    private static void write(Path root, String file, String text) throws IOException {
        Path p = root.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void sizesReadTheWayPeopleWriteThem() {
        assertEquals(1500 * MB, AvailableMemory.parseSize("1500m"));
        assertEquals(2 * GB, AvailableMemory.parseSize("2g"));
        assertEquals(2 * GB, AvailableMemory.parseSize("2G"));
        assertEquals(2 * GB, AvailableMemory.parseSize("2048MiB"));
        assertEquals(3 * GB / 2, AvailableMemory.parseSize("1.5g"));
        assertEquals(4096L << 10, AvailableMemory.parseSize("4096k"));
        assertEquals(123456789L, AvailableMemory.parseSize("123456789"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AvailableMemory.parseSize("lots"));
        assertTrue(e.getMessage().contains("write it like 1500m or 2g"), e.getMessage());
    }

    @Test
    void physicalMemoryWithoutAnyLimit(@TempDir Path root) throws IOException {
        write(root, "proc/meminfo", MEMINFO);
        AvailableMemory m = AvailableMemory.detect(Map.of(), root);
        assertEquals(24683360L << 10, m.bytes());
        assertEquals("physical memory", m.source());
    }

    @Test
    void cgroupV2LimitOfTheGroupOrAParent(@TempDir Path root) throws IOException {
        write(root, "proc/meminfo", MEMINFO);
        write(root, "proc/self/cgroup", "0::/user.slice/binder/kernel\n");
        write(root, "proc/self/mountinfo",
                "24 30 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
                        + "25 30 0:23 / /proc rw - proc proc rw\n");
        write(root, "sys/fs/cgroup/user.slice/binder/kernel/memory.max", "max\n");
        write(root, "sys/fs/cgroup/user.slice/binder/memory.max", String.valueOf(2 * GB));
        write(root, "sys/fs/cgroup/user.slice/memory.max", String.valueOf(8 * GB));
        AvailableMemory m = AvailableMemory.detect(Map.of(), root);
        assertEquals(2 * GB, m.bytes());
        assertEquals("cgroup v2 memory.max", m.source());
    }

    @Test
    void cgroupV1MemoryControllerInAHybridLayout(@TempDir Path root) throws IOException {
        write(root, "proc/meminfo", MEMINFO);
        write(root, "proc/self/cgroup", "4:memory:/jobs/42/sim\n3:cpuset:/\n0::/\n");
        write(root, "proc/self/mountinfo",
                "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
                        + "34 31 0:31 / /sys/fs/cgroup/cpuset rw - cgroup cgroup rw,cpuset\n"
                        + "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
                        + "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n");
        // v1 says "no limit" with a number near 2^63; the unified tree has no memory controller here
        write(root, "sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        write(root, "sys/fs/cgroup/memory/jobs/42/memory.limit_in_bytes", "9223372036854771712\n");
        write(root, "sys/fs/cgroup/memory/jobs/42/sim/memory.limit_in_bytes", String.valueOf(2 * GB));
        AvailableMemory m = AvailableMemory.detect(Map.of(), root);
        assertEquals(2 * GB, m.bytes());
        assertEquals("cgroup v1 memory.limit_in_bytes", m.source());
    }

    @Test
    void containerWithItsOwnCgroupNamespace(@TempDir Path root) throws IOException {
        // inside a container the group is "/" and the mount shows it at its root (Binder, Docker)
        write(root, "proc/meminfo", MEMINFO);
        write(root, "proc/self/cgroup", "0::/\n");
        write(root, "proc/self/mountinfo", "700 650 0:26 / /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw\n");
        write(root, "sys/fs/cgroup/memory.max", "2147483648\n");
        assertEquals(2 * GB, AvailableMemory.detect(Map.of(), root).bytes());
    }

    @Test
    void aLimitAbovePhysicalMemoryIsNoLimit(@TempDir Path root) throws IOException {
        write(root, "proc/meminfo", MEMINFO);
        write(root, "proc/self/cgroup", "0::/\n");
        write(root, "proc/self/mountinfo", "700 650 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        write(root, "sys/fs/cgroup/memory.max", String.valueOf(64 * GB));
        assertEquals("physical memory", AvailableMemory.detect(Map.of(), root).source());
    }

    @Test
    void seqlabMemoryOverridesWhatIsDetected(@TempDir Path root) throws IOException {
        write(root, "proc/meminfo", MEMINFO);
        AvailableMemory m = AvailableMemory.detect(Map.of("SEQLAB_MEMORY", "1500m"), root);
        assertEquals(1500 * MB, m.bytes());
        assertEquals("SEQLAB_MEMORY=1500m", m.source());
        assertThrows(IllegalArgumentException.class, () -> AvailableMemory.detect(Map.of("SEQLAB_MEMORY", "2 gigs"), root));
    }

    @Test
    void twoGigabytesSplitIntoHeapArraysAndTheJvmsOwn() {
        MemoryPlan plan = MemoryPlan.of(new AvailableMemory(2 * GB, "cgroup v2 memory.max"));
        assertEquals(512 * MB, plan.heap());
        assertEquals(2048 * MB - 512 * MB - 256 * MB - 128 * MB, plan.arrays());
        assertEquals(2048 * MB - 64 * MB, plan.process());
        List<String> options = plan.jvmOptions();
        assertTrue(options.contains("-Xmx512m"), options.toString());
        assertTrue(options.contains("-Dorg.bytedeco.javacpp.maxphysicalbytes=" + (1984 * MB)), options.toString());
        assertTrue(options.contains("-Dseqlab.memory.arrays=" + plan.arrays()), options.toString());
        assertTrue(options.contains("-Dseqlab.memory.source=cgroup v2 memory.max"), options.toString());
        assertEquals("memory 2.0 GB (cgroup v2 memory.max): heap 512 MB, arrays 1.1 GB, the rest for the JVM", plan.describe());
    }

    @Test
    void bigMachinesKeepTheHeapAtFourGigabytes() {
        MemoryPlan plan = MemoryPlan.of(new AvailableMemory(32 * GB, "physical memory"));
        assertEquals(4 * GB, plan.heap());
        assertEquals(32 * GB - 4 * GB - 256 * MB - 2 * GB, plan.arrays());
    }

    @Test
    void tooLittleMemoryIsRefusedWithTheFigureAndItsSource() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryPlan.of(new AvailableMemory(512 * MB, "cgroup v2 memory.max")));
        assertTrue(e.getMessage().contains("at least 700 MB of memory is needed") && e.getMessage().contains("512 MB (cgroup v2 memory.max)"),
                e.getMessage());
        MemoryPlan smallest = MemoryPlan.of(new AvailableMemory(MemoryPlan.MIN_TOTAL, "SEQLAB_MEMORY=700m"));
        assertTrue(smallest.arrays() >= 128 * MB, AvailableMemory.human(smallest.arrays()));
    }

    @Test
    void launchSetupDecidesCoreTypeAndThreadsUnlessTheUserDid() {
        AvailableMemory m = new AvailableMemory(2 * GB, "physical memory");
        List<String> lines = LaunchSetup.lines(Map.of(), Optional.of("Haswell"), m);
        assertTrue(lines.contains("OPENBLAS_CORETYPE=Haswell") && lines.contains("OMP_NUM_THREADS=1"), lines.toString());
        assertTrue(lines.contains("-Xmx512m") && lines.contains("-Djava.awt.headless=true"), lines.toString());
        List<String> own = LaunchSetup.lines(Map.of("OPENBLAS_CORETYPE", "Zen", "OMP_NUM_THREADS", "2"), Optional.of("Haswell"), m);
        assertFalse(own.stream().anyMatch(l -> l.startsWith("OPENBLAS_CORETYPE=") || l.startsWith("OMP_NUM_THREADS=")), own.toString());
        // every line is either NAME=value or a JVM option: seqlab-java tells them apart by the first character
        assertTrue(lines.stream().allMatch(l -> l.startsWith("-") || l.matches("[A-Z_]+=.*")), lines.toString());
    }
}
