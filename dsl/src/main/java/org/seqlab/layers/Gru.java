package org.seqlab.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Gated recurrent unit (Cho et al. 2014) with PyTorch's equations and gate order r, z, n:
 * <pre>
 *   r = sigmoid(x W_ir + b_ir + h W_hr + b_hr)     z = sigmoid(x W_iz + b_iz + h W_hz + b_hz)
 *   n = tanh(x W_in + b_in + r * (h W_hn + b_hn))  h' = (1 - z) * n + z * h
 * </pre>
 * The reset gate multiplies the recurrent part of n including its bias, so the two biases cannot
 * be summed as for LSTM. Parameters: {@code W_ih [in, 3H]} (= torch {@code weight_ih_l0}^T),
 * {@code W_hh [H, 3H]}, {@code b_ih [3H]}, {@code b_hh [3H]}, column blocks r, z, n.
 * Recorded internals: {@code r, z, n, h}, each {@code [T*B, H]}, zero at padded steps.
 */
public final class Gru extends RecurrentLayer {
    // Lanes of one step (see RecurrentLayer.Layout).
    private static final int R = 0, Z = 1, N = 2;        // gates: input part (+ b_ih) in, activations out
    private static final int DR = 3, DZ = 4, DN = 5;     // dL/d(pre-activation) of each gate
    private static final int REC_R = 6, REC_Z = 7, REC_N = 8; // h_{t-1} W_hh + b_hh, per block
    private static final int DREC_N = 9;                 // dL/d(h_{t-1} W_hn + b_hn) = da_n r
    private static final int H_PREV = 10, H = 11, DH = 12, DH_DIRECT = 13, TMP = 14;
    private static final Layout LAYOUT = new Layout(15, new int[] {R, Z, N}, new int[] {DR, DZ, DN},
            new int[] {H_PREV}, new int[] {H}, new int[] {DH}, new int[] {DH_DIRECT},
            new int[0], new int[] {REC_R, REC_Z, REC_N}, new int[] {DR, DZ, DREC_N});

    public Gru(String name, int inputSize, int hidden) {
        super(name, inputSize, hidden, LAYOUT);
    }

    @Override
    public String kind() {
        return "GRU";
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        long h = hidden;
        return List.of(
                spec("W_ih", "[in, 3H] gate column blocks r, z, n; x_t W_ih", inputSize, 3 * h),
                spec("W_hh", "[H, 3H] gate column blocks r, z, n; h_{t-1} W_hh", h, 3 * h),
                spec("b_ih", "[3H] input biases r, z, n", 3 * h),
                spec("b_hh", "[3H] recurrent biases r, z, n (b_hn is gated by r)", 3 * h));
    }

    @Override
    public void initialize(Random random) {
        for (String p : List.of("W_ih", "W_hh", "b_ih", "b_hh")) fillUniform(params.value(p), random);
    }

    @Override
    protected String inputBiasName() {
        return "b_ih";
    }

    @Override
    protected String recurrentBiasName() {
        return "b_hh";
    }

    @Override
    protected void forwardCell(StepLanes x) {
        x.add(R, REC_R);
        x.sigmoid(R);                // r = sigmoid(x W_ir + b_ir + h W_hr + b_hr)
        x.add(Z, REC_Z);
        x.sigmoid(Z);                // z = sigmoid(x W_iz + b_iz + h W_hz + b_hz)
        x.addMul(N, R, REC_N);
        x.tanh(N);                   // n = tanh(x W_in + b_in + r (h W_hn + b_hn))
        x.lerp(H, Z, N, H_PREV);     // h_t = (1 - z) n + z h_{t-1}
    }

    /*
     * With dh = dL/dh_t:
     *   da_n = dh (1-z) (1-n^2)   da_z = dh (h_{t-1} - n) z(1-z)   da_r = da_n (h W_hn + b_hn) r(1-r)
     * The input side gets [da_r, da_z, da_n]; the recurrent side [da_r, da_z, da_n r], and
     * dL/dh_{t-1} = dh z + [da_r, da_z, da_n r] W_hh^T (the shared mechanics' gemm).
     */
    @Override
    protected void backwardCell(StepLanes x) {
        x.oneMinus(TMP, Z);
        x.tanhGrad(DN, DH, TMP, N);
        x.difference(TMP, H_PREV, N);
        x.sigmoidGrad(DZ, DH, TMP, Z);
        x.sigmoidGrad(DR, DN, REC_N, R);
        x.mul(DREC_N, DN, R);
        x.mul(DH_DIRECT, DH, Z);
    }

    /** Gates r, z and candidate n (the blocks of W_ih), then the state h. */
    @Override
    public List<Gate> recordedGates() {
        return List.of(Gate.sigmoid("r", "reset gate r"), Gate.sigmoid("z", "update gate z"),
                Gate.tanh("n", "candidate n"), Gate.HIDDEN);
    }

    @Override
    protected Map<String, INDArray> record(INDArray output) {
        Map<String, INDArray> r = new LinkedHashMap<>();
        String[] names = {"r", "z", "n"};
        for (int k = 0; k < 3; k++) {
            r.put(names[k], maskedCopy(pre.get(NDArrayIndex.all(), NDArrayIndex.interval((long) k * hidden, (long) (k + 1) * hidden))));
        }
        r.put("h", output.dup());
        return r;
    }
}
