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
import org.seqlab.layers.EncoderBridge;
import org.seqlab.model.ModelSpec;
import org.seqlab.model.RecurrentSpec;
import org.seqlab.model.Seq2SeqSpec;

/** Turns a validated {@link ModelSpec} (or {@link Seq2SeqSpec}) into layers wired in order, with one flat parameter buffer. */
public final class Compiler {
    public static final String OUTPUT_LAYER = "output";
    public static final String BRIDGE_LAYER = "bridge";

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

    /** An encoder-decoder: each side's layers from their specs, the bridge, the output layer over the target vocabulary. */
    public static Seq2SeqGraph compile(Seq2SeqSpec spec, DataType dtype) {
        Seq2SeqLayers l = layers(spec);
        return new Seq2SeqGraph(l.encoder(), l.bridge(), l.decoder(), l.output(), spec.sourceVocab(), spec.targetVocab(),
                spec.seed(), dtype);
    }

    /** An encoder-decoder's layers by part; {@link #all()} in parameter order. */
    record Seq2SeqLayers(List<Layer> encoder, EncoderBridge bridge, List<Layer> decoder, Dense output) {
        List<Layer> all() {
            List<Layer> all = new ArrayList<>(encoder);
            if (bridge != null) all.add(bridge);
            all.addAll(decoder);
            all.add(output);
            return all;
        }
    }

    /** The layers of an encoder-decoder; unbound (no array is allocated). */
    static Seq2SeqLayers layers(Seq2SeqSpec spec) {
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
        return new Seq2SeqLayers(encoder, bridge, decoder, output);
    }
}
