package org.seqlab.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one side's run of one workload reports to the orchestrator: one line
 * {@code RESULT key=value key=value ...} on stdout (numbers, or comma-separated numbers, or a
 * word without spaces), the same from the Java sides and from torch_bench.py.
 */
final class Result {
    static final String PREFIX = "RESULT ";
    private final Map<String, String> values = new LinkedHashMap<>();

    Result put(String key, double v) {
        values.put(key, String.format(Locale.ROOT, "%.6g", v));
        return this;
    }

    Result put(String key, String word) {
        values.put(key, word.replace(' ', '_'));
        return this;
    }

    Result put(String key, double[] series) {
        values.put(key, String.join(",", Arrays.stream(series).mapToObj(v -> String.format(Locale.ROOT, "%.1f", v)).toList()));
        return this;
    }

    void print() {
        StringBuilder s = new StringBuilder(PREFIX);
        values.forEach((k, v) -> s.append(k).append('=').append(v).append(' '));
        System.out.println(s.toString().strip());
        System.out.flush();
    }

    static Result parse(String line) {
        Result r = new Result();
        Matcher m = Pattern.compile("(\\w+)=(\\S+)").matcher(line.substring(PREFIX.length()));
        while (m.find()) r.values.put(m.group(1), m.group(2));
        return r;
    }

    double number(String key) {
        String v = values.get(key);
        return v == null ? Double.NaN : Double.parseDouble(v);
    }

    double[] series(String key) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? new double[0] : Arrays.stream(v.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    String word(String key) {
        return values.getOrDefault(key, "").replace('_', ' ');
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
