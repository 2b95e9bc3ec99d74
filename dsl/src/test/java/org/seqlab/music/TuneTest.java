package org.seqlab.music;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqlab.data.synthetic.AbcTunes;

/** What the parser reads (exact values, no oracle), what it refuses, and the MIDI, WAV and picture made from a tune. */
class TuneTest {

    private static Tune tune(String header, String body) {
        return Abc.parse("X:1\nT:test\n" + header + "\n" + body + "\n");
    }

    private static int[] pitches(Tune t) {
        return t.notes().stream().mapToInt(Note::pitch).toArray();
    }

    private static double[] durations(Tune t) {
        return t.notes().stream().mapToDouble(Note::duration).toArray();
    }

    @Test
    void headerFieldsAndTheDefaults() {
        Tune t = Abc.parse("X:7\nT:First title\nT:Second title\nC:someone\nM:6/8\nL:1/8\nQ:3/8=60\nK:Em\nEFG|]\n");
        assertEquals(7, t.number());
        assertEquals("First title", t.title());
        assertEquals("6/8", t.metre());
        assertEquals("Em", t.key());
        assertEquals("1/8", t.unitLength());
        assertEquals(90, t.tempo(), 1e-9, "60 dotted quarters a minute are 90 quarters");
        assertEquals(1.0, t.seconds(), 1e-9, "three eighths at 90 quarters a minute");
        Tune d = tune("M:2/4\nK:C", "CD|]");
        assertEquals("1/16", d.unitLength(), "ABC 2.1: metres below 3/4 default to sixteenths");
        assertEquals(120, d.tempo(), 1e-9);
        assertEquals("1/8", tune("M:3/4\nK:C", "C|]").unitLength());
    }

    @Test
    void pitchesOctavesAccidentalsAndKeys() {
        assertArrayEquals(new int[] {36, 48, 60, 72, 84, 96}, pitches(tune("L:1/4\nK:C", "C,, C, C c c' c''|]")));
        assertArrayEquals(new int[] {67, 69, 71, 72, 74, 76, 78, 79}, pitches(tune("L:1/8\nK:G", "GABc defg|]")),
                "G major: F is sharp");
        assertArrayEquals(new int[] {66, 67, 69, 71, 72, 74, 76, 78}, pitches(tune("L:1/8\nK:Ador", "FGAB cdef|]")),
                "A dorian has G major's signature");
        assertArrayEquals(new int[] {70, 63, 68}, pitches(tune("L:1/4\nK:Bbm", "B E A|]")), "B flat minor: five flats");
        assertArrayEquals(new int[] {66, 66, 78, 65, 65}, pitches(tune("L:1/4\nK:C", "^F F f =F F|]")),
                "an accidental lasts to the bar line, in every octave; = cancels it");
        assertArrayEquals(new int[] {66, 65, 70, 73}, pitches(tune("L:1/4\nK:C", "^F|F _B|^^B|]")),
                "bar lines end accidentals");
        assertArrayEquals(new int[] {66, 67, 70, 72}, pitches(tune("L:1/4\nK:D exp _b", "^F G B c|]")),
                "exp replaces the signature");
        assertArrayEquals(new int[] {64, 66, 64, 70}, pitches(tune("L:1/4\nK:G", "E F|[K:F] E B|]")),
                "an inline key change");
    }

