package org.seqlab.metrics;

import java.util.List;
import java.util.Objects;

/** The fraction of hypotheses equal to their reference, token for token. */
public final class ExactMatch {

    private ExactMatch() {
    }

    public static <T> double rate(List<? extends List<T>> hypotheses, List<? extends List<T>> references) {
        Objects.requireNonNull(hypotheses, "hypotheses");
        Objects.requireNonNull(references, "references");
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException(hypotheses.size() + " hypotheses but " + references.size()
                    + " references; give one reference per hypothesis, in the same order");
        }
        if (hypotheses.isEmpty()) throw new IllegalArgumentException("exact match of an empty set is undefined; give at least one pair");
        int equal = 0;
        for (int i = 0; i < hypotheses.size(); i++) if (hypotheses.get(i).equals(references.get(i))) equal++;
        return equal / (double) hypotheses.size();
    }
}
