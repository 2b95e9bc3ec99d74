package org.seqlab.model;

import java.util.Arrays;
import java.util.List;
import org.seqlab.layers.Activation;

/** The words of one saved layer line after its keyword, read in order by the kind's parser. */
public final class SavedForm {
    private final List<String> words;
    private int next;

    public SavedForm(List<String> words) {
        this.words = List.copyOf(words);
    }

    public static SavedForm of(String line) {
        return new SavedForm(Arrays.asList(line.trim().split("\\s+")));
    }

    public boolean hasMore() {
        return next < words.size();
    }

    public String word() {
        if (!hasMore()) throw new IllegalArgumentException("saved layer '" + String.join(" ", words) + "' ends early");
        return words.get(next++);
    }

    public int integer() {
        return Integer.parseInt(word());
    }

    public double decimal() {
        return Double.parseDouble(word());
    }

    public Activation activation() {
        return Activation.valueOf(word().toUpperCase());
    }

    /** Consumes {@code flag} if it is the next word. */
    public boolean flag(String flag) {
        if (hasMore() && words.get(next).equals(flag)) {
            next++;
            return true;
        }
        return false;
    }

    /** {@code auto} as null, else {@code yes} (true) or {@code no} (false). */
    public Boolean choice(String yes, String no) {
        String w = word();
        if (w.equals("auto")) return null;
        if (w.equals(yes)) return true;
        if (w.equals(no)) return false;
        throw new IllegalArgumentException("expected auto, " + yes + " or " + no + " in saved layer '"
                + String.join(" ", words) + "', got " + w);
    }

    /** The saved form of a {@link #choice}. */
    public static String choiceWord(Boolean value, String yes, String no) {
        return value == null ? "auto" : value ? yes : no;
    }

    /** The rest, parsed as a whole layer (for wrappers such as {@code bidirectional lstm 8}). */
    public LayerSpec layer() {
        return LayerKinds.parse(this);
    }

    void requireEnd() {
        if (hasMore()) {
            throw new IllegalArgumentException("saved layer '" + String.join(" ", words) + "' has unread words from '"
                    + words.get(next) + "'");
        }
    }
}
