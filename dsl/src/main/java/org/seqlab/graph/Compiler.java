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
import org.seqlab.model.Head;
import org.seqlab.model.ModelSpec;

/** Turns a validated {@link ModelSpec} into layers wired in order, with one flat parameter buffer. */
public final class Compiler {
    public static final String OUTPUT_LAYER = "output";

    private Compiler() {
    }

    public static CompiledModel compile(ModelSpec spec, DataType dtype) {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < spec.plan().size(); i++) {
            layers.add(spec.plan().get(i).spec().compile(spec.compileContext(i)));
        }
        Head head = spec.head();
        Activation none = Activation.IDENTITY;
        layers.add(new Dense(OUTPUT_LAYER, spec.featureWidth(), head.units(), none));
        Loss loss = switch (head.kind()) {
            case SOFTMAX -> new SoftmaxCrossEntropy();
            case SIGMOID -> new SigmoidCrossEntropy();
            case LINEAR -> new MeanSquaredError();
        };
        return new CompiledModel(spec, layers, loss, dtype);
    }
}
