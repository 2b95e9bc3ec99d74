package org.seqlab.model;

import org.seqlab.layers.LayerRules;

/**
 * Where a layer sits while its spec is checked: its position and name (for messages that say which
 * layer is wrong), what its stack reads and, in a decoder, what it may attend to (the encoder's
 * output; null elsewhere). {@link #refuse} makes the exception; the helpers hold the checks that
 * several kinds share.
 */
public record PlanContext(int position, String name, InputSpec stackInput, Flow memory) {

    /** A layer of a stack that attends to nothing (every stack but a decoder's). */
    public PlanContext(int position, String name, InputSpec stackInput) {
        this(position, name, stackInput, null);
    }

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

    /** The encoder output a cross-attention kind reads; refuses outside an encoder-decoder's decoder. */
    public Flow needsMemory(String what) {
        if (memory != null) return memory;
        throw refuse(what + " attends to an encoder's output, so it belongs in the decoder of an encoder-decoder: "
                + "Seq.seq2seq(sourceVocab, targetVocab).encoder(e -> ...).decoder(d -> ...)");
    }

    /** Layers that mix steps (recurrence, attention, positions) need the steps still there. */
    public void needsSequence(Flow in, String what) {
        if (in.isPooled()) {
            throw refuse(what + " needs a sequence, but an earlier last()/meanPool() reduced it to one vector; "
                    + "move the pooling after it");
        }
    }
}
