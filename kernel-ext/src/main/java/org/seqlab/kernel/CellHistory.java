package org.seqlab.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;

/**
 * The cells run in this kernel's life, for history_request (tail, range, search), kept in memory.
 * One kernel process is one session, numbered {@link #SESSION}; session 0 also means "this one",
 * as in IPython.
 */
final class CellHistory implements HistoryManager {
    static final int SESSION = 1;

    private record Cell(int number, String input, String output) {}

    private final List<Cell> cells = new ArrayList<>();

    synchronized void record(int number, String input, String output) {
        cells.add(new Cell(number, input, output));
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int n, Set<ResultFlag> flags) {
        int from = Math.max(0, cells.size() - Math.max(0, n));
        return entries(cells.subList(from, cells.size()), flags);
    }

    @Override
    public synchronized List<HistoryEntry> lookupRange(int session, int start, int stop, Set<ResultFlag> flags) {
        if (session != SESSION && session != 0) {
            return List.of();
        }
        List<Cell> hits = cells.stream().filter(c -> c.number >= start && (stop <= 0 || c.number < stop)).toList();
        return entries(hits, flags);
    }

    /** IPython semantics: a glob over the whole input, the last {@code n} hits, optionally unique. */
    @Override
    public synchronized List<HistoryEntry> search(String glob, int n, Set<ResultFlag> flags) {
        Pattern p = globToRegex(glob == null || glob.isEmpty() ? "*" : glob);
        List<Cell> hits = cells.stream().filter(c -> p.matcher(c.input).matches()).toList();
        if (flags.contains(ResultFlag.UNIQUE)) {
            Map<String, Cell> last = new LinkedHashMap<>();
            for (Cell c : hits) {
                last.remove(c.input);
                last.put(c.input, c);
            }
            hits = new ArrayList<>(last.values());
        }
        if (n > 0 && hits.size() > n) {
            hits = hits.subList(hits.size() - n, hits.size());
        }
        return entries(hits, flags);
    }

    private static List<HistoryEntry> entries(List<Cell> cells, Set<ResultFlag> flags) {
        boolean withOutput = flags.contains(ResultFlag.INCLUDE_OUTPUT);
        // jjava writes [session, line, [input, output]] only when output is non-null
        return cells.stream()
                .map(c -> new HistoryEntry(SESSION, c.number, c.input, withOutput ? (c.output == null ? "" : c.output) : null))
                .toList();
    }

    static Pattern globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            switch (ch) {
                case '*' -> re.append("(?s:.*)");
                case '?' -> re.append("(?s:.)");
                default -> re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
