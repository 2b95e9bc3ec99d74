package org.seqlab.data;

/** What a dataset asks the model to predict; the compiler checks it against the model's head. */
public enum TargetKind {
    /** a class id for every step (next-token language modelling, tagging) */
    CLASS_PER_STEP,
    /** one class id per sequence (classification) */
    CLASS_PER_SEQUENCE,
    /** a real vector for every step */
    VALUES_PER_STEP,
    /** one real vector per sequence (regression, the adding problem) */
    VALUES_PER_SEQUENCE
}
