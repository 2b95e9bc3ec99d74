package org.seqlab.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --key value} pairs of a side's command line. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --option, got " + args[i]);
            String key = args[i].substring(2);
            values.put(key, i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "true");
        }
    }

    String text(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    int integer(String key, int fallback) {
        return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
    }
}
