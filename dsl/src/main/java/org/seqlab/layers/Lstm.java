package org.seqlab.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Long short-term memory (Hochreiter and Schmidhuber 1997, with the forget gate), with PyTorch's
 * equations and gate order:
 * <pre>
 *   [a_i a_f a_g a_o] = x_t W_ih + h_{t-1} W_hh + b      (column blocks of width H)
 *   i = sigmoid(a_i)  f = sigmoid(a_f)  g = tanh(a_g)  o = sigmoid(a_o)
 *   c_t = f * c_{t-1} + i * g        h_t = o * tanh(c_t)
 * </pre>
 * Parameters: {@code W_ih [in, 4H]} (= torch {@code weight_ih_l0}^T), {@code W_hh [H, 4H]}
 * (= {@code weight_hh_l0}^T), {@code b [4H]} (= {@code bias_ih_l0 + bias_hh_l0}).
 * Recorded internals: {@code i, f, g, o, c, h}, each {@code [T*B, H]}, zero at padded steps.
 */
public final class Lstm extends RecurrentLayer {
    /** Initial forget-gate bias: start by remembering (Gers et al. 2000; Jozefowicz et al. 2015). */
    public static final double DEFAULT_FORGET_BIAS = 1.0;
    private static final int C_STATE = 1;

    // Lanes of one step (see RecurrentLayer.Layout).
    private static final int I = 0, F = 1, G = 2, O = 3;             // gates: pre-activation in, activation out
    private static final int DI = 4, DF = 5, DG = 6, DO = 7;         // dL/d(pre-activation) of each gate
    private static final int H_PREV = 8, C_PREV = 9, H = 10, C = 11; // states before and after the step
    private static final int TANH_C = 12;                             // tanh(c_t), saved for backward
    private static final int DH = 13, DC = 14;                        // dL/dh_t; dL/dc_t, then dL/dc_{t-1} in place
    private static final Layout LAYOUT = new Layout(15, new int[] {I, F, G, O}, new int[] {DI, DF, DG, DO},
            new int[] {H_PREV, C_PREV}, new int[] {H, C}, new int[] {DH, DC}, new int[] {Layout.NONE, DC},
            new int[] {TANH_C}, new int[0], new int[0]);

    public Lstm(String name, int inputSize, int hidden) {
        super(name, inputSize, hidden, LAYOUT);
    }

    @Override
    public String kind() {
        return "LSTM";
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        long h = hidden;
        return List.of(
                spec("W_ih", "[in, 4H] gate column blocks i, f, g, o; x_t W_ih", inputSize, 4 * h),
                spec("W_hh", "[H, 4H] gate column blocks i, f, g, o; h_{t-1} W_hh", h, 4 * h),
                spec("b", "[4H] gate blocks i, f, g, o (PyTorch bias_ih + bias_hh)", 4 * h));
    }

    @Override
    public void initialize(Random random) {
        fillUniform(params.value("W_ih"), random);
        fillUniform(params.value("W_hh"), random);
        INDArray b = params.value("b");
        fillUniform(b, random);
        b.get(NDArrayIndex.interval(hidden, 2L * hidden)).assign(DEFAULT_FORGET_BIAS);
    }

    @Override
    protected String inputBiasName() {
        return "b";
    }

    @Override
    protected void forwardCell(StepLanes x) {
        x.sigmoid(I);
        x.sigmoid(F);
        x.tanh(G);
        x.sigmoid(O);
        x.mulAdd(C, F, C_PREV, I, G); // c_t = f c_{t-1} + i g
        x.tanhOf(TANH_C, C);
        x.mul(H, O, TANH_C);          // h_t = o tanh(c_t)
    }

    /*
     * With dh = dL/dh_t (from the output and from step t+1) and dc = dL/dc_t (from step t+1):
     *   da_o = dh tanh(c_t) o(1-o)        dc += dh o (1 - tanh(c_t)^2)
     *   da_i = dc g i(1-i)    da_f = dc c_{t-1} f(1-f)    da_g = dc i (1-g^2)
     *   dL/dc_{t-1} = dc f    dL/dh_{t-1} = da W_hh^T (the shared mechanics' gemm)
     */
    @Override
    protected void backwardCell(StepLanes x) {
        x.sigmoidGrad(DO, DH, TANH_C, O);
        x.addTanhGrad(DC, DH, O, TANH_C);
        x.sigmoidGrad(DI, DC, G, I);
        x.sigmoidGrad(DF, DC, C_PREV, F);
        x.tanhGrad(DG, DC, I, G);
        x.mul(DC, DC, F);
    }

    /** Gates i, f, g, o (the blocks of W_ih), then the states c and h. */
    @Override
    public List<Gate> recordedGates() {
        return List.of(Gate.sigmoid("i", "input gate i"), Gate.sigmoid("f", "forget gate f"),
                Gate.tanh("g", "candidate g"), Gate.sigmoid("o", "output gate o"), Gate.free("c", "cell state c"), Gate.HIDDEN);
    }

    @Override
    protected Map<String, INDArray> record(INDArray output) {
        Map<String, INDArray> r = new LinkedHashMap<>();
        String[] names = {"i", "f", "g", "o"};
        for (int k = 0; k < 4; k++) {
            r.put(names[k], maskedCopy(pre.get(NDArrayIndex.all(), NDArrayIndex.interval((long) k * hidden, (long) (k + 1) * hidden))));
        }
        r.put("c", maskedCopy(statesInTimeOrder(C_STATE)));
        r.put("h", output.dup());
        return r;
    }
}
