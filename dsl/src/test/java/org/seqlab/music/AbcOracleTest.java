package org.seqlab.music;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqlab.data.synthetic.AbcTunes;

/**
 * Our parser and player against Debian's abc2midi (package abcmidi) as the oracle: every note's pitch,
 * onset and end must agree. abc2midi starts chord notes a few ticks apart (a strum), so onsets may differ by
 * up to 0.05 of a quarter note; ends must agree to 1/100 of a quarter. Skipped when abc2midi is missing.
 */
class AbcOracleTest {
    private static final double ONSET_TOLERANCE = 0.05;
    private static final double END_TOLERANCE = 0.01;

    @TempDir
    static Path dir;

    @BeforeAll
    static void needAbc2midi() {
        boolean present;
        try {
            Process p = new ProcessBuilder("abc2midi", "-ver").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            present = p.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            present = false;
        }
        Assumptions.assumeTrue(present, "abc2midi is not installed, so the ABC parser is not compared with it:"
                + " install it (Debian: sudo apt-get install abcmidi) to run this test");
    }

    record Played(int pitch, double onset, double end) {
    }

    @Test
    void everyFeatureTunePlaysAsAbc2midiPlaysIt() throws Exception {
        String text;
        try (InputStream in = AbcOracleTest.class.getResourceAsStream("features.abc")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> pieces = Abc.split(text);
        assertEquals(27, pieces.size(), "feature tunes in features.abc");
        for (String piece : pieces) assertSameAsAbc2midi(piece);
    }

    @Test
    void generatedTunesPlayAsAbc2midiPlaysThem() throws Exception {
        for (String piece : Abc.split(AbcTunes.generate(40, 11))) assertSameAsAbc2midi(piece);
    }

    private static void assertSameAsAbc2midi(String piece) throws Exception {
        Tune tune = Abc.parse(piece);
        List<Played> ours = new ArrayList<>();
        for (Note n : tune.notes()) ours.add(new Played(n.pitch(), n.onset(), n.onset() + n.duration()));
        List<Played> theirs = abc2midi(piece);
        String name = "tune " + tune.number() + " \"" + tune.title() + "\"";
        assertEquals(theirs.size(), ours.size(), name + ": number of notes");
        sort(ours);
        sort(theirs);
        for (int i = 0; i < ours.size(); i++) {
            Played a = ours.get(i), b = theirs.get(i);
            String where = name + ", note " + i + ": ours " + a + ", abc2midi " + b;
            assertEquals(b.pitch(), a.pitch(), where);
            assertEquals(b.onset(), a.onset(), ONSET_TOLERANCE, where);
            assertEquals(b.end(), a.end(), END_TOLERANCE, where);
        }
    }

    private static void sort(List<Played> notes) {
        notes.sort(Comparator.comparingDouble((Played p) -> Math.round(p.onset() * 10) / 10.0)
                .thenComparingInt(Played::pitch));
    }

    /** The melody channel of abc2midi's MIDI file (guitar chords and grace notes switched off). */
    private static List<Played> abc2midi(String piece) throws Exception {
        Path abc = dir.resolve("tune.abc");
        Path mid = dir.resolve("tune.mid");
        Files.deleteIfExists(mid);
        Files.writeString(abc, piece + "\n");
        Process p = new ProcessBuilder("abc2midi", abc.toString(), "-o", mid.toString(), "-NGRA", "-NGUI", "-quiet")
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && Files.isRegularFile(mid), "abc2midi wrote no MIDI file: " + log);
        assertTrue(!log.toLowerCase().contains("error"), "abc2midi reports an error for\n" + piece + "\n" + log);
        Sequence seq = MidiSystem.getSequence(mid.toFile());
        double perQuarter = seq.getResolution();
        List<MidiEvent> events = new ArrayList<>();
        for (Track t : seq.getTracks()) for (int i = 0; i < t.size(); i++) events.add(t.get(i));
        events.sort(Comparator.comparingLong(MidiEvent::getTick));
        List<Played> out = new ArrayList<>();
        Map<Integer, Long> sounding = new HashMap<>();
        for (MidiEvent e : events) {
            if (!(e.getMessage() instanceof ShortMessage m) || m.getChannel() != 0) continue;
            boolean on = m.getCommand() == ShortMessage.NOTE_ON && m.getData2() > 0;
            boolean off = m.getCommand() == ShortMessage.NOTE_OFF || (m.getCommand() == ShortMessage.NOTE_ON && m.getData2() == 0);
            if (off && sounding.containsKey(m.getData1())) {
                long start = sounding.remove(m.getData1());
                out.add(new Played(m.getData1(), start / perQuarter, e.getTick() / perQuarter));
            }
            if (on) sounding.put(m.getData1(), e.getTick());
        }
        return out;
    }
}
