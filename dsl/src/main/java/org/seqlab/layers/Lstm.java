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
    /** Scratch rows of one step: c_{t-1}, c_t, tanh(c_t); and dL/dc flowing backwards (in place). */
    private double[] cPrevRows;
    private double[] cNewRows;
    private double[] tanhCRows;
    private double[] dcRows;

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
        int cells = batch * hidden;
        cPrevRows = new double[cells];
        cNewRows = new double[cells];
        tanhCRows = new double[cells];
        dcRows = new double[cells];
    }

    @Override
    protected void forwardStep(int t, int prev, int cur) {
        Blas.gemm(stateSteps[H_STATE][prev], params.value("W_hh"), preSteps[t], false, false, 1.0, 1.0);
        int hs = hidden, g4 = 4 * hs, cells = batch * hs;
        double[] a = gateRows, cp = cPrevRows, cn = cNewRows, tc = tanhCRows, hp = prevHRows, hn = newHRows, out = outRows;
        preFlat.read(t * batch * g4, a, batch * g4);
        stateFlat[C_STATE].read(prev * cells, cp, cells);
        if (anyPadded(t)) stateFlat[H_STATE].read(prev * cells, hp, cells);
        // Gate activations in place (blocks i, f | g | o of each row), then c_t, tanh(c_t), h_t.
        for (int b = 0; b < batch; b++) {
            int ga = b * g4;
            GateMath.sigmoid(a, ga, ga + 2 * hs, fastMath);
            GateMath.tanh(a, ga + 2 * hs, ga + 3 * hs, fastMath);
            GateMath.sigmoid(a, ga + 3 * hs, ga + g4, fastMath);
            for (int j = 0, ca = b * hs; j < hs; j++) {
                cn[ca + j] = a[ga + hs + j] * cp[ca + j] + a[ga + j] * a[ga + 2 * hs + j];
            }
        }
        System.arraycopy(cn, 0, tc, 0, cells);
        GateMath.tanh(tc, 0, cells, fastMath);
        for (int b = 0; b < batch; b++) {
            int ga = b * g4, ca = b * hs;
            if (isReal(t * batch + b)) {
                for (int j = 0; j < hs; j++) {
                    double h = a[ga + 3 * hs + j] * tc[ca + j];
                    hn[ca + j] = h;
                    out[ca + j] = h;
                }
            } else {
                for (int j = ca; j < ca + hs; j++) {
                    cn[j] = cp[j];
                    hn[j] = hp[j];
                    tc[j] = 0.0;
                    out[j] = 0.0;
                }
            }
        }
        preFlat.write(t * batch * g4, a, batch * g4);
        stateFlat[C_STATE].write(cur * cells, cn, cells);
        stateFlat[H_STATE].write(cur * cells, hn, cells);
        tanhCFlat.write(t * cells, tc, cells);
        outFlat.write(t * cells, out, cells);
    }

    @Override
    protected void prepareBackwardExtra(boolean allocate) {
        java.util.Arrays.fill(dcRows, 0.0);
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
        int hs = hidden, g4 = 4 * hs, cells = batch * hs;
        double[] a = gateRows, da = dGateRows, cp = cPrevRows, tc = tanhCRows, dc = dcRows;
        double[] dh = dhRows, grad = gradRows, dhp = dhPrevRows, sg = stepGradRows;
        preFlat.read(t * batch * g4, a, batch * g4);
        tanhCFlat.read(t * cells, tc, cells);
        stateFlat[C_STATE].read(prev * cells, cp, cells);
        dhFlat.read(0, dh, cells);
        gradOut.read(t * cells, grad, cells);
        for (int b = 0; b < batch; b++) {
            int ga = b * g4, ca = b * hs;
            if (!isReal(t * batch + b)) {
                for (int j = 0; j < hs; j++) {
                    dhp[ca + j] = dh[ca + j];
                    sg[ca + j] = 0.0;
                }
                java.util.Arrays.fill(da, ga, ga + g4, 0.0);
                continue;
            }
            for (int j = 0; j < hs; j++) {
                double ds = dh[ca + j] + grad[ca + j];
                double i = a[ga + j], f = a[ga + hs + j], g = a[ga + 2 * hs + j], o = a[ga + 3 * hs + j];
                double tanhC = tc[ca + j];
                double dcT = dc[ca + j] + ds * o * (1.0 - tanhC * tanhC);
                da[ga + j] = dcT * g * i * (1.0 - i);
                da[ga + hs + j] = dcT * cp[ca + j] * f * (1.0 - f);
                da[ga + 2 * hs + j] = dcT * i * (1.0 - g * g);
                da[ga + 3 * hs + j] = ds * tanhC * o * (1.0 - o);
                dc[ca + j] = dcT * f;
                dhp[ca + j] = 0.0;
                sg[ca + j] = ds;
            }
        }
        dPreFlat.write(t * batch * g4, da, batch * g4);
        dhNextFlat.write(0, dhp, cells);
        stepGradFlat.write(t * cells, sg, cells);
        Blas.gemm(dPreSteps[t], recurrentWeightsT, dhNext, false, false, 1.0, 1.0);
    }

    @Override
    protected void addInitialStateGradients(List<INDArray> grads) {
        grads.add(Nd4j.create(dcRows, new long[] {batch, hidden}, org.nd4j.linalg.api.buffer.DataType.DOUBLE).castTo(dtype));
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
