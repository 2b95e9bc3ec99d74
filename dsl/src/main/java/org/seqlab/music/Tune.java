package org.seqlab.music;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;

import org.seqlab.viz.HtmlTable;
import org.seqlab.viz.PianoRoll;

/**
 * One tune read from ABC ({@link Abc#parse}): its header, its notes as played (repeats expanded,
 * ties merged) and as written, and what can be made of it: a MIDI sequence, audio rendered by the
 * JDK's software synthesizer, a piano-roll picture, a table of its notes.
 */
public final class Tune {

    /** A bar line at {@code onset} quarter notes, with the repeat signs written there. */
    public record BarLine(double onset, boolean repeatStart, boolean repeatEnd, boolean sectionEnd) {
        BarLine merge(BarLine next) {
            return new BarLine(onset, repeatStart || next.repeatStart, repeatEnd || next.repeatEnd,
                    sectionEnd || next.sectionEnd);
        }
    }

    private final String source;
    private final AbcParser.Written written;
    private final Performance played;
    private final Performance asWritten;

    Tune(String source, AbcParser.Written written) {
        this.source = source;
        this.written = written;
        this.played = Performance.played(written);
        this.asWritten = Performance.written(written);
    }

    /** The ABC text this tune was read from. */
    public String source() {
        return source;
    }

    /** The X: number (0 when not given). */
    public int number() {
        return written.number();
    }

    public String title() {
        return written.title();
    }

    /** The M: field as written ("6/8", "C", "none"). */
    public String metre() {
        return written.metre();
    }

    /** The K: field as written. */
    public String key() {
        return written.key();
    }

    /** The unit note length (L:, or the default the metre implies) as a fraction of a whole note, e.g. "1/8". */
    public String unitLength() {
        return written.unit().toString();
    }

    /** Quarter notes per minute at the start (Q:, or 120 when not given). */
    public double tempo() {
        return written.quartersPerMinute();
    }

    /** The notes as played: repeats taken, endings chosen, tied notes merged; in order of onset. */
    public List<Note> notes() {
        return List.copyOf(played.notes);
    }

    /** The notes as written: every bar once, in order (repeat signs not taken). */
    public List<Note> writtenNotes() {
        return List.copyOf(asWritten.notes);
    }

    /** The bar lines of the written tune, with their repeat signs, in quarter notes of {@link #writtenNotes()}. */
    public List<BarLine> writtenBarLines() {
        return List.copyOf(asWritten.barLines);
    }

    /** Length of the written tune, each bar once, in quarter notes. */
    public double writtenLength() {
        return asWritten.length;
    }

    /** Bars written (a bar is what stands between two bar lines; an empty one is not counted). */
    public int bars() {
        return written.barLengths().size();
    }

    /** Length as played, in quarter notes. */
    public double length() {
        return played.length;
    }

    /** Length as played, in seconds. */
    public double seconds() {
        return played.seconds;
    }

    /**
     * Written bars (1-based) whose length differs from the metre's, apart from the first (a pickup)
     * and the last; empty for M:none. A tune that parses but has such bars is readable yet sloppy.
     */
    public List<Integer> irregularBars() {
        List<Integer> out = new ArrayList<>();
        Fraction bar = written.bar();
        List<Fraction> lengths = written.barLengths();
        if (bar == null) return out;
        for (int i = 1; i < lengths.size() - 1; i++) {
            if (lengths.get(i).compareTo(bar) != 0) out.add(i + 1);
        }
        return out;
    }

    /** Tempo changes as played, for MIDI: onset in quarter notes and quarters per minute. */
    List<Performance.Tempo> tempi() {
        return played.tempi;
    }

    /** The tune as a MIDI sequence (480 ticks per quarter note) played by General MIDI program 0 (piano). */
    public Sequence midi() {
        return TuneMidi.sequence(this, 0);
    }

    /** The tune as a MIDI sequence for a General MIDI program (0 piano, 40 violin, 73 flute, ...). */
    public Sequence midi(int program) {
        return TuneMidi.sequence(this, program);
    }

    /** A standard MIDI file (type 1) of {@link #midi()}. */
    public byte[] midiBytes() {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            MidiSystem.write(midi(), 1, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("could not write the MIDI file: " + e.getMessage(), e);
        }
    }

    public Path saveMidi(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            return Files.write(file, midiBytes());
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The whole tune as played, rendered to audio by the JDK's software synthesizer (piano). */
    public Audio audio() {
        return MidiAudio.render(midi(), seconds()).label(title());
    }

    /** The first {@code maxSeconds} of the tune (all of it when shorter), with a short fade at the cut. */
    public Audio audio(double maxSeconds) {
        return audio(maxSeconds, 0);
    }

    /** The first {@code maxSeconds}, played by a General MIDI program (0 piano, 40 violin, 73 flute, ...). */
    public Audio audio(double maxSeconds, int program) {
        if (!(maxSeconds > 0)) {
            throw new IllegalArgumentException("maxSeconds is " + maxSeconds + "; give a positive number of seconds");
        }
        return MidiAudio.render(midi(program), Math.min(seconds(), maxSeconds)).label(title());
    }

    /** The written tune as a piano roll: pitch up, time across, one row of bars per line, repeat signs marked. */
    public PianoRoll pianoRoll() {
        return PianoRoll.of(this);
    }

    /** The first {@code maxRows} notes as played: bar, onset, pitch name, MIDI number, length. */
    public HtmlTable noteTable(int maxRows) {
        HtmlTable t = HtmlTable.of("bar", "onset (beats)", "note", "MIDI", "length (beats)", "start (s)")
                .title(title().isEmpty() ? "Notes" : "Notes of \"" + title() + "\"");
        List<Note> notes = played.notes;
        for (int i = 0; i < Math.min(maxRows, notes.size()); i++) {
            Note n = notes.get(i);
            t.row(n.bar(), number(n.onset()), n.name(), n.pitch(), number(n.duration()),
                    String.format(Locale.ROOT, "%.2f", n.onsetSeconds()));
        }
        return t.caption(Math.min(maxRows, notes.size()) + " of " + notes.size() + " notes as played; a beat is a"
                + " quarter note, at " + number(tempo()) + " beats a minute");
    }

    private static String number(double v) {
        return Math.abs(v - Math.rint(v)) < 1e-9 ? String.valueOf((long) Math.rint(v))
                : String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Tune %d \"%s\": K:%s, M:%s, L:%s, %s quarter notes a minute; %d bars"
                + " written, %d notes played, %.1f s", number(), title(), key(), metre(), unitLength(), number(tempo()),
                bars(), played.notes.size(), seconds());
    }
}
