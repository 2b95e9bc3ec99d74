package org.seqlab.graph;

import org.seqlab.data.SequenceDataset;
import org.seqlab.data.TargetKind;
import org.seqlab.model.Head;
import org.seqlab.train.FitOptions;

/** Refuses a sequence dataset (or options) that does not fit a sequence model, before any step runs. */
final class SequenceDataChecks {

    private SequenceDataChecks() {
    }

    static void check(CompiledModel model, SequenceDataset data, FitOptions options) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("the training data is empty: give at least one example");
        }
        if (options.teacherForcing() != 1) {
            throw new IllegalArgumentException("teacherForcing(" + options.teacherForcing() + ") is for encoder-decoders "
                    + "(Seq.seq2seq(...)), whose decoder reads its own output; remove it for this model");
        }
        var spec = model.spec();
        Head head = spec.head();
        TargetKind kind = data.targetKind();
        boolean perStepData = kind == TargetKind.CLASS_PER_STEP || kind == TargetKind.VALUES_PER_STEP;
        if (perStepData != spec.perStep()) {
            throw new IllegalArgumentException(perStepData
                    ? "the data has a target for every step, but the model pools the sequence (last()/meanPool()); "
                      + "remove the pooling or use one label per sequence"
                    : "the data has one target per sequence, but the model predicts every step; add .last() or "
                      + ".meanPool() before the head");
        }
        boolean classData = kind == TargetKind.CLASS_PER_STEP || kind == TargetKind.CLASS_PER_SEQUENCE;
        if (head.kind() == Head.Kind.SOFTMAX) {
            if (!classData) throw new IllegalArgumentException("softmax predicts classes, but the data has real-valued "
                    + "targets; use .linear(" + data.targetSize() + ") for regression");
            if (data.targetSize() > head.units()) {
                throw new IllegalArgumentException("the data has " + data.targetSize() + " classes but the head has "
                        + head.units() + "; use .softmax(" + data.targetSize() + ")");
            }
        } else if (head.kind() == Head.Kind.LINEAR) {
            if (classData) throw new IllegalArgumentException("linear() predicts real values, but the data has class "
                    + "labels; use .softmax(" + data.targetSize() + ")");
            if (data.targetSize() != head.units()) {
                throw new IllegalArgumentException("the data has " + data.targetSize() + " target values per example but "
                        + "the head has " + head.units() + "; use .linear(" + data.targetSize() + ")");
            }
        }
        if (spec.input().isTokens()) {
            if (data.vocabSize() == 0) {
                throw new IllegalArgumentException("the model reads token ids but the data has real-valued inputs; "
                        + "declare the model with .features(" + data.featureSize() + ")");
            }
            if (data.vocabSize() > spec.input().vocabSize()) {
                throw new IllegalArgumentException("the data uses " + data.vocabSize() + " token ids but the model's "
                        + "vocabulary has " + spec.input().vocabSize() + "; build the model with .vocab(" + data.vocabSize() + ")");
            }
        } else if (data.vocabSize() > 0 || data.featureSize() != spec.input().features()) {
            throw new IllegalArgumentException("the model reads " + spec.input().features() + " features per step but the data has "
                    + (data.vocabSize() > 0 ? "token ids" : data.featureSize() + " features"));
        }
        int maxPositions = model.maxPositions();
        if (maxPositions < Integer.MAX_VALUE) {
            if (data.contiguous()) {
                throw new IllegalArgumentException("the model's learned positions (positional(" + maxPositions + ")) count "
                        + "from the start of a sequence, but contiguous streams continue one sequence from batch to batch, past "
                        + maxPositions + " steps; train on windows (TextWindows.of(text, vocab, window, stride) with window <= "
                        + maxPositions + ") or use positional() (sinusoidal, any length)");
            }
            if (data.maxLength() > maxPositions) {
                throw new IllegalArgumentException("the data has sequences of " + data.maxLength() + " steps but the model's "
                        + "learned positions stop at " + maxPositions + "; use positional(" + data.maxLength() + ") or shorter "
                        + "sequences");
            }
        }
        if (model.dtype() == org.nd4j.linalg.api.buffer.DataType.FLOAT && options.optimizer().learningRate() > Float.MAX_VALUE) {
            throw new IllegalArgumentException("the learning rate " + options.optimizer().learningRate() + " is beyond what float "
                    + "can hold (" + Float.MAX_VALUE + "), and this model computes in float; use a learning rate such as 1e-3");
        }
        if (options.tbptt() > 0 && !spec.perStep()) {
            throw new IllegalArgumentException("truncated BPTT needs a target at every step; this model predicts one "
                    + "per sequence: remove .tbptt(" + options.tbptt() + ")");
        }
    }
}