    @Test
    void lengthsBrokenRhythmTupletsTiesChordsAndRests() {
        assertArrayEquals(new double[] {1, 0.25, 0.75, 0.25, 0.125, 1.5}, durations(tune("L:1/8\nK:C", "C2 D/ E3/2 F/2 G// A3|]")));
        assertArrayEquals(new double[] {0.75, 0.25, 0.25, 0.75, 0.875, 0.125}, durations(tune("L:1/8\nK:C", "C>D E<F G>>A|]")));
        Tune triplet = tune("M:2/4\nL:1/8\nK:C", "(3CDE F2|]");
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0, 1}, durations(triplet), 1e-9);
        assertEquals(2.0 / 3, triplet.notes().get(2).onset(), 1e-9);
        Tune tie = tune("L:1/4\nK:C", "C2- C D-|D E|]");
        assertArrayEquals(new int[] {60, 62, 64}, pitches(tie), "tied notes sound once");
        assertArrayEquals(new double[] {3, 2, 1}, durations(tie), "a tie carries across the bar line");
        Tune chord = tune("L:1/4\nK:C", "[CEG]2 z [FA]/|]");
        assertArrayEquals(new int[] {60, 64, 67, 65, 69}, pitches(chord));
        assertEquals(3.0, chord.notes().get(3).onset(), 1e-9, "the rest takes its time");
        assertEquals(0.5, chord.notes().get(4).duration(), 1e-9);
        assertEquals(3.5, chord.length(), 1e-9);
    }

    @Test
    void repeatsAndEndingsArePlayedButTheWrittenTuneKeepsEachBarOnce() {
        Tune t = tune("M:4/4\nL:1/4\nK:C", "|:CDEF|1GABc:|2cBAG||");
        assertArrayEquals(new int[] {60, 62, 64, 65, 67, 69, 71, 72, 60, 62, 64, 65, 72, 71, 69, 67}, pitches(t));
        assertEquals(16, t.length(), 1e-9);
        assertEquals(8.0, t.seconds(), 1e-9);
        assertEquals(12, t.writtenNotes().size());
        assertEquals(3, t.bars());
        List<Tune.BarLine> bars = t.writtenBarLines();
        assertTrue(bars.get(0).repeatStart(), "|: at the start");
        assertTrue(bars.stream().anyMatch(Tune.BarLine::repeatEnd), ":| after the first ending");
    }

    @Test
    void velocitiesFollowTheBeat() {
        Tune t = tune("M:6/8\nL:1/8\nK:C", "CDE FGA|]");
        assertArrayEquals(new int[] {105, 80, 80, 95, 80, 80}, t.notes().stream().mapToInt(Note::velocity).toArray(),
                "6/8 counts two dotted beats");
    }

    @Test
    void barsOffTheMetreAreFoundButPickupAndLastBarMayBeShort() {
        assertEquals(List.of(), tune("M:3/4\nL:1/8\nK:C", "EF|G4 A2|c6|d2|]").irregularBars());
        assertEquals(List.of(3), tune("M:3/4\nL:1/8\nK:C", "EF|G4 A2|c4|d2 e4|f2|]").irregularBars());
        for (Tune g : Abc.parseAll(AbcTunes.generate(20, 3))) {
            assertEquals(List.of(), g.irregularBars(), g.title());
            assertEquals(16, g.bars(), g.title());
        }
    }

    @Test
    void decorationsChordSymbolsGraceNotesAndCommentsAreReadPast() {
        Tune t = tune("L:1/8\nK:D", "\"D\"~A2 .F!trill!A {g}d2 +fermata+f>d % a comment\ne2 (3efg H d4|]");
        assertArrayEquals(new int[] {69, 66, 69, 74, 78, 74, 76, 76, 78, 79, 74}, pitches(t));
    }

    @Test
    void unreadableTextSaysWhereAndWhatToWrite() {
        AbcException e = assertThrows(AbcException.class, () -> Abc.parse("X:1\nT:t\nK:C\nCDEF|G#A|]\n"));
        assertEquals(4, e.line());
        assertEquals(7, e.column());
        assertTrue(e.getMessage().contains("unexpected '#'") && e.getMessage().contains("^ _ ="), e.getMessage());
        assertTrue(assertThrows(AbcException.class, () -> Abc.parse("X:1\nT:t\nM:4/4\nCDEF|\n")).getMessage()
                .contains("K:"), "music before K:");
        assertTrue(assertThrows(AbcException.class, () -> Abc.parse("X:1\nT:t\nK:C\nV:1\nCDEF|\n")).getMessage()
                .contains("voices"));
        assertTrue(assertThrows(AbcException.class, () -> Abc.parse("X:1\nT:t\nK:Hx\nC|\n")).getMessage()
                .contains("K:G"));
        assertTrue(assertThrows(AbcException.class, () -> Abc.parse("X:1\nT:t\nK:C\n[CEG|\n")).getMessage()
                .contains("not closed"));
        assertTrue(assertThrows(AbcException.class, () -> Abc.parse("T:no number\nK:C\nC|\n")).getMessage()
                .contains("X:"));
        assertTrue(assertThrows(AbcException.class, () -> Abc.parse("X:1\nT:t\nK:C\n|]\n")).getMessage()
                .contains("no notes"));
        assertTrue(assertThrows(AbcException.class, () -> Abc.parse("")).getMessage().contains("no tune"));
    }

    @Test
    void textIsSplitIntoTunesAndCheckedOneByOne() {
        String text = "% a file header\n\nX:1\nT:good\nK:C\nCDEF|\n\nX:2\nT:bad\nK:C\nCD#F|\nX:3\nT:sloppy\nM:4/4\nL:1/4\nK:C\n"
                + "CDEF|GA|Bcde|f4|]\n";
        assertEquals(3, Abc.split(text).size());
        AbcReport report = Abc.check(text);
        assertEquals(3, report.size());
        assertEquals(2, report.parsed());
        assertEquals(1, report.barsFit());
        assertTrue(report.entries().get(1).error().contains("'#'"));
        assertTrue(report.html().contains("<table") && report.toString().contains("2 of 3 tunes parse"), report.toString());
    }

    @Test
    void midiHasTheNotesAtTheirTicksAndTheTempo() throws Exception {
        Tune t = tune("M:4/4\nL:1/8\nQ:1/4=90\nK:C", "C2 E G|]");
        Sequence seq = MidiSystem.getSequence(new ByteArrayInputStream(t.midiBytes()));
        assertEquals(480, seq.getResolution());
        Track track = seq.getTracks()[0];
        StringBuilder ons = new StringBuilder();
        for (int i = 0; i < track.size(); i++) {
            MidiEvent e = track.get(i);
            if (e.getMessage() instanceof ShortMessage m && m.getCommand() == ShortMessage.NOTE_ON) {
                ons.append(m.getData1()).append('@').append(e.getTick()).append(' ');
            }
        }
        assertEquals("60@0 64@480 67@720 ", ons.toString());
        assertEquals(t.seconds() * 1e6, seq.getMicrosecondLength(), 2e4, "2 quarters at 90 a minute: 1.33 s");
    }

    @Test
    void audioSoundsAtTheNotesIsSilentInTheRestAndHasTheRightPitchAndLength() throws Exception {
        // A4 for two seconds, a rest of two seconds, E5 for two seconds, at 120 quarter notes a minute
        Tune t = tune("M:4/4\nL:1/4\nQ:1/4=120\nK:C", "A4|z4|e4|]");
        Audio audio = t.audio();
        assertEquals(22_050, audio.sampleRate());
        assertEquals(6.0 + 0.8, audio.seconds(), 0.01, "the tune plus the last note's release");
        assertTrue(audio.rms(0.1, 1.9) > 0.05, "A4 sounds: " + audio.rms(0.1, 1.9));
        assertTrue(audio.rms(4.1, 5.9) > 0.05, "E5 sounds: " + audio.rms(4.1, 5.9));
        assertTrue(audio.rms(2.6, 3.9) < 0.001, "the rest is silent: " + audio.rms(2.6, 3.9));
        short[] s = audio.samples();
        assertTrue(power(s, 0.2, 1.8, 440) > 100 * power(s, 0.2, 1.8, 466.16), "A4 is 440 Hz, not B flat");
        assertTrue(power(s, 0.2, 1.8, 440) > 100 * power(s, 0.2, 1.8, 415.30), "A4 is 440 Hz, not A flat");
        assertTrue(power(s, 4.2, 5.8, 659.26) > 100 * power(s, 4.2, 5.8, 440), "E5 is 659 Hz");

        Audio cut = t.audio(3);
        assertEquals(3.0, cut.seconds(), 0.01, "audio(3) stops at three seconds");
        assertEquals("test", cut.label());
    }

    /** Goertzel: the power of frequency f in samples from a to b seconds (22.05 kHz). */
    private static double power(short[] s, double from, double to, double f) {
        int a = (int) (from * 22_050), b = (int) (to * 22_050);
        double c = 2 * Math.cos(2 * Math.PI * f / 22_050), s1 = 0, s2 = 0;
        for (int i = a; i < b; i++) {
            double s0 = s[i] / 32768.0 + c * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - c * s1 * s2;
    }

    @Test
    void wavIsAFileTheJdkReadsBack(@TempDir Path dir) throws Exception {
        short[] samples = new short[22_050];
        for (int i = 0; i < samples.length; i++) samples[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 22_050.0));
        Audio audio = Audio.of(samples, 22_050);
        Path file = audio.saveWav(dir.resolve("a/tone.wav"));
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            AudioFormat f = in.getFormat();
            assertEquals(22_050, f.getSampleRate(), 1e-9);
            assertEquals(1, f.getChannels());
            assertEquals(16, f.getSampleSizeInBits());
            assertEquals(samples.length, in.getFrameLength());
            byte[] pcm = in.readAllBytes();
            assertEquals(samples[100], (short) ((pcm[200] & 0xff) | (pcm[201] << 8)));
        }
        assertEquals(44 + 2 * samples.length, Files.size(file));
        assertEquals(8000 / 32768.0 / Math.sqrt(2), audio.rms(0, 1), 1e-3);
        assertTrue(audio.toString().contains("1.0 s") && audio.toString().contains("saveWav"), audio.toString());
        assertThrows(IllegalArgumentException.class, () -> Audio.of(samples, 10));
    }

    @Test
    void pianoRollDrawsTheNotesWhereTheyAre() throws Exception {
        Tune t = Abc.parse(AbcTunes.generate(1, 5));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(t.pianoRoll().png()));
        assertEquals(900, img.getWidth());
        assertTrue(img.getHeight() > 200 && img.getHeight() < 1000, "height " + img.getHeight());
        int blue = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == 0x1F77B4) blue++;
            }
        }
        assertTrue(blue > 2000, "note boxes drawn: " + blue + " pixels");
        assertFalse(t.pianoRoll().toString().isEmpty());
        assertTrue(t.noteTable(5).html().contains("<td"));
        assertEquals(5, t.noteTable(5).rowCount());
    }
}
