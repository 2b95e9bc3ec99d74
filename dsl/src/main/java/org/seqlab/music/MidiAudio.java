package org.seqlab.music;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * MIDI to audio with the JDK's own software synthesizer (Gervill, in java.desktop), offline: no sound
 * card, no download, no JVM flag. The public route is {@code AudioSystem.getAudioInputStream} on a
 * MIDI file: the JDK's MIDI audio-file reader renders it with a fresh synthesizer and its built-in
 * General MIDI sound bank (44.1 kHz stereo). We mix that to mono at 22.05 kHz, which keeps a tune's
 * WAV small enough to embed in a notebook, raise the level (peak at -3 dBFS) and stop shortly after the
 * last note.
 */
final class MidiAudio {
    static final int SAMPLE_RATE = 22_050;
    private static final double RELEASE_SECONDS = 0.8; // let the last note ring out
    private static final double FADE_SECONDS = 0.3;

    /**
     * The synthesizer reads its settings from java.util.prefs, which logs an INFO line to stderr when it
     * creates ~/.java/.userPrefs on a fresh home (Binder, CI): a red box under the first tune. Kept as a
     * field so the level holds (loggers are weakly referenced).
     */
    private static final Logger PREFS_LOG = Logger.getLogger("java.util.prefs");

    static {
        if (PREFS_LOG.getLevel() == null) PREFS_LOG.setLevel(Level.WARNING);
    }

    private MidiAudio() {
    }

    /** The first {@code seconds} of the sequence, plus the last note's release. */
    static Audio render(Sequence sequence, double seconds) {
        byte[] midi;
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            MidiSystem.write(sequence, 1, out);
            midi = out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("could not write the MIDI data: " + e.getMessage(), e);
        }
        boolean cut = seconds * 1e6 < sequence.getMicrosecondLength() - 1e3;
        double total = seconds + (cut ? 0 : RELEASE_SECONDS);
        try (InputStream in = new BufferedInputStream(new ByteArrayInputStream(midi));
             AudioInputStream stereo = AudioSystem.getAudioInputStream(in)) {
            AudioFormat f = stereo.getFormat();
            if (f.getEncoding() != AudioFormat.Encoding.PCM_SIGNED || f.getSampleSizeInBits() != 16
                    || f.getChannels() != 2 || f.isBigEndian() || Math.round(f.getSampleRate()) != 2L * SAMPLE_RATE) {
                throw new IllegalStateException("the JDK synthesizer gave " + f + "; expected 44100 Hz 16-bit stereo");
            }
            int frames = (int) Math.round(total * f.getSampleRate());
            byte[] pcm = stereo.readNBytes(frames * 4);
            short[] mono = new short[pcm.length / 8];
            for (int i = 0; i < mono.length; i++) {
                // average 2 frames x 2 channels: mono, and a gentle low-pass before halving the rate
                int sum = 0;
                for (int k = 0; k < 4; k++) {
                    int at = i * 8 + k * 2;
                    sum += (short) ((pcm[at] & 0xff) | (pcm[at + 1] << 8));
                }
                mono[i] = (short) (sum / 4);
            }
            if (cut) fadeOut(mono);
            normalise(mono);
            return Audio.of(mono, SAMPLE_RATE);
        } catch (UnsupportedAudioFileException e) {
            throw new IllegalStateException("this Java runtime cannot render MIDI to audio (no MIDI audio-file reader in"
                    + " javax.sound); use a full JDK 17+ with the java.desktop module", e);
        } catch (IOException e) {
            throw new IllegalStateException("could not render the MIDI data: " + e.getMessage(), e);
        }
    }

    /** The synthesizer plays a single melody quietly (peaks near -20 dBFS): raise the peak to -3 dBFS, at most 10x. */
    private static void normalise(short[] samples) {
        int peak = 1;
        for (short s : samples) peak = Math.max(peak, Math.abs((int) s));
        double gain = Math.min(10.0, 0.7 * Short.MAX_VALUE / peak);
        for (int i = 0; i < samples.length; i++) samples[i] = (short) Math.round(samples[i] * gain);
    }

    private static void fadeOut(short[] samples) {
        int n = Math.min(samples.length, (int) (FADE_SECONDS * SAMPLE_RATE));
        for (int i = 0; i < n; i++) {
            int at = samples.length - n + i;
            samples[at] = (short) (samples[at] * (1.0 - (i + 1) / (double) n));
        }
    }
}
