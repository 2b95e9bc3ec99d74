package org.seqlab.model;

import java.util.function.Function;

/**
 * How a layer kind's saved form is read back: the keyword that starts it ({@code lstm}) and a parser
 * for the words after it. Each spec record declares its own as {@code KIND}; {@link LayerKinds} lists them.
 */
public record LayerKind(String keyword, Function<SavedForm, LayerSpec> parser) {

    /** {@code keyword} followed by the arguments, space-separated: the text {@code describe()} returns. */
    public String form(Object... arguments) {
        StringBuilder s = new StringBuilder(keyword);
        for (Object a : arguments) if (a != null && !a.toString().isEmpty()) s.append(' ').append(a);
        return s.toString();
    }
}
