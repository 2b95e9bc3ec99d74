package org.seqlab.music;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.seqlab.music.AbcParser.BarLine;
import org.seqlab.music.AbcParser.Element;
import org.seqlab.music.AbcParser.Ending;
import org.seqlab.music.AbcParser.MetreChange;
import org.seqlab.music.AbcParser.Rest;
import org.seqlab.music.AbcParser.Sound;
import org.seqlab.music.AbcParser.TempoChange;

/**
 * Plays a written tune: repeats expanded ({@code |: ... :|}, a {@code :|} without {@code |:} going back to
 * the start or to the end of the previous repeat), numbered endings chosen by pass (an ending that closes
 * with {@code :|} repeats once more, so {@code |1 .. :|2 .. :|3 ..} plays three times), tied notes
 * merged, every note given its onset in quarter notes and in seconds (following tempo changes) and a
 * velocity by its place in the bar: 105 on the bar's first beat, 95 on other beats, 80 between beats.
 */
final class Performance {
    static final int DOWNBEAT = 105;
    static final int BEAT = 95;
    static final int OFFBEAT = 80;
    private static final int MAX_PASSES = 9;

    /** A tempo from a position on: for MIDI tempo events. */
    record Tempo(double onset, double quartersPerMinute) {
    }

    final List<Note> notes = new ArrayList<>();
    final List<Tune.BarLine> barLines = new ArrayList<>();   // where each played bar line falls
    final List<Tempo> tempi = new ArrayList<>();
    double length;   // quarter notes
    double seconds;

    private Performance() {
    }

    /** The tune as played: repeats taken, endings chosen by pass. */
    static Performance played(AbcParser.Written written) {
        Performance p = new Performance();
        p.play(written, true);
        return p;
    }

    /** The tune as written: every bar once, in order, repeat signs only marked (for a score-like picture). */
    static Performance written(AbcParser.Written written) {
        Performance p = new Performance();
        p.play(written, false);
        return p;
    }

    private static final class OpenNote {
        final int pitch;
        final double onset;
        final double onsetSeconds;
        final int bar;
        final int velocity;
        double duration;
        double durationSeconds;

        OpenNote(int pitch, double onset, double onsetSeconds, int bar, int velocity) {
            this.pitch = pitch;
            this.onset = onset;
            this.onsetSeconds = onsetSeconds;
            this.bar = bar;
            this.velocity = velocity;
        }

        Note note() {
            return new Note(pitch, onset, duration, onsetSeconds, durationSeconds, bar, velocity);
        }
    }

    private void play(AbcParser.Written w, boolean repeats) {
        List<Element> elements = w.elements();
        int[] writtenBar = writtenBars(elements);
        List<OpenNote> played = new ArrayList<>();
        Map<Integer, OpenNote> tied = new HashMap<>();
        double time = 0;
        double clock = 0;
        double qpm = w.quartersPerMinute();
        tempi.add(new Tempo(0, qpm));
        Fraction beat = w.beat();
        Fraction inBar = Fraction.ZERO;

        int pc = 0;
        int sectionStart = 0;
        int pass = 1;
        int endingPass = 1;
        boolean skipping = false;
        boolean inEnding = false; // playing a numbered ending
        while (pc < elements.size()) {
            Element e = elements.get(pc);
            if (skipping && !(e instanceof Ending) && !(e instanceof BarLine b0 && (b0.repeatEnd() || b0.repeatStart()
                    || b0.sectionEnd()))) {
                pc++;
                continue;
            }
            boolean closesSkippedEnding = skipping && e instanceof BarLine;
            skipping = false;
            if (e instanceof Sound s) {
                double len = s.length.value() * 4;
                double secs = len * 60 / qpm;
                int velocity = inBar.isZero() ? DOWNBEAT : isOnBeat(inBar, beat) ? BEAT : OFFBEAT;
                Map<Integer, OpenNote> nextTied = new HashMap<>();
                for (int pitch : s.pitches) {
                    OpenNote open = tied.get(pitch);
                    if (open == null || Math.abs(open.onset + open.duration - time) > 1e-9) {
                        open = new OpenNote(pitch, time, clock, writtenBar[pc], velocity);
                        played.add(open);
                    }
                    open.duration += len;
                    open.durationSeconds += secs;
                    if (s.tie) nextTied.put(pitch, open);
                }
                tied = nextTied;
                time += len;
                clock += secs;
                inBar = inBar.plus(s.length);
            } else if (e instanceof Rest r) {
                double len = r.length.value() * 4;
                time += len;
                clock += len * 60 / qpm;
                inBar = inBar.plus(r.length);
                tied.clear();
            } else if (e instanceof TempoChange t) {
                qpm = t.quartersPerMinute();
                tempi.add(new Tempo(time, qpm));
            } else if (e instanceof MetreChange m) {
                beat = m.beat();
            } else if (e instanceof Ending ending) {
                skipping = repeats && !ending.passes().contains(endingPass);
                inEnding = !skipping;
            } else if (e instanceof BarLine b) {
                Tune.BarLine mark = new Tune.BarLine(time, b.repeatStart(), b.repeatEnd(), b.sectionEnd());
                Tune.BarLine previous = barLines.isEmpty() ? null : barLines.get(barLines.size() - 1);
                if (previous != null && previous.onset() > time - 1e-9) {
                    barLines.set(barLines.size() - 1, previous.merge(mark)); // ":|" then "|:" on the next line
                } else {
                    barLines.add(mark);
                }
                inBar = Fraction.ZERO;
                if (repeats && b.repeatEnd()) {
                    // back for pass 2; and again from an ending that closes with :| (|1 .. :|2 .. :|3 ..)
                    if (pass == 1 || (inEnding && pass < MAX_PASSES)) {
                        pass++;
                        endingPass = pass;
                        inEnding = false;
                        pc = sectionStart;
                        continue;
                    }
                    if (!closesSkippedEnding) {
                        // the repeated section is over; a later :| without |: comes back to here
                        pass = 1;
                        sectionStart = pc + 1;
                    }
                }
                if (b.repeatEnd() || b.repeatStart() || b.sectionEnd()) inEnding = false;
                if (b.repeatStart()) {
                    sectionStart = pc + 1;
                    pass = 1;
                    endingPass = 1;
                } else if (b.sectionEnd() && !b.repeatEnd()) {
                    endingPass = 1;
                }
            }
            pc++;
        }
        for (OpenNote n : played) notes.add(n.note());
        length = time;
        seconds = clock;
    }

    private static boolean isOnBeat(Fraction inBar, Fraction beat) {
        Fraction beats = inBar.times(beat.den(), beat.num());
        return beats.den() == 1;
    }

    /** The written bar (1-based) of every element: a bar line with music before it starts the next bar. */
    private static int[] writtenBars(List<Element> elements) {
        int[] bars = new int[elements.size()];
        int bar = 1;
        boolean music = false;
        for (int i = 0; i < elements.size(); i++) {
            Element e = elements.get(i);
            if (e instanceof BarLine && music) {
                bar++;
                music = false;
            }
            if (e instanceof Sound || e instanceof Rest) music = true;
            bars[i] = bar;
        }
        return bars;
    }
}
