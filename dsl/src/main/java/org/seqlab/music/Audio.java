package org.seqlab.music;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Mono 16-bit audio and its WAV file. In a notebook it shows as an audio player; {@link #saveWav} writes
 * it for any player; {@link #rms} measures loudness over a stretch of time (silence is 0).
 */
public final class Audio {
    private final short[] samples;
    private final int sampleRate;
    private final String label;

    private Audio(short[] samples, int sampleRate, String label) {
        this.samples = samples;
        this.sampleRate = sampleRate;
        this.label = label;
    }

    /** Samples in -32768..32767 at {@code sampleRate} per second. */
    public static Audio of(short[] samples, int sampleRate) {
        Objects.requireNonNull(samples, "samples");
        if (sampleRate < 1000 || sampleRate > 192_000) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " Hz; use a rate such as 22050 or 44100");
        }
        return new Audio(samples.clone(), sampleRate, "");
    }

    /** The same audio with a short description (a tune's title) for its text form and the player's caption. */
    public Audio label(String label) {
        return new Audio(samples, sampleRate, label == null ? "" : label);
    }

    public String label() {
        return label;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public double seconds() {
        return samples.length / (double) sampleRate;
    }

    public short[] samples() {
        return samples.clone();
    }

    /** Root mean square of the samples from {@code fromSeconds} to {@code toSeconds}, as a fraction of full scale. */
    public double rms(double fromSeconds, double toSeconds) {
        int a = Math.max(0, (int) Math.round(fromSeconds * sampleRate));
        int b = Math.min(samples.length, (int) Math.round(toSeconds * sampleRate));
        if (b <= a) return 0;
        double sum = 0;
        for (int i = a; i < b; i++) sum += (double) samples[i] * samples[i];
        return Math.sqrt(sum / (b - a)) / 32768.0;
    }

    /** A complete WAV file: RIFF header, 16-bit PCM, one channel. */
    public byte[] wav() {
        int dataBytes = samples.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
        b.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1)              // PCM
                .putShort((short) 1)              // channels
                .putInt(sampleRate)
                .putInt(sampleRate * 2)           // bytes per second
                .putShort((short) 2)              // bytes per frame
                .putShort((short) 16);            // bits per sample
        b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(dataBytes);
        for (short s : samples) b.putShort(s);
        return b.array();
    }

    public Path saveWav(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            return Files.write(file, wav());
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Audio%s: %.1f s, %d Hz mono 16-bit WAV (%d kB); save it with"
                + " saveWav(Path.of(\"tune.wav\"))", label.isEmpty() ? "" : " \"" + label + "\"", seconds(), sampleRate,
                (44 + samples.length * 2) / 1024);
    }
}
