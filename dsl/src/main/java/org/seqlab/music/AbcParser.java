package org.seqlab.music;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the text of one ABC tune into what it writes down: header fields, then a list of elements in
 * written order (notes and chords, rests, bar lines with their repeat signs, endings, tempo and metre
 * changes). {@link Performance} then plays that list. See {@link Abc} for the subset read.
 */
final class AbcParser {

    // ------------------------------------------------------------------ what a tune writes down

    sealed interface Element permits Sound, Rest, BarLine, Ending, TempoChange, MetreChange {
    }

    /** A note or a chord (several pitches sounding together for the same length). */
    static final class Sound implements Element {
        final int[] pitches;
        Fraction length;
        boolean tie;

        Sound(int[] pitches, Fraction length) {
            this.pitches = pitches;
            this.length = length;
        }
    }

    static final class Rest implements Element {
        Fraction length;

        Rest(Fraction length) {
            this.length = length;
        }
    }

    /** A bar line: {@code repeatEnd} for :|, {@code repeatStart} for |:, {@code sectionEnd} for || |] [|. */
    record BarLine(boolean repeatEnd, boolean repeatStart, boolean sectionEnd) implements Element {
    }

    /** A first, second (...) ending: the passes on which the music up to the next ending or repeat sign plays. */
    record Ending(List<Integer> passes) implements Element {
    }

    record TempoChange(double quartersPerMinute) implements Element {
    }

    record MetreChange(Fraction bar, Fraction beat) implements Element {
    }

    /** What the header says, and the body as elements. */
    record Written(int number, String title, String metre, Fraction bar, Fraction beat, Fraction unit, String key,
                   double quartersPerMinute, List<Element> elements, List<Fraction> barLengths) {
    }

    // ------------------------------------------------------------------ state

    private static final String BODY_FIELDS = "IKLMmNPQRrsTUVWw";
    private static final double DEFAULT_TEMPO = 120; // quarter notes per minute, as abc2midi assumes

    private final String[] lines;
    private int lineNo;        // 1-based line being read
    private String line = "";
    private int pos;           // index in line

    private int number = 0;
    private String title = "";
    private String metreText = "none";
    private Fraction bar = null;     // null for M:none (free metre)
    private Fraction beat = Fraction.of(1, 4);
    private Fraction unit = null;    // L: given, else decided from M: when the body starts
    private KeySignature key;
    private double tempo = DEFAULT_TEMPO;
    private String tempoText = null; // Q: read after L: is known
    private double initialTempo;

    private final List<Element> elements = new ArrayList<>();
    private final List<Fraction> barLengths = new ArrayList<>();
    private Fraction barSoFar = Fraction.ZERO;
    private final Map<String, Integer> barAccidentals = new HashMap<>(); // "F" -> alteration until the bar line

    // broken rhythm (a>b) and tuplets ((3abc) act on the elements around them
    private Element lastTimed;          // the last note, chord or rest
    private Fraction pendingBroken;     // factor for the next timed element, after > or <
    private int tupletLeft;
    private Fraction tupletFactor = Fraction.ONE;

    private AbcParser(String text) {
        this.lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    }

    static Written parse(String text) {
        return new AbcParser(text).read();
    }

