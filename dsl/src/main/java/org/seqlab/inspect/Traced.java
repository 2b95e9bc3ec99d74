package org.seqlab.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqlab.graph.CompiledModel;
import org.seqlab.layers.Composite;
import org.seqlab.layers.Layer;
import org.seqlab.layers.Mode;
import org.seqlab.layers.SeqTensor;

/**
 * Runs the model's own forward pass with {@code Mode.record()} on, so the layers keep what they
 * computed (gates, states, attention weights): the pictures show exactly what training computes.
 * Evaluation mode (no dropout), state reset before and after so inspection never disturbs a model
 * that carries state.
 */
final class Traced {
    private Traced() {
    }

    /** Inference with recording; returns each layer's output, in layer order. */
    static List<SeqTensor> forward(CompiledModel model, InspectInput input) {
        Mode mode = new Mode(false, false, true, new Random(0));
        model.resetState();
        try {
            List<SeqTensor> outputs = new ArrayList<>();
            SeqTensor x = input.tensor(model);
            for (Layer layer : model.layers()) {
                x = layer.forward(x, mode);
                outputs.add(x);
            }
            return outputs;
        } finally {
            model.resetState();
        }
    }

    /**
     * The layers, with each composite replaced by its parts, recursively: a bidirectional layer by its
     * two directions ({@code <name>_fw/_bw}), a transformer by its blocks' parts.
     */
    static List<Layer> unwrapped(CompiledModel model) {
        List<Layer> out = new ArrayList<>();
        for (Layer l : model.layers()) unwrap(l, out);
        return out;
    }

    private static void unwrap(Layer layer, List<Layer> out) {
        if (layer instanceof Composite c) {
            for (Layer part : c.parts()) unwrap(part, out);
        } else {
            out.add(layer);
        }
    }

    /** {@code [T*1, W]} time-major rows of one sequence as {@code [T][W]} doubles. */
    static double[][] matrix(INDArray rows) {
        return rows.castTo(DataType.DOUBLE).toDoubleMatrix();
    }
}
