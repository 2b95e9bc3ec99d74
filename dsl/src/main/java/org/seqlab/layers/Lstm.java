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
    /**
     * Scratch of one step, in the compute type (float[] for float models, double[] for double):
     * the step's {@code [B, 4H]} rows; the gates i, f, g, o and their gradients as separate
     * {@code [B*H]} arrays; c_{t-1}, c_t, tanh(c_t), h_{t-1}, h_t; dL/dh_t in, output gradient, step
     * gradient, dL/dh_{t-1} for padded rows; dL/dc carried backwards (in place) and a saved copy.
     */
    private float[] fRows;
    private float[][] fGates;
    private float[][] fdGates;
    private float[] fcp, fcn, ftc, fhp, fhn, fdh, fgrad, fsg, fdhp, fdc, fdcSaved;
    private double[] dRows;
    private double[][] dGates;
    private double[][] ddGates;
    private double[] dcp, dcn, dtc, dhp, dhn, ddh, dgrad, dsg, ddhp, ddc, ddcSaved;

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
        if (isFloat()) {
            fRows = new float[4 * cells];
            fGates = new float[4][cells];
            fdGates = new float[4][cells];
            fcp = new float[cells]; fcn = new float[cells]; ftc = new float[cells]; fhp = new float[cells];
            fhn = new float[cells]; fdh = new float[cells]; fgrad = new float[cells]; fsg = new float[cells];
            fdhp = new float[cells]; fdc = new float[cells]; fdcSaved = new float[cells];
            dRows = null; dGates = null; ddGates = null;
            dcp = dcn = dtc = dhp = dhn = ddh = dgrad = dsg = ddhp = ddc = ddcSaved = null;
        } else {
            dRows = new double[4 * cells];
            dGates = new double[4][cells];
            ddGates = new double[4][cells];
            dcp = new double[cells]; dcn = new double[cells]; dtc = new double[cells]; dhp = new double[cells];
            dhn = new double[cells]; ddh = new double[cells]; dgrad = new double[cells]; dsg = new double[cells];
            ddhp = new double[cells]; ddc = new double[cells]; ddcSaved = new double[cells];
            fRows = null; fGates = null; fdGates = null;
            fcp = fcn = ftc = fhp = fhn = fdh = fgrad = fsg = fdhp = fdc = fdcSaved = null;
        }
    }

    /*
     * Forward, per step: the recurrent gemm into the step's rows of pre, then on copies of those rows
     * split into gate blocks: i, f, o = sigmoid, g = tanh; c_t = f c_{t-1} + i g; h_t = o tanh(c_t).
     * A padded row keeps c_{t-1} and h_{t-1}, has tanh(c_t) = 0 and output 0 (patched after the
     * vectorized passes). The same code twice, once per compute type.
     */
    @Override
    protected void forwardStep(int t, int prev, int cur) {
        Blas.gemm(stateSteps[H_STATE][prev], params.value("W_hh"), preSteps[t], false, false, 1.0, 1.0);
        if (isFloat()) forwardFloat(t, prev, cur);
        else forwardDouble(t, prev, cur);
    }

    private void forwardFloat(int t, int prev, int cur) {
        int hs = hidden, cells = batch * hs, n = 4 * cells;
        float[] i = fGates[0], f = fGates[1], g = fGates[2], o = fGates[3], cp = fcp, cn = fcn, tc = ftc, hn = fhn;
        preFlat.read(t * n, fRows, n);
        split(fRows, batch, hs, fGates);
        for (int q = 0; q < 4; q++) addTo(fGates[q], inputBiasF(q), cells);
        GateMath.sigmoid(i, cells);
        GateMath.sigmoid(f, cells);
        GateMath.tanh(g, cells);
        GateMath.sigmoid(o, cells);
        stateFlat[C_STATE].read(prev * cells, cp, cells);
        for (int k = 0; k < cells; k++) cn[k] = f[k] * cp[k] + i[k] * g[k];
        System.arraycopy(cn, 0, tc, 0, cells);
        GateMath.tanh(tc, cells);
        for (int k = 0; k < cells; k++) hn[k] = o[k] * tc[k];
        boolean padded = anyPadded(t);
        if (padded) {
            stateFlat[H_STATE].read(prev * cells, fhp, cells);
            for (int b = 0; b < batch; b++) {
                if (isReal(t * batch + b)) continue;
                int ca = b * hs;
                System.arraycopy(cp, ca, cn, ca, hs);
                System.arraycopy(fhp, ca, hn, ca, hs);
                java.util.Arrays.fill(tc, ca, ca + hs, 0f);
            }
        }
        join(fGates, batch, hs, fRows);
        preFlat.write(t * n, fRows, n);
        stateFlat[C_STATE].write(cur * cells, cn, cells);
        stateFlat[H_STATE].write(cur * cells, hn, cells);
        tanhCFlat.write(t * cells, tc, cells);
        if (padded) {
            for (int b = 0; b < batch; b++) if (!isReal(t * batch + b)) java.util.Arrays.fill(hn, b * hs, (b + 1) * hs, 0f);
        }
        outFlat.write(t * cells, hn, cells);
    }

    private void forwardDouble(int t, int prev, int cur) {
        int hs = hidden, cells = batch * hs, n = 4 * cells;
        double[] i = dGates[0], f = dGates[1], g = dGates[2], o = dGates[3], cp = dcp, cn = dcn, tc = dtc, hn = dhn;
        preFlat.read(t * n, dRows, n);
        split(dRows, batch, hs, dGates);
        for (int q = 0; q < 4; q++) addTo(dGates[q], inputBiasD(q), cells);
        GateMath.sigmoid(i, 0, cells, false);
        GateMath.sigmoid(f, 0, cells, false);
        GateMath.tanh(g, 0, cells, false);
        GateMath.sigmoid(o, 0, cells, false);
        stateFlat[C_STATE].read(prev * cells, cp, cells);
        for (int k = 0; k < cells; k++) cn[k] = f[k] * cp[k] + i[k] * g[k];
        System.arraycopy(cn, 0, tc, 0, cells);
        GateMath.tanh(tc, 0, cells, false);
        for (int k = 0; k < cells; k++) hn[k] = o[k] * tc[k];
        boolean padded = anyPadded(t);
        if (padded) {
            stateFlat[H_STATE].read(prev * cells, dhp, cells);
            for (int b = 0; b < batch; b++) {
                if (isReal(t * batch + b)) continue;
                int ca = b * hs;
                System.arraycopy(cp, ca, cn, ca, hs);
                System.arraycopy(dhp, ca, hn, ca, hs);
                java.util.Arrays.fill(tc, ca, ca + hs, 0.0);
            }
        }
        join(dGates, batch, hs, dRows);
        preFlat.write(t * n, dRows, n);
        stateFlat[C_STATE].write(cur * cells, cn, cells);
        stateFlat[H_STATE].write(cur * cells, hn, cells);
        tanhCFlat.write(t * cells, tc, cells);
        if (padded) {
            for (int b = 0; b < batch; b++) if (!isReal(t * batch + b)) java.util.Arrays.fill(hn, b * hs, (b + 1) * hs, 0.0);
        }
        outFlat.write(t * cells, hn, cells);
    }

    @Override
    protected void prepareBackwardExtra(boolean allocate) {
        if (isFloat()) java.util.Arrays.fill(fdc, 0f);
        else java.util.Arrays.fill(ddc, 0.0);
    }

    /*
     * With ds = dL/dh_t (from the output and from step t+1) and dc = dL/dc_t (from step t+1):
     *   dL/do = ds * tanh(c_t)                     da_o = dL/do * o(1-o)
     *   dc   += ds * o * (1 - tanh(c_t)^2)         (h_t = o tanh(c_t))
     *   da_i = dc * g * i(1-i)    da_f = dc * c_{t-1} * f(1-f)    da_g = dc * i * (1-g^2)
     *   dL/dc_{t-1} = dc * f       dL/dh_{t-1} = da W_hh^T
     * A padded step passes ds and dc through unchanged and has zero gate gradients (patched after
     * the vectorized passes, one short loop per quantity).
     */
    @Override
    protected void backwardStep(int t, int prev, int cur, FlatView gradOut) {
        boolean padded = isFloat() ? backwardFloat(t, prev, gradOut) : backwardDouble(t, prev, gradOut);
        // Real rows get dL/dh_{t-1} from the gemm alone; padded rows also pass dL/dh_t through.
        Blas.gemm(dPreSteps[t], recurrentWeightsT, dhNext, false, false, 1.0, padded ? 1.0 : 0.0);
    }

    private boolean backwardFloat(int t, int prev, FlatView gradOut) {
        int hs = hidden, cells = batch * hs, n = 4 * cells;
        float[] i = fGates[0], f = fGates[1], g = fGates[2], o = fGates[3];
        float[] di = fdGates[0], df = fdGates[1], dg = fdGates[2], dO = fdGates[3];
        float[] cp = fcp, tc = ftc, dc = fdc, dh = fdh, grad = fgrad, sg = fsg;
        preFlat.read(t * n, fRows, n);
        split(fRows, batch, hs, fGates);
        tanhCFlat.read(t * cells, tc, cells);
        stateFlat[C_STATE].read(prev * cells, cp, cells);
        dhFlat.read(0, dh, cells);
        gradOut.read(t * cells, grad, cells);
        boolean padded = anyPadded(t);
        if (padded) System.arraycopy(dc, 0, fdcSaved, 0, cells);
        for (int k = 0; k < cells; k++) sg[k] = dh[k] + grad[k];
        for (int k = 0; k < cells; k++) dO[k] = sg[k] * tc[k] * o[k] * (1f - o[k]);
        for (int k = 0; k < cells; k++) dc[k] += sg[k] * o[k] * (1f - tc[k] * tc[k]);
        for (int k = 0; k < cells; k++) di[k] = dc[k] * g[k] * i[k] * (1f - i[k]);
        for (int k = 0; k < cells; k++) df[k] = dc[k] * cp[k] * f[k] * (1f - f[k]);
        for (int k = 0; k < cells; k++) dg[k] = dc[k] * i[k] * (1f - g[k] * g[k]);
        for (int k = 0; k < cells; k++) dc[k] *= f[k];
        if (padded) {
            java.util.Arrays.fill(fdhp, 0f);
            for (int b = 0; b < batch; b++) {
                if (isReal(t * batch + b)) continue;
                int ca = b * hs;
                System.arraycopy(fdcSaved, ca, dc, ca, hs);
                System.arraycopy(dh, ca, fdhp, ca, hs);
                java.util.Arrays.fill(sg, ca, ca + hs, 0f);
                for (float[] d : fdGates) java.util.Arrays.fill(d, ca, ca + hs, 0f);
            }
            dhNextFlat.write(0, fdhp, cells);
        }
        join(fdGates, batch, hs, fRows);
        dPreFlat.write(t * n, fRows, n);
        stepGradFlat.write(t * cells, sg, cells);
        return padded;
    }

    private boolean backwardDouble(int t, int prev, FlatView gradOut) {
        int hs = hidden, cells = batch * hs, n = 4 * cells;
        double[] i = dGates[0], f = dGates[1], g = dGates[2], o = dGates[3];
        double[] di = ddGates[0], df = ddGates[1], dg = ddGates[2], dO = ddGates[3];
        double[] cp = dcp, tc = dtc, dc = ddc, dh = ddh, grad = dgrad, sg = dsg;
        preFlat.read(t * n, dRows, n);
        split(dRows, batch, hs, dGates);
        tanhCFlat.read(t * cells, tc, cells);
        stateFlat[C_STATE].read(prev * cells, cp, cells);
        dhFlat.read(0, dh, cells);
        gradOut.read(t * cells, grad, cells);
        boolean padded = anyPadded(t);
        if (padded) System.arraycopy(dc, 0, ddcSaved, 0, cells);
        for (int k = 0; k < cells; k++) sg[k] = dh[k] + grad[k];
        for (int k = 0; k < cells; k++) dO[k] = sg[k] * tc[k] * o[k] * (1.0 - o[k]);
        for (int k = 0; k < cells; k++) dc[k] += sg[k] * o[k] * (1.0 - tc[k] * tc[k]);
        for (int k = 0; k < cells; k++) di[k] = dc[k] * g[k] * i[k] * (1.0 - i[k]);
        for (int k = 0; k < cells; k++) df[k] = dc[k] * cp[k] * f[k] * (1.0 - f[k]);
        for (int k = 0; k < cells; k++) dg[k] = dc[k] * i[k] * (1.0 - g[k] * g[k]);
        for (int k = 0; k < cells; k++) dc[k] *= f[k];
        if (padded) {
            java.util.Arrays.fill(ddhp, 0.0);
            for (int b = 0; b < batch; b++) {
                if (isReal(t * batch + b)) continue;
                int ca = b * hs;
                System.arraycopy(ddcSaved, ca, dc, ca, hs);
                System.arraycopy(dh, ca, ddhp, ca, hs);
                java.util.Arrays.fill(sg, ca, ca + hs, 0.0);
                for (double[] d : ddGates) java.util.Arrays.fill(d, ca, ca + hs, 0.0);
            }
            dhNextFlat.write(0, ddhp, cells);
        }
        join(ddGates, batch, hs, dRows);
        dPreFlat.write(t * n, dRows, n);
        stepGradFlat.write(t * cells, sg, cells);
        return padded;
    }

    @Override
    protected void addInitialStateGradients(List<INDArray> grads) {
        long[] shape = {batch, hidden};
        grads.add(isFloat() ? Nd4j.create(fdc.clone(), shape, 'c') : Nd4j.create(ddc.clone(), shape, 'c'));
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