    private Written read() {
        boolean inBody = false;
        boolean sawX = false;
        for (lineNo = 1; lineNo <= lines.length; lineNo++) {
            line = stripComment(lines[lineNo - 1]);
            pos = 0;
            String trimmed = line.trim();
            if (!inBody) {
                if (trimmed.isEmpty()) {
                    if (sawX) throw error(1, "the header ends before a K: field; end the header with K: (e.g. K:G)");
                    continue;
                }
                if (!isField(trimmed)) {
                    if (!sawX && !trimmed.startsWith("%")) {
                        throw error(1, "a tune starts with an X: line (e.g. X:1), then T:, M:, L:, K:, then the notes");
                    }
                    throw error(1, "music before the K: field; the header must end with K: (e.g. K:G) before the"
                            + " notes");
                }
                char field = trimmed.charAt(0);
                String value = trimmed.substring(2).trim();
                if (!sawX && field != 'X') {
                    throw error(1, "a tune starts with an X: line (e.g. X:1), found " + field + ": first");
                }
                sawX = true;
                if (field == 'K') {
                    headerField(field, value);
                    startBody();
                    inBody = true;
                } else {
                    headerField(field, value);
                }
                continue;
            }
            if (trimmed.isEmpty()) {
                break; // a blank line ends the tune
            }
            if (isField(trimmed) && BODY_FIELDS.indexOf(trimmed.charAt(0)) >= 0) {
                bodyField(trimmed.charAt(0), trimmed.substring(2).trim(), 1);
                continue;
            }
            musicLine();
        }
        if (!inBody) {
            throw error(1, sawX ? "no K: field; end the header with K: (e.g. K:G), then write the notes"
                    : "no tune here: a tune starts with X:1, then T:, M:, L:, K: and the notes");
        }
        if (tupletLeft > 0) throw error(line.length() + 1, "a tuplet at the end of the tune misses " + tupletLeft + " notes");
        if (pendingBroken != null) throw error(line.length() + 1, "> or < at the end of the tune needs a note after it");
        closeBar();
        if (elements.stream().noneMatch(e -> e instanceof Sound)) {
            throw error(1, "the tune has no notes");
        }
        return new Written(number, title, metreText, bar, beat, unit, key.toString(), initialTempo, List.copyOf(elements),
                List.copyOf(barLengths));
    }

    private static boolean isField(String s) {
        return s.length() >= 2 && s.charAt(1) == ':' && (Character.isLetter(s.charAt(0)) || s.charAt(0) == '+');
    }

