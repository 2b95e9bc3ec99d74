package org.seqlab.data;

import org.seqlab.data.synthetic.AbcTunes;
import org.seqlab.data.synthetic.SyntheticGrammar;

/**
 * The corpora the demos train on, generated on demand rather than stored: nothing third-party is
 * shipped, and the same version of seqlab always produces the same characters.
 */
public final class ShippedText {

    /** Seed of the demo corpus; changing it changes every demo's numbers. */
    public static final long DEMO_SEED = 1997L;
    /** About 200 kB: enough for a char-level LSTM to learn words and punctuation in minutes on a CPU. */
    public static final int DEMO_CHARS = 200_000;

    private static String demo;

    private ShippedText() {
    }

    /** The default demo corpus: {@link SyntheticGrammar#text(int, long)} with the fixed size and seed. */
    public static synchronized String demo() {
        if (demo == null) {
            demo = SyntheticGrammar.text(DEMO_CHARS, DEMO_SEED);
        }
        return demo;
    }

    /** A small demo corpus of procedural folk tunes in ABC notation. */
    public static String tunes() {
        return AbcTunes.generate(300, DEMO_SEED);
    }
}
