package org.seqlab.graph;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.seqlab.layers.Activation;
import org.seqlab.layers.Bidirectional;
import org.seqlab.layers.Dense;
import org.seqlab.layers.Dropout;
import org.seqlab.layers.Embedding;
import org.seqlab.layers.Gru;
import org.seqlab.layers.LastStep;
import org.seqlab.layers.Layer;
import org.seqlab.layers.LayerNorm;
import org.seqlab.layers.Loss;
import org.seqlab.layers.Lstm;
import org.seqlab.layers.MeanPool;
import org.seqlab.layers.MeanSquaredError;
import org.seqlab.layers.MultiHeadAttention;
import org.seqlab.layers.OneHot;
import org.seqlab.layers.SigmoidCrossEntropy;
import org.seqlab.layers.SimpleRnn;
import org.seqlab.layers.SoftmaxCrossEntropy;
import org.seqlab.model.LayerSpec;
import org.seqlab.model.ModelSpec;

/** Turns a validated {@link ModelSpec} into layers wired in order, with one flat parameter buffer. */
public final class Compiler {
    public static final String OUTPUT_LAYER = "output";
    private static final double LAYER_NORM_EPS = 1e-5;

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
        for (ModelSpec.PlannedLayer p : spec.plan()) {
            layers.add(layer(spec, p));
        }
        layers.add(new Dense(OUTPUT_LAYER, spec.featureWidth(), spec.head().units(), Activation.IDENTITY));
        return layers;
    }

    private static Layer layer(ModelSpec spec, ModelSpec.PlannedLayer p) {
        String name = p.name();
        int in = p.inputWidth();
        LayerSpec s = p.spec();
        if (s instanceof LayerSpec.Embed e) return new Embedding(name, spec.input().vocabSize(), e.dim());
        if (s instanceof LayerSpec.OneHot) return new OneHot(name, spec.input().vocabSize());
        if (s instanceof LayerSpec.Bidirectional b) {
            return new Bidirectional(name, recurrent(name + "_fw", b.inner(), in), recurrent(name + "_bw", b.inner(), in));
        }
        if (s instanceof LayerSpec.Rnn || s instanceof LayerSpec.Lstm || s instanceof LayerSpec.Gru) {
            return recurrent(name, s, in);
        }
        if (s instanceof LayerSpec.Attention a) {
            return new MultiHeadAttention(name, in, a.heads(), spec.causal(a), a.residual());
        }
        if (s instanceof LayerSpec.Dropout d) return new Dropout(name, in, d.rate());
        if (s instanceof LayerSpec.Dense d) return new Dense(name, in, d.units(), d.activation());
        if (s instanceof LayerSpec.LayerNorm) return new LayerNorm(name, in, LAYER_NORM_EPS);
        if (s instanceof LayerSpec.Last) return new LastStep(name, in);
        if (s instanceof LayerSpec.MeanPool) return new MeanPool(name, in);
        throw new IllegalStateException("no layer for " + s.describe());
    }

    private static Layer recurrent(String name, LayerSpec s, int in) {
        if (s instanceof LayerSpec.Rnn r) return new SimpleRnn(name, in, r.units(), r.activation(), r.identityInit());
        if (s instanceof LayerSpec.Lstm l) return new Lstm(name, in, l.units());
        if (s instanceof LayerSpec.Gru g) return new Gru(name, in, g.units());
        throw new IllegalStateException("not recurrent: " + s.describe());
    }
}