    private static String stripComment(String s) {
        if (s.startsWith("%%")) return ""; // directives (%%MIDI ...) are not read
        int percent = -1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '%' && (i == 0 || s.charAt(i - 1) != '\\')) {
                percent = i;
                break;
            }
        }
        return percent < 0 ? s : s.substring(0, percent);
    }

    // ------------------------------------------------------------------ fields

    private void headerField(char field, String value) {
        switch (field) {
            case 'X' -> {
                try {
                    number = value.isEmpty() ? 0 : Integer.parseInt(value.trim());
                } catch (NumberFormatException e) {
                    throw error(3, "X: takes the tune's number (e.g. X:1), not '" + value + "'");
                }
            }
            case 'T' -> {
                if (title.isEmpty()) title = value;
            }
            case 'M' -> metre(value, 3);
            case 'L' -> unit = unitLength(value, 3);
            case 'Q' -> tempoText = value;
            case 'K' -> key = key(value, 3);
            case 'V' -> throw error(1, "several voices (V:) are not supported; keep one voice per tune");
            case 'P' -> { } // parts are played in written order
            default -> { } // C:, R:, S:, O:, N:, Z:, H:, B:, D:, F:, G:, I:, W:, w:, +: carry no music
        }
    }

    /** Once the header is read: the default unit length follows the metre, the tempo needs the unit. */
    private void startBody() {
        if (unit == null) unit = defaultUnit();
        tempo = tempoText == null ? DEFAULT_TEMPO : tempo(tempoText, 3);
        initialTempo = tempo;
    }

    private void bodyField(char field, String value, int column) {
        switch (field) {
            case 'K' -> key = key(value, column + 2);
            case 'M' -> {
                metre(value, column + 2);
                elements.add(new MetreChange(bar, beat));
            }
            case 'L' -> unit = unitLength(value, column + 2);
            case 'Q' -> {
                tempo = tempo(value, column + 2);
                elements.add(new TempoChange(tempo));
            }
            case 'V' -> throw error(column, "several voices (V:) are not supported; keep one voice per tune");
            default -> { } // T:, P:, w: (lyrics), W:, N:, R:, I:, ... carry no notes
        }
    }

    /** ABC 2.1: without L:, the unit is 1/16 when the metre is below 3/4, else 1/8. */
    private Fraction defaultUnit() {
        return bar != null && bar.compareTo(Fraction.of(3, 4)) < 0 ? Fraction.of(1, 16) : Fraction.of(1, 8);
    }

    private void metre(String value, int column) {
        String v = value.trim();
        metreText = v.isEmpty() ? "none" : v;
        if (v.isEmpty() || v.equalsIgnoreCase("none")) {
            bar = null;
            beat = Fraction.of(1, 4);
            return;
        }
        if (v.equals("C")) v = "4/4";
        if (v.equals("C|")) v = "2/2";
        String[] parts = v.split("/");
        try {
            if (parts.length != 2) throw new NumberFormatException();
            String numerator = parts[0].replace("(", "").replace(")", "");
            long n = 0;
            for (String term : numerator.split("\\+")) n += Long.parseLong(term.trim()); // M:2+3/8
            long d = Long.parseLong(parts[1].trim());
            if (n <= 0 || d <= 0) throw new NumberFormatException();
            bar = Fraction.of(n, d);
            // compound metres (6/8, 9/8, 12/8) count in dotted beats of three
            beat = n % 3 == 0 && n > 3 && d >= 8 ? Fraction.of(3, d) : Fraction.of(1, d);
        } catch (NumberFormatException e) {
            throw error(column, "M:" + value + " is not a metre; write e.g. M:6/8, M:4/4, M:C or M:none");
        }
    }

    private Fraction unitLength(String value, int column) {
        Fraction f = fraction(value.trim());
        if (f == null || f.isZero()) {
            throw error(column, "L:" + value + " is not a note length; write e.g. L:1/8");
        }
        return f;
    }

    /** Q:1/4=120, Q:3/8=60, Q:1/4 1/8=60 (beats added), Q:"Allegro" 1/4=120, or Q:120 (unit notes per minute). */
    private double tempo(String value, int column) {
        String v = value.replaceAll("\"[^\"]*\"", " ").trim();
        if (v.isEmpty()) return tempo; // only a text such as "Allegro": keep the tempo
        try {
            int eq = v.indexOf('=');
            if (eq < 0) {
                // ABC 1.6 form: unit notes per minute
                return Double.parseDouble(v) * unit.value() * 4;
            }
            Fraction beatLength = Fraction.ZERO;
            for (String term : v.substring(0, eq).trim().split("\\s+")) {
                Fraction f = term.startsWith("C") ? Fraction.of(1, 4) : fraction(term);
                if (f == null) throw new NumberFormatException();
                beatLength = beatLength.plus(f);
            }
            double perMinute = Double.parseDouble(v.substring(eq + 1).trim());
            if (!(perMinute > 0) || beatLength.isZero()) throw new NumberFormatException();
            return perMinute * beatLength.value() * 4;
        } catch (NumberFormatException e) {
            throw error(column, "Q:" + value + " is not a tempo; write e.g. Q:1/4=120 (120 quarter notes a minute)");
        }
    }

    private KeySignature key(String value, int column) {
        try {
            return KeySignature.parse(value);
        } catch (IllegalArgumentException e) {
            throw error(column, e.getMessage());
        }
    }

    private static Fraction fraction(String s) {
        String[] p = s.split("/");
        try {
            if (p.length == 2) return Fraction.of(Long.parseLong(p[0].trim()), Long.parseLong(p[1].trim()));
            if (p.length == 1) return Fraction.of(Long.parseLong(p[0].trim()), 1);
        } catch (IllegalArgumentException | ArithmeticException e) {
            return null; // not numbers, or a zero denominator
        }
        return null;
    }

    // ------------------------------------------------------------------ music

    private void musicLine() {
        while (pos < line.length()) {
            char c = line.charAt(pos);
            int start = pos;
            if (c == ' ' || c == '\t' || c == '`' || c == 'y' || c == ')') {
                pos++;
            } else if (c == '\\' && line.substring(pos + 1).isBlank()) {
                pos = line.length(); // continuation: the next line goes on
            } else if (isNoteStart(c) || c == 'z' || c == 'x' || c == 'Z' || c == 'X') {
                timed(start);
            } else if (c == '[') {
                bracket();
            } else if (c == '|' || c == ':') {
                barLine();
            } else if (c == '>' || c == '<') {
                brokenRhythm();
            } else if (c == '-') {
                if (!(lastTimed instanceof Sound s)) throw error(pos + 1, "a tie (-) must follow a note");
                s.tie = true;
                pos++;
            } else if (c == '(') {
                if (pos + 1 < line.length() && Character.isDigit(line.charAt(pos + 1))) tuplet();
                else pos++; // a slur: no effect on playing
            } else if (c == '"') {
                skipPast('"', "a chord symbol or annotation opened with \" is not closed on this line; close it with \"");
            } else if (c == '!' || c == '+') {
                skipPast(c, "a decoration opened with " + c + " is not closed on this line; close it with " + c);
            } else if (c == '{') {
                skipPast('}', "grace notes opened with { are not closed on this line; close them with }");
            } else if ("~.HLMOPSTuv".indexOf(c) >= 0) {
                pos++; // single-character decorations: no effect on pitch or length
            } else if (c == '&') {
                throw error(pos + 1, "voice overlay (&) is not supported; keep one voice");
            } else {
                throw error(pos + 1, "unexpected '" + c + "' in the music; notes are A-G, a-g with ' and , for octaves,"
                        + " ^ _ = for accidentals, z for rests, | for bar lines");
            }
        }
    }

    private void skipPast(char close, String message) {
        int end = line.indexOf(close, pos + 1);
        if (end < 0) throw error(pos + 1, message);
        pos = end + 1;
    }

    private static boolean isNoteStart(char c) {
        return "ABCDEFGabcdefg^_=".indexOf(c) >= 0;
    }

    /** A note, a rest, or a multi-bar rest, with its length; then tuplet and broken-rhythm bookkeeping. */
    private void timed(int start) {
        char c = line.charAt(pos);
        Element e;
        if (c == 'Z' || c == 'X') {
            pos++;
            Fraction count = lengthMultiplier();
            if (bar == null) throw error(start + 1, "a multi-bar rest (Z) needs a metre (M:)");
            e = new Rest(bar.times(count));
            addTimed(e, false);
            return;
        }
        if (c == 'z' || c == 'x') {
            pos++;
            e = new Rest(unit.times(lengthMultiplier()));
        } else {
            int pitch = pitch();
            e = new Sound(new int[] {pitch}, unit.times(lengthMultiplier()));
        }
        addTimed(e, true);
    }

    private void addTimed(Element e, boolean scalable) {
        if (scalable) {
            if (pendingBroken != null) {
                scale(e, pendingBroken);
                pendingBroken = null;
            }
            if (tupletLeft > 0) {
                scale(e, tupletFactor);
                tupletLeft--;
            }
        }
        elements.add(e);
        barSoFar = barSoFar.plus(length(e));
        lastTimed = e;
    }

    private static Fraction length(Element e) {
        return e instanceof Sound s ? s.length : ((Rest) e).length;
    }

    private void scale(Element e, Fraction f) {
        if (e instanceof Sound s) s.length = s.length.times(f);
        else ((Rest) e).length = ((Rest) e).length.times(f);
    }

    /** Accidental, letter, octave marks: the MIDI pitch (C = 60, c = 72). */
    private int pitch() {
        int start = pos;
        String accidental = "";
        while (pos < line.length() && "^_=".indexOf(line.charAt(pos)) >= 0 && accidental.length() < 2) {
            accidental += line.charAt(pos++);
        }
        if (!accidental.isEmpty() && !accidental.matches("\\^|\\^\\^|_|__|=")) {
            throw error(start + 1, "'" + accidental + "' is not an accidental; use ^ ^^ _ __ or =");
        }
        if (pos < line.length() && line.charAt(pos) == '/') {
            throw error(pos + 1, "microtonal accidentals (^/) are not supported");
        }
        if (pos >= line.length() || "ABCDEFGabcdefg".indexOf(line.charAt(pos)) < 0) {
            throw error(pos + 1, "an accidental must be followed by a note letter A-G or a-g");
        }
        char letter = line.charAt(pos++);
        int octave = Character.isUpperCase(letter) ? 4 : 5;
        while (pos < line.length() && (line.charAt(pos) == '\'' || line.charAt(pos) == ',')) {
            octave += line.charAt(pos++) == '\'' ? 1 : -1;
        }
        char upper = Character.toUpperCase(letter);
        // an accidental holds for that letter in every octave to the end of the bar, as abc2midi plays it
        // (and as ABC 2.2's default %%propagate-accidentals pitch says)
        String where = String.valueOf(upper);
        int alteration;
        if (!accidental.isEmpty()) {
            alteration = KeySignature.accidentalValue(accidental);
            barAccidentals.put(where, alteration);
        } else {
            alteration = barAccidentals.getOrDefault(where, key.alteration(upper));
        }
        int pitch = 12 * (octave + 1) + "C D EF G A B".indexOf(upper) + alteration;
        if (pitch < 0 || pitch > 127) throw error(start + 1, "the note is outside the MIDI range (C,,,,, to g'''''...)");
        return pitch;
    }

    /** n, /, //, /n, n/m, n/ after a note or rest: the multiplier of the unit length. */
    private Fraction lengthMultiplier() {
        int start = pos;
        long num = digits(1);
        long den = 1;
        while (pos < line.length() && line.charAt(pos) == '/') {
            pos++;
            if (pos < line.length() && Character.isDigit(line.charAt(pos))) den *= digits(2);
            else den *= 2;
        }
        if (num == 0) throw error(start + 1, "a note length of 0; write a positive length such as 2 or 3/2");
        return Fraction.of(num, den);
    }

    private long digits(long otherwise) {
        int start = pos;
        while (pos < line.length() && Character.isDigit(line.charAt(pos))) pos++;
        if (start == pos) return otherwise;
        if (pos - start > 6) throw error(start + 1, "a length of " + line.substring(start, pos) + " is too long");
        return Long.parseLong(line.substring(start, pos));
    }

    /** [ starts a chord, an inline field [K:..], an ending [1 or the bar line [| . */
    private void bracket() {
        int start = pos;
        if (pos + 1 < line.length() && line.charAt(pos + 1) == '|') {
            barLine();
            return;
        }
        if (pos + 1 < line.length() && Character.isDigit(line.charAt(pos + 1))) {
            pos++;
            ending(start);
            return;
        }
        if (pos + 2 < line.length() && Character.isLetter(line.charAt(pos + 1)) && line.charAt(pos + 2) == ':') {
            int end = line.indexOf(']', pos);
            if (end < 0) throw error(start + 1, "an inline field [" + line.charAt(pos + 1) + ": is not closed; close it with ]");
            bodyField(line.charAt(pos + 1), line.substring(pos + 3, end).trim(), start + 2);
            pos = end + 1;
            return;
        }
        // a chord: notes (each with its own length) until ], then an optional length for all of them
        pos++;
        List<Integer> pitches = new ArrayList<>();
        Fraction first = null;
        while (pos < line.length() && line.charAt(pos) != ']') {
            char c = line.charAt(pos);
            if (isNoteStart(c)) {
                pitches.add(pitch());
                Fraction len = unit.times(lengthMultiplier());
                if (first == null) first = len;
                if (pos < line.length() && line.charAt(pos) == '-') pos++; // ties inside chords: played as written
            } else if (c == ' ' || c == '!' || c == '"' || "~.HLMOPSTuv".indexOf(c) >= 0) {
                if (c == '!' || c == '"') skipPast(c, "a decoration in a chord is not closed; close it with " + c);
                else pos++;
            } else if (c == '|') {
                throw error(start + 1, "a chord opened with [ is not closed before the bar line; close it with ], e.g. [CEG]");
            } else {
                throw error(pos + 1, "unexpected '" + c + "' in a chord; a chord is notes in brackets, e.g. [CEG]");
            }
        }
        if (pos >= line.length()) throw error(start + 1, "a chord opened with [ is not closed on this line; close it with ]");
        pos++;
        if (pitches.isEmpty()) throw error(start + 1, "an empty chord []");
        Fraction length = first.times(lengthMultiplier());
        int[] p = pitches.stream().mapToInt(Integer::intValue).toArray();
        addTimed(new Sound(p, length), true);
    }

    /** | || |] [| |: :| :: :|: and endings written right after the bar (|1, :|2). */
    private void barLine() {
        int start = pos;
        StringBuilder run = new StringBuilder();
        while (pos < line.length()) {
            char c = line.charAt(pos);
            if (c == ':' || c == '|' || (c == '[' && pos + 1 < line.length() && line.charAt(pos + 1) == '|')
                    || (c == ']' && run.length() > 0 && run.charAt(run.length() - 1) == '|')) {
                run.append(c);
                pos++;
            } else {
                break;
            }
        }
        String s = run.toString();
        if (s.indexOf('|') < 0 && !s.equals("::")) {
            throw error(start + 1, "'" + s + "' is not a bar line; write |, ||, |], |:, :| or ::");
        }
        boolean repeatEnd = s.startsWith(":");
        boolean repeatStart = s.endsWith(":");
        boolean section = s.contains("||") || s.contains("|]") || s.contains("[|");
        closeBar();
        elements.add(new BarLine(repeatEnd, repeatStart, section));
        if (pos < line.length() && Character.isDigit(line.charAt(pos))) {
            ending(pos);
        } else if (pos + 1 < line.length() && line.charAt(pos) == '[' && Character.isDigit(line.charAt(pos + 1))) {
            pos++;
            ending(pos - 1);
        }
    }

    /** Pass numbers after [ or a bar: 1, 2, 1,3 or 1-3. */
    private void ending(int start) {
        int from = pos;
        while (pos < line.length() && (Character.isDigit(line.charAt(pos)) || line.charAt(pos) == ','
                || line.charAt(pos) == '-')) {
            pos++;
        }
        List<Integer> passes = new ArrayList<>();
        for (String part : line.substring(from, pos).split(",")) {
            if (part.isEmpty()) continue;
            String[] range = part.split("-");
            try {
                int a = Integer.parseInt(range[0]);
                int b = range.length > 1 ? Integer.parseInt(range[1]) : a;
                for (int p = a; p <= b; p++) passes.add(p);
            } catch (NumberFormatException e) {
                throw error(start + 1, "cannot read the ending '" + line.substring(from, pos) + "'; write e.g. [1 or [2");
            }
        }
        if (passes.isEmpty()) throw error(start + 1, "an ending needs a number, e.g. [1 or |2");
        elements.add(new Ending(passes));
    }

    private void closeBar() {
        if (!barSoFar.isZero()) barLengths.add(barSoFar);
        barSoFar = Fraction.ZERO;
        barAccidentals.clear();
    }

    /** a>b: a gets 3/2 of its length, b half (>> 7/4 and 1/4, >>> 15/8 and 1/8); < the other way round. */
    private void brokenRhythm() {
        int start = pos;
        char c = line.charAt(pos);
        int count = 0;
        while (pos < line.length() && line.charAt(pos) == c) {
            count++;
            pos++;
        }
        if (count > 3) throw error(start + 1, "at most three > or < in a broken rhythm");
        if (lastTimed == null || pendingBroken != null) {
            throw error(start + 1, c + " (broken rhythm) must stand between two notes, e.g. A>B");
        }
        long den = 1L << count;
        Fraction longer = Fraction.of(2 * den - 1, den);
        Fraction shorter = Fraction.of(1, den);
        Fraction before = c == '>' ? longer : shorter;
        Fraction after = c == '>' ? shorter : longer;
        barSoFar = barSoFar.minus(length(lastTimed));
        scale(lastTimed, before);
        barSoFar = barSoFar.plus(length(lastTimed));
        pendingBroken = after;
    }

    /** (p, (p:q, (p:q:r: the next r notes (default p) take the time of q (default from p and the metre). */
    private void tuplet() {
        int start = pos;
        pos++;
        int p = (int) digits(0);
        int q = 0;
        int r = p;
        if (pos < line.length() && line.charAt(pos) == ':') {
            pos++;
            q = (int) digits(0);
            if (pos < line.length() && line.charAt(pos) == ':') {
                pos++;
                r = (int) digits(p);
            }
        }
        if (p < 2 || p > 9) throw error(start + 1, "a tuplet needs 2 to 9 notes, e.g. (3abc");
        if (q == 0) {
            boolean compound = bar != null && beat.num() == 3;
            q = switch (p) {
                case 2, 4, 8 -> 3;
                case 3, 6 -> 2;
                default -> compound ? 3 : 2;
            };
        }
        tupletLeft = r;
        tupletFactor = Fraction.of(q, p);
    }

    private AbcException error(int column, String message) {
        return new AbcException(lineNo, column, message);
    }

}
