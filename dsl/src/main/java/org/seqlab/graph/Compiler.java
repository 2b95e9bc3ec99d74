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
import org.seqlab.model.RecurrentSpec;
import org.seqlab.model.Seq2SeqSpec;
import org.seqlab.layers.EncoderBridge;

/** Turns a validated {@link ModelSpec} into layers wired in order, with one flat parameter buffer. */
public final class Compiler {
    public static final String OUTPUT_LAYER = "output";
    public static final String BRIDGE_LAYER = "bridge";

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

    /** An encoder-decoder: each side's layers from their specs, the bridge, the output layer over the target vocabulary. */
    public static Seq2SeqGraph compile(Seq2SeqSpec spec, DataType dtype) {
        List<Layer> encoder = new ArrayList<>();
        for (int i = 0; i < spec.encoderPlan().size(); i++) encoder.add(spec.encoderPlan().get(i).spec().compile(spec.encoderContext(i)));
        List<Layer> decoder = new ArrayList<>();
        for (int i = 0; i < spec.decoderPlan().size(); i++) decoder.add(spec.decoderPlan().get(i).spec().compile(spec.decoderContext(i)));
        EncoderBridge bridge = null;
        if (spec.bridgedLayer() >= 0) {
            int units = ((RecurrentSpec) spec.decoderPlan().get(spec.bridgedLayer()).spec()).units();
            bridge = new EncoderBridge(BRIDGE_LAYER, spec.memoryWidth(), units, spec.bridgeSummary());
        }
        Dense output = new Dense(OUTPUT_LAYER, spec.decoderWidth(), spec.targetVocab().size(), Activation.IDENTITY);
        return new Seq2SeqGraph(encoder, bridge, decoder, output, spec.sourceVocab(), spec.targetVocab(), spec.seed(), dtype);
    }
}
