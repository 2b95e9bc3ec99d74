package org.seqlab.model;

import org.seqlab.layers.LayerRules;

/**
 * Where a layer sits while its spec is checked: its position and name (for messages that say which
 * layer is wrong) and what its stack reads. {@link #refuse} makes the exception; the helpers hold
 * the checks that several kinds share.
 */
public record PlanContext(int position, String name, InputSpec stackInput) {

    /** {@code layer 3 (attention_1)}. */
    public String where() {
        return "layer " + position + " (" + name + ")";
    }

    public ModelSpecException refuse(String problemAndFix) {
        return new ModelSpecException(where() + ": " + problemAndFix);
    }

    /** Refuses {@code problem} when it is not null (the problems of {@link LayerRules}). */
    public void require(String problem) {
        if (problem != null) throw refuse(problem);
    }

    public void positive(String what, int value) {
        require(LayerRules.positive(what, value));
    }

    /** Embedding kinds read token ids, so they come first and only once. */
    public void needsTokenIds(Flow in) {
        if (in.isTokenIds()) return;
        if (!stackInput.isTokens()) {
            throw refuse("embed()/oneHot() read token ids, but the model reads " + stackInput.features()
                    + " real features per step; remove it or declare .vocab(n)");
        }
        throw refuse("the tokens are already embedded; use embed()/oneHot() once, first");
    }

    /** Layers that mix steps (recurrence, attention, positions) need the steps still there. */
    public void needsSequence(Flow in, String what) {
        if (in.isPooled()) {
            throw refuse(what + " needs a sequence, but an earlier last()/meanPool() reduced it to one vector; "
                    + "move the pooling after it");
        }
    }
}
