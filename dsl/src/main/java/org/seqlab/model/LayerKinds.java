package org.seqlab.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every layer kind a saved model can name, by the keyword that starts its saved line. Building a
 * model checks that each of its layers reads back from its own saved form, so a kind that is missing
 * here (or whose parser does not read what {@code describe()} writes) fails on its first build,
 * not when someone loads a saved model.
 */
public final class LayerKinds {
    private static final List<LayerKind> ALL = List.of(
            EmbedSpec.KIND, OneHotSpec.KIND, RnnSpec.KIND, LstmSpec.KIND, GruSpec.KIND, BidirectionalSpec.KIND,
            AttentionSpec.KIND, DropoutSpec.KIND, DenseSpec.KIND, LayerNormSpec.KIND, LastSpec.KIND, MeanPoolSpec.KIND,
            PositionalSpec.KIND, TransformerSpec.KIND, CrossAttentionSpec.KIND, TransformerDecoderSpec.KIND);
    private static final Map<String, LayerKind> BY_KEYWORD = new LinkedHashMap<>();

    static {
        for (LayerKind k : ALL) {
            if (BY_KEYWORD.put(k.keyword(), k) != null) throw new IllegalStateException("two layer kinds use " + k.keyword());
        }
    }

    private LayerKinds() {
    }

    public static List<LayerKind> all() {
        return ALL;
    }

    /** The spec a saved line ({@code lstm 512}, without the leading {@code layer}) describes. */
    public static LayerSpec parse(String savedForm) {
        SavedForm words = SavedForm.of(savedForm);
        LayerSpec spec = parse(words);
        words.requireEnd();
        return spec;
    }

    static LayerSpec parse(SavedForm words) {
        String keyword = words.word();
        LayerKind kind = BY_KEYWORD.get(keyword);
        if (kind == null) {
            throw new IllegalArgumentException("unknown layer kind '" + keyword + "'; this seqlab knows " + BY_KEYWORD.keySet());
        }
        return kind.parser().apply(words);
    }

    /** Refuses a spec whose saved form does not read back as itself (a kind author's mistake). */
    static void requireSaveable(LayerSpec spec) {
        String form = spec.describe();
        LayerSpec back;
        try {
            back = parse(form);
        } catch (RuntimeException e) {
            throw new IllegalStateException(spec.getClass().getSimpleName() + " cannot be read back from its saved form '"
                    + form + "' (" + e.getMessage() + "): declare its LayerKind and list it in LayerKinds", e);
        }
        if (!back.equals(spec)) {
            throw new IllegalStateException(spec + " reads back from its saved form '" + form + "' as " + back
                    + ": its LayerKind parser must read what describe() writes");
        }
    }
}
