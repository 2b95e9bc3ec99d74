package org.seqlab.music;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reading ABC notation, our own parser of the subset that our {@code AbcTunes} generator writes and
 * that common single-voice folk tunes use:
 *
 * <ul>
 *   <li>header fields X: (first), T:, M: (n/d, C, C|, none), L: (default from M: as ABC 2.1 says), Q: (1/4=120,
 *       3/8=60, a bare number of unit notes a minute; default 120 quarter notes a minute), K: (last; tonic, mode,
 *       extra accidentals, none); other fields (C:, R:, S:, O:, N:, Z:, H:, w:, W:, P:, I:) are read past</li>
 *   <li>notes A-G a-g with octave marks ' and , and accidentals ^ ^^ _ __ =, which last to the end of the
 *       bar for that letter in every octave (as abc2midi plays them); lengths 2, 3/2, /, //, /4; broken rhythm &gt; &lt; &gt;&gt;; ties -;
 *       chords [CEG]2 (the first note's length); tuplets (3abc, (p:q:r</li>
 *   <li>rests z and x, multi-bar rests Z4; bar lines | || |] [| ; repeats |: :| :: ; endings [1 [2 |1 :|2 [1,3</li>
 *   <li>inline and body fields [K:..] [M:..] [L:..] [Q:..], K:/M:/L:/Q: lines within the tune</li>
 *   <li>read past and not played: chord symbols and annotations "...", decorations ~ . H L M O P S T u v !...!
 *       +...+, grace notes {...}, slurs, spacing, line continuation \, comments % and %% directives</li>
 * </ul>
 *
 * Refused with a clear message: several voices (V:), voice overlay (&amp;), microtones, highland-pipe keys.
 * Parts (P:) are played in written order. Everything this parser reads is tested against abc2midi.
 */
public final class Abc {
    private Abc() {
    }

    /** The first tune in {@code text}; throws {@link AbcException} (line, column, what to write) if it is not readable. */
    public static Tune parse(String text) {
        Objects.requireNonNull(text, "text");
        List<String> tunes = split(text);
        if (tunes.isEmpty()) {
            throw new AbcException(1, 1, "no tune here: a tune starts with X:1, then T:, M:, L:, K: and the notes");
        }
        return new Tune(tunes.get(0), AbcParser.parse(tunes.get(0)));
    }

    /** Every tune in {@code text}; throws on the first one that is not readable. */
    public static List<Tune> parseAll(String text) {
        List<Tune> out = new ArrayList<>();
        for (String piece : split(text)) out.add(new Tune(piece, AbcParser.parse(piece)));
        return out;
    }

    /** Every tune in an ABC file (UTF-8, or Latin-1 when it is not UTF-8). */
    public static List<Tune> read(Path file) {
        return parseAll(readText(file));
    }

    static String readText(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no ABC file at " + file.toAbsolutePath() + "; check the path");
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = new String(bytes, StandardCharsets.UTF_8);
            return text.contains("\uFFFD") ? new String(bytes, StandardCharsets.ISO_8859_1) : text;
        } catch (IOException e) {
            throw new IllegalArgumentException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The text of each tune: from a line starting with {@code X:} to the next blank line or {@code X:} line.
     * Text before the first X: (a file header, comments) is left out; text with no X: line at all is one piece.
     */
    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        boolean any = text.lines().anyMatch(l -> l.startsWith("X:"));
        if (!any) {
            if (!text.isBlank()) out.add(text.strip());
            return out;
        }
        for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
            if (line.startsWith("X:")) {
                if (current != null) out.add(current.toString().strip());
                current = new StringBuilder();
            } else if (line.isBlank()) {
                if (current != null) out.add(current.toString().strip());
                current = null;
                continue;
            }
            if (current != null) current.append(line).append('\n');
        }
        if (current != null) out.add(current.toString().strip());
        return out;
    }

    /** Reads every tune of {@code text} and reports which ones parse and which have bars of the wrong length. */
    public static AbcReport check(String text) {
        return AbcReport.of(split(text));
    }
}
