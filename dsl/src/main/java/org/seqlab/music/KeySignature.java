package org.seqlab.music;

import java.util.Locale;

/**
 * What an ABC {@code K:} field says about pitches: the alteration (in semitones) the key signature gives
 * each letter C..B. Tonic with optional # or b, a mode (major, minor/m, ionian, dorian, phrygian, lydian,
 * mixolydian, aeolian, locrian; the first three letters count), then optional explicit accidentals that
 * modify the signature ({@code K:D ^c}) or, after {@code exp}, replace it ({@code K:D exp _b ^f}).
 * {@code K:none} (and an empty K:) has no accidentals. Highland-pipe keys (HP, Hp) and clefs are not read.
 */
final class KeySignature {
    private static final String LETTERS = "CDEFGAB";
    private static final String SHARP_ORDER = "FCGDAEB";
    // sharps of the major key on each natural letter C..B (a # adds seven, a b takes seven away)
    private static final int[] MAJOR_SHARPS = {0, 2, 4, -1, 1, 3, 5};
    private static final String[] MODES = {"maj", "ion", "min", "aeo", "mix", "dor", "phr", "lyd", "loc", "m"};
    private static final int[] MODE_SHIFT = {0, 0, -3, -3, -1, -2, -4, 1, -5, -3};

    private final int[] alteration; // by letter index in LETTERS
    private final String text;

    private KeySignature(int[] alteration, String text) {
        this.alteration = alteration;
        this.text = text;
    }

    static KeySignature none() {
        return new KeySignature(new int[7], "none");
    }

    /** Reads the value of a K: field; throws IllegalArgumentException with what is wrong and an example. */
    static KeySignature parse(String value) {
        String v = value.trim();
        int clef = v.toLowerCase(Locale.ROOT).indexOf("clef=");
        if (clef >= 0) v = v.substring(0, clef).trim();
        if (v.isEmpty() || v.equalsIgnoreCase("none")) return none();
        if (v.startsWith("HP") || v.startsWith("Hp")) {
            throw new IllegalArgumentException("K:" + value + ": highland-pipe keys (HP, Hp) are not supported; write"
                    + " the key, e.g. K:Amix");
        }
        char tonic = Character.toUpperCase(v.charAt(0));
        if (LETTERS.indexOf(tonic) < 0) {
            throw new IllegalArgumentException("K:" + value + " does not start with a key note A-G; write e.g. K:G,"
                    + " K:Em, K:Dmix or K:none");
        }
        int i = 1;
        String accidental = "";
        if (i < v.length() && (v.charAt(i) == '#' || v.charAt(i) == 'b')) {
            accidental = String.valueOf(v.charAt(i));
            i++;
        }
        String rest = v.substring(i).trim();
        String[] words = rest.isEmpty() ? new String[0] : rest.split("\\s+");
        int shift = 0;
        int next = 0;
        if (words.length > 0 && !words[0].isEmpty() && Character.isLetter(words[0].charAt(0))
                && !words[0].equalsIgnoreCase("exp")) {
            String mode = words[0].toLowerCase(Locale.ROOT);
            int m = modeIndex(mode);
            if (m < 0) {
                throw new IllegalArgumentException("K:" + value + ": unknown mode '" + words[0] + "'; use major, minor"
                        + " (m), mix, dor, phr, lyd, loc, aeo or ion");
            }
            shift = MODE_SHIFT[m];
            next = 1;
        }
        int sharps = MAJOR_SHARPS[LETTERS.indexOf(tonic)] + (accidental.equals("#") ? 7 : accidental.equals("b") ? -7 : 0)
                + shift;
        if (sharps < -7 || sharps > 7) {
            throw new IllegalArgumentException("K:" + value + " needs more than seven sharps or flats; write the"
                    + " enharmonic key (e.g. K:Ab instead of K:G#)");
        }
        int[] alteration = new int[7];
        boolean explicitOnly = false;
        for (; next < words.length; next++) {
            String w = words[next];
            if (w.equalsIgnoreCase("exp")) {
                explicitOnly = true;
                continue;
            }
            if (!w.matches("(\\^|\\^\\^|_|__|=)[A-Ga-g]")) {
                if (w.contains("=")) continue; // other settings such as middle=, transpose=, octave=: not read
                throw new IllegalArgumentException("K:" + value + ": cannot read '" + w + "'; after the key only"
                        + " accidentals such as ^f or _B (and exp) are read");
            }
        }
        if (!explicitOnly) {
            for (int k = 0; k < Math.abs(sharps); k++) {
                char letter = sharps > 0 ? SHARP_ORDER.charAt(k) : SHARP_ORDER.charAt(6 - k);
                alteration[LETTERS.indexOf(letter)] = sharps > 0 ? 1 : -1;
            }
        }
        for (int k = 0; k < words.length; k++) {
            String w = words[k];
            if (w.matches("(\\^|\\^\\^|_|__|=)[A-Ga-g]")) {
                char letter = Character.toUpperCase(w.charAt(w.length() - 1));
                alteration[LETTERS.indexOf(letter)] = accidentalValue(w.substring(0, w.length() - 1));
            }
        }
        return new KeySignature(alteration, value.trim());
    }

    private static int modeIndex(String mode) {
        if (mode.equals("m")) return MODES.length - 1;
        if (mode.length() < 3) return -1;
        String three = mode.substring(0, 3);
        for (int m = 0; m < MODES.length - 1; m++) {
            if (MODES[m].equals(three)) return m;
        }
        return -1;
    }

    /** ^ +1, ^^ +2, _ -1, __ -2, = 0. */
    static int accidentalValue(String accidental) {
        return switch (accidental) {
            case "^" -> 1;
            case "^^" -> 2;
            case "_" -> -1;
            case "__" -> -2;
            case "=" -> 0;
            default -> throw new IllegalArgumentException("not an accidental: " + accidental);
        };
    }

    /** The alteration this key gives the letter (C..B, either case). */
    int alteration(char letter) {
        return alteration[LETTERS.indexOf(Character.toUpperCase(letter))];
    }

    @Override
    public String toString() {
        return text;
    }
}
