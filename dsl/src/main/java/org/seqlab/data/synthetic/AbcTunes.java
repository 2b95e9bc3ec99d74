package org.seqlab.data.synthetic;

import java.util.Random;

/**
 * Folk-like tunes in ABC notation from our own procedural generator: a header ({@code X:} number,
 * {@code T:} title, {@code M:} metre, {@code L:1/8}, {@code K:} key) and two repeated eight-bar parts
 * ({@code |: ... :|}). Melodies are a random walk on the scale of the key, mostly stepwise with
 * occasional leaps, in rhythm patterns that fill each bar exactly; each part ends on the tonic. Tunes
 * are separated by a blank line.
 */
public final class AbcTunes {

    // the scale used for each key, low to high, in the ABC letters that key signature makes diatonic
    private static final String[] SCALE = {"C", "D", "E", "F", "G", "A", "B", "c", "d", "e", "f", "g", "a", "b"};
    private static final String[] KEYS = {"G", "D", "A", "C", "Em", "Ador", "Dmix"};
    private static final int[] TONIC = {4, 1, 5, 0, 2, 5, 1}; // index in SCALE of each key's tonic (low octave)
    private static final String[] TITLE_FIRST = {"The", "The", "Lena's", "Jonah's", "The Old", "The Green",
        "The Quiet", "Mira's"};
    private static final String[] TITLE_SECOND = {"Heron", "Mill", "Harbour", "Lantern", "Orchard", "Fox",
        "Bridge", "Kettle", "Hill", "Ferry", "Weaver", "Rain"};
    private static final String[] TITLE_KIND = {"Jig", "Reel", "Waltz", "Air", "Hornpipe", "Polka"};

    /** Metre, the length of a bar in eighth notes, and rhythm patterns (durations in eighths) filling a bar. */
    private record Metre(String name, int[][] patterns) {
    }

    private static final Metre[] METRES = {
        new Metre("6/8", new int[][] {{1, 1, 1, 1, 1, 1}, {2, 1, 2, 1}, {3, 1, 1, 1}, {2, 1, 3}, {1, 1, 1, 3}}),
        new Metre("4/4", new int[][] {{1, 1, 1, 1, 1, 1, 1, 1}, {2, 1, 1, 2, 1, 1}, {2, 2, 2, 2}, {1, 1, 2, 1, 1, 2},
            {3, 1, 2, 2}}),
        new Metre("3/4", new int[][] {{2, 2, 2}, {1, 1, 2, 2}, {4, 2}, {2, 1, 1, 2}, {3, 1, 2}}),
    };

    private AbcTunes() {
    }

    public static String generate(int nTunes, long seed) {
        if (nTunes < 1) {
            throw new IllegalArgumentException("nTunes is " + nTunes + "; ask for at least one tune");
        }
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder();
        for (int n = 1; n <= nTunes; n++) {
            tune(out, n, random);
            if (n < nTunes) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static void tune(StringBuilder out, int number, Random random) {
        Metre metre = METRES[random.nextInt(METRES.length)];
        int key = random.nextInt(KEYS.length);
        out.append("X:").append(number).append('\n');
        out.append("T:").append(pick(TITLE_FIRST, random)).append(' ').append(pick(TITLE_SECOND, random))
                .append(random.nextInt(3) == 0 ? " " + pick(TITLE_KIND, random) : "").append('\n');
        out.append("M:").append(metre.name()).append('\n');
        out.append("L:1/8\n");
        out.append("K:").append(KEYS[key]).append('\n');
        int tonic = TONIC[key];
        for (int part = 0; part < 2; part++) {
            // the second part sits higher, as the B part of a dance tune usually does
            int home = tonic + (part == 0 ? 0 : 7);
            out.append("|:");
            int pitch = home;
            for (int bar = 0; bar < 8; bar++) {
                int[] rhythm = metre.patterns()[random.nextInt(metre.patterns().length)];
                boolean lastBar = bar == 7;
                for (int k = 0; k < rhythm.length; k++) {
                    boolean lastNote = lastBar && k == rhythm.length - 1;
                    pitch = lastNote ? home : step(pitch, home, random);
                    out.append(SCALE[pitch]).append(rhythm[k] == 1 ? "" : String.valueOf(rhythm[k]));
                    if (metre.name().equals("6/8") && beatEnds(rhythm, k, 3) && k < rhythm.length - 1) {
                        out.append(' ');
                    }
                }
                out.append(lastBar ? ":|" : (bar == 3 ? "|\n" : "|"));
            }
            out.append('\n');
        }
    }

    /** Whether note {@code k} ends a beat of {@code beat} eighths (for the customary space between beats). */
    private static boolean beatEnds(int[] rhythm, int k, int beat) {
        int sum = 0;
        for (int i = 0; i <= k; i++) {
            sum += rhythm[i];
        }
        return sum % beat == 0;
    }

    /** Mostly steps, sometimes a third or a leap back towards home, kept inside the scale. */
    private static int step(int pitch, int home, Random random) {
        int roll = random.nextInt(10);
        int move = roll < 6 ? (random.nextBoolean() ? 1 : -1) : roll < 8 ? (random.nextBoolean() ? 2 : -2)
                : roll < 9 ? 0 : Integer.signum(home - pitch) * 3;
        int next = pitch + move;
        if (next < 0 || next >= SCALE.length || Math.abs(next - home) > 5) {
            next = pitch - move;
        }
        return Math.max(0, Math.min(SCALE.length - 1, next));
    }

    private static String pick(String[] options, Random random) {
        return options[random.nextInt(options.length)];
    }
}
