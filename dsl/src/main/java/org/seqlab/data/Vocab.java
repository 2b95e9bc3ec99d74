package org.seqlab.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A token &lt;-&gt; id mapping. Ids 0 and 1 are reserved: 0 is {@code <pad>} (what batches pad with)
 * and 1 is {@code <unk>} (what unknown tokens become in the lenient {@link #encode}).
 *
 * <p>Order is deterministic: after the reserved ids, tokens come by descending frequency, ties
 * broken by {@link String#compareTo} (so the same text always gives the same ids).
 *
 * <p>The saved form is the token list in id order ({@link #tokens()}, {@link #of(List)}) plus the
 * tokenizer; {@link #toText()} / {@link #parse(String)} write both as escaped lines, which is what
 * model save files embed.
 */
public final class Vocab {

    public static final int PAD_ID = 0;
    public static final int UNK_ID = 1;
    public static final String PAD = "<pad>";
    public static final String UNK = "<unk>";
    /** Begin and end of a sequence, for encoder-decoder models ({@link #withBoundaries()}). */
    public static final String BOS = "<s>";
    public static final String EOS = "</s>";

    private static final String TEXT_HEADER = "seqlab-vocab 1 ";

    private final Tokenizer tokenizer;
    private final List<String> tokens;
    private final Map<String, Integer> ids;

    private Vocab(Tokenizer tokenizer, List<String> tokens) {
        this.tokenizer = tokenizer;
        this.tokens = List.copyOf(tokens);
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (map.put(tokens.get(i), i) != null) {
                throw new IllegalArgumentException("token '" + printable(tokens.get(i)) + "' appears twice in the "
                        + "vocabulary (ids " + map.get(tokens.get(i)) + " and " + i + "); every token needs one id");
            }
        }
        this.ids = map;
    }

    /** A character-level vocabulary of every character in {@code text}. */
    public static Vocab chars(String text) {
        return chars(text, 1, Integer.MAX_VALUE);
    }

    /**
     * A character-level vocabulary keeping characters seen at least {@code minCount} times, at most
     * {@code maxSize} ids in all (the two reserved ids included).
     */
    public static Vocab chars(String text, int minCount, int maxSize) {
        return build(Tokenizer.CHARS, Tokenizer.CHARS.split(requireText(text)), minCount, maxSize);
    }

    /** A word-level vocabulary (see {@link Tokenizer#WORDS}) of every word in {@code text}. */
    public static Vocab words(String text) {
        return words(text, 1, Integer.MAX_VALUE);
    }

    public static Vocab words(String text, int minCount, int maxSize) {
        return build(Tokenizer.WORDS, Tokenizer.WORDS.split(requireText(text)), minCount, maxSize);
    }

    /** A word-level vocabulary of already tokenized text. */
    public static Vocab fromTokens(List<String> tokens, int minCount, int maxSize) {
        Objects.requireNonNull(tokens, "tokens");
        return build(Tokenizer.WORDS, tokens, minCount, maxSize);
    }

    /**
     * Rebuilds a vocabulary from {@link #tokens()} (id order, reserved tokens first). The tokenizer
     * is CHARS when every ordinary token is one character, WORDS otherwise; use
     * {@link #of(List, Tokenizer)} to say it explicitly.
     */
    public static Vocab of(List<String> tokens) {
        boolean allChars = tokens.stream().skip(2).allMatch(t -> t.codePointCount(0, t.length()) == 1);
        return of(tokens, allChars ? Tokenizer.CHARS : Tokenizer.WORDS);
    }

    public static Vocab of(List<String> tokens, Tokenizer tokenizer) {
        Objects.requireNonNull(tokens, "tokens");
        if (tokens.size() < 2 || !tokens.get(PAD_ID).equals(PAD) || !tokens.get(UNK_ID).equals(UNK)) {
            throw new IllegalArgumentException("a vocabulary token list must start with \"" + PAD + "\", \""
                    + UNK + "\" (ids 0 and 1) but starts with " + tokens.subList(0, Math.min(2, tokens.size()))
                    + "; pass the list returned by Vocab.tokens()");
        }
        return new Vocab(tokenizer, tokens);
    }

    /**
     * This vocabulary with {@link #BOS} and {@link #EOS} appended when missing (existing ids unchanged):
     * what the target side of an encoder-decoder model needs to start and to stop a sequence.
     */
    public Vocab withBoundaries() {
        if (contains(BOS) && contains(EOS)) return this;
        List<String> extended = new ArrayList<>(tokens);
        if (!contains(BOS)) extended.add(BOS);
        if (!contains(EOS)) extended.add(EOS);
        return new Vocab(tokenizer, extended);
    }

    /** True when {@link #BOS} and {@link #EOS} both have ids. */
    public boolean hasBoundaries() {
        return contains(BOS) && contains(EOS);
    }

    private static Vocab build(Tokenizer tokenizer, List<String> stream, int minCount, int maxSize) {
        if (minCount < 1) {
            throw new IllegalArgumentException("minCount is " + minCount + "; use 1 to keep every token");
        }
        if (maxSize < 3) {
            throw new IllegalArgumentException("maxSize is " + maxSize + " but the two reserved ids (" + PAD + ", "
                    + UNK + ") need room too; use at least 3");
        }
        if (stream.isEmpty()) {
            throw new IllegalArgumentException("no tokens to build a vocabulary from; pass a non-empty text");
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String token : stream) {
            if (!token.equals(PAD) && !token.equals(UNK)) {
                counts.merge(token, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> a.getValue().equals(b.getValue())
                ? a.getKey().compareTo(b.getKey()) : Integer.compare(b.getValue(), a.getValue()));
        List<String> tokens = new ArrayList<>(List.of(PAD, UNK));
        for (Map.Entry<String, Integer> e : entries) {
            if (e.getValue() >= minCount && tokens.size() < maxSize) {
                tokens.add(e.getKey());
            }
        }
        return new Vocab(tokenizer, tokens);
    }

    private static String requireText(String text) {
        Objects.requireNonNull(text, "text");
        return text;
    }

    public int size() {
        return tokens.size();
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** All tokens in id order, reserved ones first: the serialisable form. */
    public List<String> tokens() {
        return tokens;
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The id of {@code token}, or {@link #UNK_ID} when it is not in the vocabulary. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? UNK_ID : id;
    }

    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException("id " + id + " is outside this vocabulary (ids 0.." + (size() - 1)
                    + "); was the data encoded with a different vocabulary?");
        }
        return tokens.get(id);
    }

    /** Token ids of {@code text}; unknown tokens become {@link #UNK_ID}. */
    public int[] encode(String text) {
        return encode(tokenizer.split(requireText(text)));
    }

    public int[] encode(List<String> tokenList) {
        int[] out = new int[tokenList.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = id(tokenList.get(i));
        }
        return out;
    }

    /** Like {@link #encode(String)} but throws on the first unknown token, naming it and its position. */
    public int[] encodeStrict(String text) {
        return encodeStrict(tokenizer.split(requireText(text)));
    }

    public int[] encodeStrict(List<String> tokenList) {
        int[] out = new int[tokenList.size()];
        for (int i = 0; i < out.length; i++) {
            Integer id = ids.get(tokenList.get(i));
            if (id == null) {
                throw new IllegalArgumentException("unknown token '" + printable(tokenList.get(i)) + "' at token "
                        + "position " + i + " (vocabulary of " + size() + " " + tokenizer.name().toLowerCase()
                        + " tokens); build the vocabulary from text that includes it, or use encode(...) to map "
                        + "unknown tokens to " + UNK + " (id " + UNK_ID + ")");
            }
            out[i] = id;
        }
        return out;
    }

    /** The text of {@code ids}; padding ids are skipped, unknown ids print as {@code <unk>}. */
    public String decode(int[] idList) {
        List<String> out = new ArrayList<>(idList.length);
        for (int id : idList) {
            if (id != PAD_ID) {
                out.add(token(id));
            }
        }
        return tokenizer.join(out);
    }

    /** Decodes a vector of ids (any shape with one non-unit dimension, e.g. {@code [T]} or {@code [1,T]}). */
    public String decode(INDArray idArray) {
        if (idArray.length() != Math.max(1, maxDim(idArray.shape()))) {
            throw new IllegalArgumentException("decode expects one sequence of ids but got shape "
                    + java.util.Arrays.toString(idArray.shape()) + "; decode one row at a time, e.g. "
                    + "inputs.getRow(0)");
        }
        int[] list = new int[(int) idArray.length()];
        for (int i = 0; i < list.length; i++) {
            list[i] = (int) Math.round(idArray.getDouble(i));
        }
        return decode(list);
    }

    private static long maxDim(long[] shape) {
        long max = 0;
        for (long s : shape) {
            max = Math.max(max, s);
        }
        return max;
    }

    /** The saved form: a header line with the tokenizer, then one escaped token per line in id order. */
    public String toText() {
        StringBuilder out = new StringBuilder(TEXT_HEADER).append(tokenizer.name()).append('\n');
        for (String token : tokens) {
            out.append(escape(token)).append('\n');
        }
        return out.toString();
    }

    public static Vocab parse(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (lines.isEmpty() || !lines.get(0).startsWith(TEXT_HEADER)) {
            throw new IllegalArgumentException("not a saved vocabulary: the first line should start with '"
                    + TEXT_HEADER.trim() + "'; pass the text written by Vocab.toText()");
        }
        Tokenizer tokenizer = Tokenizer.valueOf(lines.get(0).substring(TEXT_HEADER.length()).trim());
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        List<String> tokens = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            tokens.add(unescape(line));
        }
        return of(tokens, tokenizer);
    }

    // Tokens may be newlines or backslashes themselves, so the line format escapes them.
    private static String escape(String token) {
        return token.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }

    private static String unescape(String line) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                char n = line.charAt(++i);
                out.append(switch (n) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A token as it should appear in a message: control characters spelled out. */
    static String printable(String token) {
        return escape(token).replace(" ", "\u2423");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocab v && v.tokenizer == tokenizer && v.tokens.equals(tokens);
    }

    @Override
    public int hashCode() {
        return tokenizer.hashCode() * 31 + tokens.hashCode();
    }

    @Override
    public String toString() {
        List<String> sample = new ArrayList<>();
        for (String t : tokens.subList(2, Math.min(tokens.size(), 12))) {
            sample.add(printable(t));
        }
        return "Vocab[" + size() + " " + tokenizer.name().toLowerCase() + " tokens: " + PAD + " " + UNK + " "
                + String.join(" ", sample) + (tokens.size() > 12 ? " ..." : "") + "]";
    }

}
