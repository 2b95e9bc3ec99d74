package org.seqlab.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory a seqlab JVM may use on the machine where it starts, and where that figure came from:
 * {@code SEQLAB_MEMORY} when set (e.g. {@code 1500m}, {@code 2g}), else the tightest memory limit of
 * the process's cgroup and its parents (v2 {@code memory.max}, v1 {@code memory.limit_in_bytes}),
 * else the physical memory. A container (Binder gives 1-2 GB) kills a process that goes beyond its
 * limit, so this, not the host's RAM, is what the JVM must fit in.
 *
 * @param bytes  the memory available
 * @param source where it came from, for the kernel's log and error messages
 */
record AvailableMemory(long bytes, String source) {
    static final String OVERRIDE = "SEQLAB_MEMORY";
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)i?b?", Pattern.CASE_INSENSITIVE);
    /** cgroup files say "max" or a huge number (v1: 2^63 rounded to pages) when there is no limit. */
    private static final long NO_LIMIT = 1L << 60;

    /** For this process, from the real /proc and /sys. */
    static AvailableMemory detect() {
        return detect(System.getenv(), Path.of("/"));
    }

    /**
     * @param root where /proc and /sys are found ("/" in production, a fake tree in tests)
     * @throws IllegalArgumentException when SEQLAB_MEMORY is set but not a size
     */
    static AvailableMemory detect(Map<String, String> env, Path root) {
        String override = env.get(OVERRIDE);
        if (override != null && !override.isBlank()) {
            return new AvailableMemory(parseSize(override), OVERRIDE + "=" + override.trim());
        }
        long physical = physicalMemory(root).orElse(0);
        AvailableMemory best = physical > 0 ? new AvailableMemory(physical, "physical memory") : null;
        for (AvailableMemory limit : cgroupLimits(root)) {
            if (best == null || limit.bytes() < best.bytes()) {
                best = limit;
            }
        }
        if (best == null) {
            throw new IllegalStateException("cannot tell how much memory this machine has (no /proc/meminfo); set "
                    + OVERRIDE + ", e.g. " + OVERRIDE + "=2g");
        }
        return best;
    }

    /** "1500m", "2g", "2G", "1.5g", "2048MiB", "4096k", or plain bytes. */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(OVERRIDE + "=" + text + " is not a memory size; write it like 1500m or 2g");
        }
        double number = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        return (long) (number * (1L << shift));
    }

    /** MemTotal from /proc/meminfo. */
    static OptionalLong physicalMemory(Path root) {
        try {
            for (String line : Files.readAllLines(root.resolve("proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return OptionalLong.of(parseSize(line.substring("MemTotal:".length()).replace("kB", "k")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return OptionalLong.empty();
    }

    /** The limits of this process's memory cgroup and every parent of it that is visible, v2 and v1. */
    static List<AvailableMemory> cgroupLimits(Path root) {
        List<AvailableMemory> limits = new ArrayList<>();
        List<String> membership;
        List<String> mounts;
        try {
            membership = Files.readAllLines(root.resolve("proc/self/cgroup"));
            mounts = Files.readAllLines(root.resolve("proc/self/mountinfo"));
        } catch (IOException e) {
            return limits;
        }
        for (String line : membership) {
            String[] parts = line.split(":", 3); // hierarchy-id:controllers:path
            if (parts.length < 3) {
                continue;
            }
            boolean v2 = parts[0].equals("0") && parts[1].isEmpty();
            boolean v1Memory = List.of(parts[1].split(",")).contains("memory");
            if (!v2 && !v1Memory) {
                continue;
            }
            String file = v2 ? "memory.max" : "memory.limit_in_bytes";
            String label = v2 ? "cgroup v2 memory.max" : "cgroup v1 memory.limit_in_bytes";
            for (String mount : mounts) {
                Path dir = cgroupDir(mount, parts[2], v2, root);
                if (dir != null) {
                    Path top = root.resolve(mountPoint(mount).substring(1));
                    smallestLimit(dir, top, file).ifPresent(b -> limits.add(new AvailableMemory(b, label)));
                }
            }
        }
        return limits;
    }

    /** The directory of cgroup {@code path} under this mountinfo line's mount, or null if it is not that hierarchy. */
    private static Path cgroupDir(String mountLine, String path, boolean v2, Path root) {
        String[] halves = mountLine.split(" - ", 2);
        if (halves.length < 2) {
            return null;
        }
        String[] left = halves[0].split(" ");
        String[] right = halves[1].split(" ");
        if (left.length < 5 || right.length < 3) {
            return null;
        }
        boolean matches = v2 ? right[0].equals("cgroup2")
                : right[0].equals("cgroup") && List.of(right[2].split(",")).contains("memory");
        if (!matches) {
            return null;
        }
        String mountRoot = left[3];
        String relative;
        if (mountRoot.equals("/")) {
            relative = path;
        } else if (path.equals(mountRoot) || path.startsWith(mountRoot + "/")) {
            relative = path.substring(mountRoot.length());
        } else {
            relative = "/"; // a cgroup namespace: the mount shows our own group at its root
        }
        Path dir = root.resolve(left[4].substring(1));
        for (String part : relative.split("/")) {
            if (!part.isEmpty()) {
                dir = dir.resolve(part);
            }
        }
        return dir;
    }

    private static String mountPoint(String mountLine) {
        return mountLine.split(" - ", 2)[0].split(" ")[4];
    }

    /** The smallest limit in {@code file} from dir up to top (parents limit their children). */
    private static OptionalLong smallestLimit(Path dir, Path top, String file) {
        long smallest = Long.MAX_VALUE;
        for (Path d = dir; d != null && d.startsWith(top); d = d.getParent()) {
            try {
                String value = Files.readString(d.resolve(file)).trim();
                if (!value.equals("max")) {
                    long bytes = Long.parseLong(value);
                    if (bytes > 0 && bytes < NO_LIMIT) {
                        smallest = Math.min(smallest, bytes);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // not readable at this level: look further up
            }
        }
        return smallest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(smallest);
    }

    /** "1.5 GB", "512 MB": binary units, as the JVM options use them. */
    static String human(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        return (bytes >> 20) + " MB";
    }
}
