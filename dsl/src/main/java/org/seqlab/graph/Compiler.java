package org.seqlab.graph;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.seqlab.layers.Activation;
import org.seqlab.layers.Dense;
import org.seqlab.layers.Layer;
import org.seqlab.layers.Loss;
import org.seqlab.layers.MeanSquaredError;
import org.seqlab.layers.SigmoidCrossEntropy;
import org.seqlab.layers.SoftmaxCrossEntropy;
import org.seqlab.model.ModelSpec;

/** Turns a validated {@link ModelSpec} into layers wired in order, with one flat parameter buffer. */
public final class Compiler {
    public static final String OUTPUT_LAYER = "output";

    private Compiler() {
    }

    public static CompiledModel compile(ModelSpec spec, DataType dtype) {
        Loss loss = switch (spec.head().kind()) {
            case SOFTMAX -> new SoftmaxCrossEntropy();
            case SIGMOID -> new SigmoidCrossEntropy();
            case LINEAR -> new MeanSquaredError();
        };
        return new CompiledModel(spec, layers(spec), loss, dtype);
    }

    /** The layers of {@code spec} in order, the output layer last; unbound (no array is allocated). */
    static List<Layer> layers(ModelSpec spec) {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < spec.plan().size(); i++) {
            layers.add(spec.plan().get(i).spec().compile(spec.compileContext(i)));
        }
        layers.add(new Dense(OUTPUT_LAYER, spec.featureWidth(), spec.head().units(), Activation.IDENTITY));
        return layers;
    }
}
