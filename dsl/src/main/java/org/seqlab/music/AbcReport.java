package org.seqlab.music;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.seqlab.viz.HtmlTable;

/**
 * Which pieces of ABC text are readable tunes: for each, whether it parses, the first error if not,
 * its bar count and the bars whose length differs from the metre. For judging generated music.
 */
public final class AbcReport {

    /** One piece of text: its tune when it parsed (else null) and the parser's message when it did not. */
    public record Entry(String text, Tune tune, String error) {
        public boolean parses() {
            return tune != null;
        }

        /** Parses, and every bar but the first and last has the metre's length. */
        public boolean barsFit() {
            return tune != null && tune.irregularBars().isEmpty();
        }
    }

    private final List<Entry> entries;

    private AbcReport(List<Entry> entries) {
        this.entries = entries;
    }

    static AbcReport of(List<String> pieces) {
        List<Entry> entries = new ArrayList<>();
        for (String piece : pieces) {
            try {
                entries.add(new Entry(piece, new Tune(piece, AbcParser.parse(piece)), null));
            } catch (AbcException e) {
                entries.add(new Entry(piece, null, e.getMessage()));
            }
        }
        return new AbcReport(entries);
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The tunes that parsed, in order. */
    public List<Tune> tunes() {
        return entries.stream().filter(Entry::parses).map(Entry::tune).toList();
    }

    public int size() {
        return entries.size();
    }

    public int parsed() {
        return (int) entries.stream().filter(Entry::parses).count();
    }

    public int barsFit() {
        return (int) entries.stream().filter(Entry::barsFit).count();
    }

    /** One row per tune; the column of parser messages only when some tune did not parse. */
    public HtmlTable table() {
        boolean failures = parsed() < size();
        List<String> header = new ArrayList<>(List.of("#", "title", "parses", "bars", "bars off the metre"));
        if (failures) header.add("first problem");
        HtmlTable t = HtmlTable.of(header);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            List<Object> row = new ArrayList<>();
            if (e.parses()) {
                List<Integer> off = e.tune().irregularBars();
                row.addAll(List.of(i + 1, e.tune().title(), "yes", e.tune().bars(), off.isEmpty() ? "none" : off.toString()));
                if (failures) row.add("");
            } else {
                String firstLine = e.text().lines().findFirst().orElse("");
                row.addAll(List.of(i + 1, firstLine.length() > 30 ? firstLine.substring(0, 30) + "..." : firstLine, "no",
                        "", "", e.error()));
            }
            t.row(row, null);
        }
        return t.caption(summary());
    }

    public String summary() {
        return String.format(Locale.ROOT, "%d of %d tunes parse as ABC (%.0f%%); %d of %d also have every bar the"
                + " metre's length", parsed(), size(), size() == 0 ? 0.0 : 100.0 * parsed() / size(), barsFit(), size());
    }

    public String html() {
        return table().html();
    }

    @Override
    public String toString() {
        return table().toString();
    }
}
