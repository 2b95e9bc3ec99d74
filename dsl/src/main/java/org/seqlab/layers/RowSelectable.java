package org.seqlab.layers;

/**
 * A layer that carries per-sequence state between calls (recurrent state, key/value caches, a
 * memory) and can keep only some sequences of it: decoding drops finished sentences and beam search
 * keeps, and may duplicate, the rows of the hypotheses it continues.
 */
public interface RowSelectable {

    /** Keeps the carried state of sequences {@code rows} (in that order, repeats allowed) as the new batch. */
    void selectRows(int[] rows);
}
