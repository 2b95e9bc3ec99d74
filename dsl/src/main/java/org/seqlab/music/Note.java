package org.seqlab.music;

/**
 * One sounding note of a tune as it is played (repeats expanded, ties merged): its MIDI pitch (60 is
 * middle C, ABC's {@code C}), when it starts and how long it lasts in quarter notes and in seconds,
 * the written bar it belongs to (1 is the first bar of the tune) and its loudness as a MIDI velocity.
 */
public record Note(int pitch, double onset, double duration, double onsetSeconds, double durationSeconds, int bar,
                   int velocity) {
    private static final String[] NAMES = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};

    /** Scientific pitch name: C4 is middle C, A4 the 440 Hz A. */
    public String name() {
        return name(pitch);
    }

    public static String name(int pitch) {
        return NAMES[Math.floorMod(pitch, 12)] + (Math.floorDiv(pitch, 12) - 1);
    }

    /** The pitch's frequency in Hz in equal temperament with A4 = 440 Hz. */
    public double frequency() {
        return 440 * Math.pow(2, (pitch - 69) / 12.0);
    }
}
