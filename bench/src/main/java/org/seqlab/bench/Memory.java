package org.seqlab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process, from /proc/self/status (Linux). */
final class Memory {
    private Memory() {
    }

    /** Resident set size now, in MB (-1 where /proc is not there). */
    static double rssMb() {
        return field("VmRSS:");
    }

    /** Peak resident set size of this process so far ("high water mark"), in MB. */
    static double peakMb() {
        return field("VmHWM:");
    }

    private static double field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
