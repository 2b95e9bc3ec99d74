package org.seqlab.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Two recurrent layers over the same input, one forward in time and one backward; the output row is
 * {@code [h_fw, h_bw]} (width 2H). The backward layer processes steps T-1..0 with the masked-step
 * rule of {@link RecurrentLayer}, so with right padding each sequence's backward pass starts at its
 * own last real step (as reversing each sequence would), without copying the input.
 *
 * <p>Parameters are the sub-layers' under the prefixes {@code fw_} and {@code bw_}
 * ({@code fw_W_ih}, ..., {@code bw_b}); {@link #bind} hands each sub-layer the views under its own
 * local names. States, initial states and recorded internals are the forward layer's followed by the
 * backward layer's (recorded names prefixed the same way); step gradients are {@code [T*B, 2H]}.
 */
public final class Bidirectional extends Layer implements Recurrent, Composite {
    private static final String FW = "fw_";
    private static final String BW = "bw_";
    private final RecurrentLayer forwardLayer;
    private final RecurrentLayer backwardLayer;

    public Bidirectional(String name, Layer forwardLayer, Layer backwardLayer) {
        super(name);
        if (!(forwardLayer instanceof RecurrentLayer fw) || !(backwardLayer instanceof RecurrentLayer bw)) {
            throw new IllegalArgumentException(name + ": both directions must be recurrent layers (RNN, LSTM, GRU)");
        }
        if (fw.inputSize() != bw.inputSize()) {
            throw new IllegalArgumentException(name + ": both directions must take the same input width, got "
                    + fw.inputSize() + " and " + bw.inputSize());
        }
        if (fw == bw) throw new IllegalArgumentException(name + ": the two directions must be separate layers");
        this.forwardLayer = fw;
        this.backwardLayer = bw;
        fw.runReversed(false);
        bw.runReversed(true);
    }

    public RecurrentLayer forwardLayer() {
        return forwardLayer;
    }

    public RecurrentLayer backwardLayer() {
        return backwardLayer;
    }

    /** The forward-in-time layer, then the backward one. */
    @Override
    public List<Layer> parts() {
        return List.of(forwardLayer, backwardLayer);
    }

    @Override
    public String kind() {
        return "Bidirectional(" + forwardLayer.kind() + ")";
    }

    @Override
    public int inputSize() {
        return forwardLayer.inputSize();
    }

    @Override
    public int outputSize() {
        return forwardLayer.outputSize() + backwardLayer.outputSize();
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        List<ParamSpec> specs = new ArrayList<>();
        for (ParamSpec s : forwardLayer.paramSpecs()) specs.add(new ParamSpec(FW + s.name(), s.shape(), "forward " + s.layout()));
        for (ParamSpec s : backwardLayer.paramSpecs()) specs.add(new ParamSpec(BW + s.name(), s.shape(), "backward " + s.layout()));
        return List.copyOf(specs);
    }

    @Override
    public void bind(Params params) {
        super.bind(params);
        forwardLayer.bind(subParams(params, forwardLayer, FW));
        backwardLayer.bind(subParams(params, backwardLayer, BW));
    }

    private static Params subParams(Params all, Layer layer, String prefix) {
        Params sub = new Params();
        for (ParamSpec s : layer.paramSpecs()) sub.put(s.name(), all.value(prefix + s.name()), all.grad(prefix + s.name()));
        return sub;
    }

    @Override
    public void initialize(Random random) {
        forwardLayer.initialize(random);
        backwardLayer.initialize(random);
    }

    @Override
    public SeqTensor forward(SeqTensor input, Mode mode) {
        SeqTensor fw = forwardLayer.forward(input, mode);
        SeqTensor bw = backwardLayer.forward(input, mode);
        return fw.withData(Nd4j.hstack(fw.data(), bw.data()));
    }

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        int h = forwardLayer.outputSize();
        INDArray g = gradOutput.data();
        INDArray gFw = g.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h));
        INDArray gBw = g.get(NDArrayIndex.all(), NDArrayIndex.interval(h, g.columns()));
        SeqTensor dxFw = forwardLayer.backward(gradOutput.withData(gFw));
        SeqTensor dxBw = backwardLayer.backward(gradOutput.withData(gBw));
        return dxFw.withData(dxFw.data().addi(dxBw.data()));
    }

    @Override
    public List<INDArray> finalState() {
        List<INDArray> all = new ArrayList<>(forwardLayer.finalState());
        all.addAll(backwardLayer.finalState());
        return List.copyOf(all);
    }

    @Override
    public void resetState() {
        forwardLayer.resetState();
        backwardLayer.resetState();
    }

    /** The forward layer's initial state arrays followed by the backward layer's; null clears both. */
    public void setInitialState(List<INDArray> state) {
        if (state == null || state.isEmpty()) {
            forwardLayer.setInitialState(null);
            backwardLayer.setInitialState(null);
            return;
        }
        int n = forwardLayer.stateCount();
        if (state.size() != n + backwardLayer.stateCount()) {
            throw new IllegalArgumentException(name() + ": expects " + (n + backwardLayer.stateCount())
                    + " initial state arrays (forward's, then backward's), got " + state.size());
        }
        forwardLayer.setInitialState(state.subList(0, n));
        backwardLayer.setInitialState(state.subList(n, state.size()));
    }

    /** dL/d(initial state) of both directions, in the order of {@link #setInitialState}. */
    public List<INDArray> initialStateGradients() {
        List<INDArray> all = new ArrayList<>(forwardLayer.initialStateGradients());
        all.addAll(backwardLayer.initialStateGradients());
        return List.copyOf(all);
    }

    @Override
    public INDArray stepGradients() {
        INDArray fw = forwardLayer.stepGradients(), bw = backwardLayer.stepGradients();
        return fw == null || bw == null ? null : Nd4j.hstack(fw, bw);
    }

    @Override
    public Map<String, INDArray> recorded() {
        Map<String, INDArray> all = new LinkedHashMap<>();
        forwardLayer.recorded().forEach((k, v) -> all.put(FW + k, v));
        backwardLayer.recorded().forEach((k, v) -> all.put(BW + k, v));
        return all;
    }
}
