package org.seqlab.data;

/** Placeholder replaced by the data work: token <-> id mapping with padding and unknown ids. */
public interface Vocab {
    int size();
}
