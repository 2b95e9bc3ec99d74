package org.seqlab.data;

import java.util.ArrayList;
import java.util.List;

/** How a vocabulary cuts text into tokens, and how it joins tokens back into text. */
public enum Tokenizer {
    /** every Unicode code point is a token (whitespace and newlines included) */
    CHARS,
    /**
     * runs of letters, digits and apostrophes are tokens, every other visible character is a token of
     * its own, a newline is the token {@code "\n"}, other whitespace only separates tokens
     */
    WORDS;

    public List<String> split(String text) {
        List<String> tokens = new ArrayList<>();
        if (this == CHARS) {
            text.codePoints().forEach(cp -> tokens.add(new String(Character.toChars(cp))));
            return tokens;
        }
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (cp == '\n') {
                tokens.add("\n");
            } else if (isWordPart(cp)) {
                int end = next;
                while (end < text.length() && isWordPart(text.codePointAt(end))) {
                    end += Character.charCount(text.codePointAt(end));
                }
                tokens.add(text.substring(i, end));
                next = end;
            } else if (!Character.isWhitespace(cp)) {
                tokens.add(text.substring(i, next));
            }
            i = next;
        }
        return tokens;
    }

    /** The inverse of {@link #split} up to whitespace: words are joined by one space, lines by newlines. */
    public String join(List<String> tokens) {
        if (this == CHARS) {
            return String.join("", tokens);
        }
        StringBuilder out = new StringBuilder();
        for (String token : tokens) {
            boolean lineStart = out.length() == 0 || out.charAt(out.length() - 1) == '\n';
            if (!lineStart && !token.equals("\n")) {
                out.append(' ');
            }
            out.append(token);
        }
        return out.toString();
    }

    private static boolean isWordPart(int cp) {
        return Character.isLetterOrDigit(cp) || cp == '\'';
    }
}
