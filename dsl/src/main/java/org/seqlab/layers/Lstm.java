package org.seqlab.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
    private static final int H_STATE = 0;
    private static final int C_STATE = 1;

    /** {@code [T*B, H]}: tanh(c_t) of each step, kept for backward (saves recomputing it). */
    private INDArray tanhC;
    private FlatView tanhCFlat;
    /** dL/dc flowing backwards, updated in place step by step. */
    private INDArray dc;
    private FlatView dcFlat;

    public Lstm(String name, int inputSize, int hidden) {
        super(name, inputSize, hidden, 4);
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
    protected int stateCount() {
        return 2;
    }

    @Override
    protected String inputBiasName() {
        return "b";
    }

    @Override
    protected void allocateExtra() {
        tanhC = Nd4j.create(dtype, (long) time * batch, hidden);
        tanhCFlat = FlatView.of(tanhC);
    }

    @Override
    protected void forwardStep(int t, int prev, int cur) {
        Nd4j.gemm(stateSteps[H_STATE][prev], params.value("W_hh"), preSteps[t], false, false, 1.0, 1.0);
        FlatView a = preFlat, h = stateFlat[H_STATE], c = stateFlat[C_STATE];
        int hs = hidden;
        for (int b = 0; b < batch; b++) {
            int row = t * batch + b;
            boolean real = isReal(row);
            int g0 = row * 4 * hs, p0 = (prev * batch + b) * hs, s0 = (cur * batch + b) * hs, r0 = row * hs;
            for (int j = 0; j < hs; j++) {
                double i = sigmoid(a.get(g0 + j));
                double f = sigmoid(a.get(g0 + hs + j));
                double g = tanh(a.get(g0 + 2 * hs + j));
                double o = sigmoid(a.get(g0 + 3 * hs + j));
                a.set(g0 + j, i);
                a.set(g0 + hs + j, f);
                a.set(g0 + 2 * hs + j, g);
                a.set(g0 + 3 * hs + j, o);
                double cPrev = c.get(p0 + j);
                if (real) {
                    double cNew = f * cPrev + i * g;
                    double tc = tanh(cNew);
                    double hNew = o * tc;
                    tanhCFlat.set(r0 + j, tc);
                    c.set(s0 + j, cNew);
                    h.set(s0 + j, hNew);
                    outFlat.set(r0 + j, hNew);
                } else {
                    tanhCFlat.set(r0 + j, 0.0);
                    c.set(s0 + j, cPrev);
                    h.set(s0 + j, h.get(p0 + j));
                    outFlat.set(r0 + j, 0.0);
                }
            }
        }
    }

    @Override
    protected void prepareBackwardExtra(boolean allocate) {
        if (allocate) {
            dc = Nd4j.create(dtype, batch, hidden);
            dcFlat = FlatView.of(dc);
        }
        dc.assign(0);
    }

    /*
     * With ds = dL/dh_t (from the output and from step t+1) and dc = dL/dc_t (from step t+1):
     *   dL/do = ds * tanh(c_t)                     da_o = dL/do * o(1-o)
     *   dc   += ds * o * (1 - tanh(c_t)^2)         (h_t = o tanh(c_t))
     *   da_i = dc * g * i(1-i)    da_f = dc * c_{t-1} * f(1-f)    da_g = dc * i * (1-g^2)
     *   dL/dc_{t-1} = dc * f       dL/dh_{t-1} = da W_hh^T
     * A padded step passes ds and dc through unchanged and has zero gate gradients.
     */
    @Override
    protected void backwardStep(int t, int prev, int cur, FlatView gradOut) {
        FlatView a = preFlat, c = stateFlat[C_STATE], da = dPreFlat;
        int hs = hidden;
        for (int b = 0; b < batch; b++) {
            int row = t * batch + b;
            int g0 = row * 4 * hs, p0 = (prev * batch + b) * hs, r0 = row * hs, b0 = b * hs;
            if (!isReal(row)) {
                for (int j = 0; j < hs; j++) {
                    dhNextFlat.set(b0 + j, dhFlat.get(b0 + j));
                    stepGradFlat.set(r0 + j, 0.0);
                }
                for (int j = 0; j < 4 * hs; j++) da.set(g0 + j, 0.0);
                continue;
            }
            for (int j = 0; j < hs; j++) {
                double ds = dhFlat.get(b0 + j) + gradOut.get(r0 + j);
                stepGradFlat.set(r0 + j, ds);
                double i = a.get(g0 + j), f = a.get(g0 + hs + j), g = a.get(g0 + 2 * hs + j), o = a.get(g0 + 3 * hs + j);
                double tc = tanhCFlat.get(r0 + j);
                double dcT = dcFlat.get(b0 + j) + ds * o * (1.0 - tc * tc);
                da.set(g0 + j, dcT * g * i * (1.0 - i));
                da.set(g0 + hs + j, dcT * c.get(p0 + j) * f * (1.0 - f));
                da.set(g0 + 2 * hs + j, dcT * i * (1.0 - g * g));
                da.set(g0 + 3 * hs + j, ds * tc * o * (1.0 - o));
                dcFlat.set(b0 + j, dcT * f);
                dhNextFlat.set(b0 + j, 0.0);
            }
        }
        Nd4j.gemm(dPreSteps[t], params.value("W_hh"), dhNext, false, true, 1.0, 1.0);
    }

    @Override
    protected void addInitialStateGradients(List<INDArray> grads) {
        grads.add(dc.dup());
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
