package org.seqlab.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
    /** {@code [T*B, 3H]}: h_{t-1} W_hh + b_hh of each step; backward needs its n block. */
    private INDArray recur;
    private INDArray[] recurSteps;
    private FlatView recurFlat;
    /** {@code [T*B, 3H]}: dL/d(h_{t-1} W_hh + b_hh); differs from dPre in the n block (times r). */
    private INDArray dRecur;
    private INDArray[] dRecurSteps;
    private FlatView dRecurFlat;
    private double[] recurBias;
    /** Scratch rows of one step of {@code recur} / {@code dRecur}. */
    private double[] recurRows;
    private double[] dRecurRows;

    public Gru(String name, int inputSize, int hidden) {
        super(name, inputSize, hidden, 3);
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
    protected int stateCount() {
        return 1;
    }

    @Override
    protected String inputBiasName() {
        return "b_ih";
    }

    @Override
    protected void allocateExtra() {
        recur = Nd4j.create(dtype, (long) time * batch, 3L * hidden);
        recurSteps = steps(recur, time, batch);
        recurFlat = FlatView.of(recur);
        recurRows = new double[batch * 3 * hidden];
        dRecurRows = new double[batch * 3 * hidden];
    }

    @Override
    protected void beforeSteps() {
        recurBias = params.value("b_hh").dup().data().asDouble();
    }

    @Override
    protected void forwardStep(int t, int prev, int cur) {
        Blas.gemm(stateSteps[0][prev], params.value("W_hh"), recurSteps[t], false, false, 1.0, 0.0);
        int hs = hidden, g3 = 3 * hs, cells = batch * hs;
        double[] a = gateRows, rec = recurRows, bias = recurBias, hp = prevHRows, hn = newHRows, out = outRows;
        preFlat.read(t * batch * g3, a, batch * g3);
        recurFlat.read(t * batch * g3, rec, batch * g3);
        stateFlat[0].read(prev * cells, hp, cells);
        // rec += b_hh; r, z = sigmoid(input part + rec); n = tanh(input part + r * rec_n); h_t.
        for (int b = 0; b < batch; b++) {
            int ga = b * g3, ca = b * hs;
            for (int j = 0; j < g3; j++) rec[ga + j] += bias[j];
            for (int j = 0; j < 2 * hs; j++) a[ga + j] += rec[ga + j];
            GateMath.sigmoid(a, ga, ga + 2 * hs, fastMath);
            for (int j = 0; j < hs; j++) a[ga + 2 * hs + j] += a[ga + j] * rec[ga + 2 * hs + j];
            GateMath.tanh(a, ga + 2 * hs, ga + g3, fastMath);
            boolean real = isReal(t * batch + b);
            for (int j = 0; j < hs; j++) {
                double z = a[ga + hs + j], n = a[ga + 2 * hs + j];
                double h = (1.0 - z) * n + z * hp[ca + j];
                hn[ca + j] = real ? h : hp[ca + j];
                out[ca + j] = real ? h : 0.0;
            }
        }
        preFlat.write(t * batch * g3, a, batch * g3);
        recurFlat.write(t * batch * g3, rec, batch * g3);
        stateFlat[0].write(cur * cells, hn, cells);
        outFlat.write(t * cells, out, cells);
    }

    @Override
    protected void prepareBackwardExtra(boolean allocate) {
        if (allocate) {
            dRecur = Nd4j.create(dtype, (long) time * batch, 3L * hidden);
            dRecurSteps = steps(dRecur, time, batch);
            dRecurFlat = FlatView.of(dRecur);
        }
    }

    /*
     * With ds = dL/dh_t and hn = h_{t-1} W_hn + b_hn:
     *   dn = ds (1-z)   dz = ds (h_{t-1} - n)   direct dL/dh_{t-1} = ds z
     *   da_n = dn (1-n^2)   da_z = dz z(1-z)   da_r = da_n hn r(1-r)
     * Input side gets [da_r, da_z, da_n]; the recurrent side [da_r, da_z, da_n r], and
     * dL/dh_{t-1} = ds z + [da_r, da_z, da_n r] W_hh^T. A padded step passes ds through.
     */
    @Override
    protected void backwardStep(int t, int prev, int cur, FlatView gradOut) {
        int hs = hidden, g3 = 3 * hs, cells = batch * hs;
        double[] a = gateRows, rec = recurRows, hp = prevHRows, dx = dGateRows, drc = dRecurRows;
        double[] dh = dhRows, grad = gradRows, dhp = dhPrevRows, sg = stepGradRows;
        preFlat.read(t * batch * g3, a, batch * g3);
        recurFlat.read(t * batch * g3, rec, batch * g3);
        stateFlat[0].read(prev * cells, hp, cells);
        dhFlat.read(0, dh, cells);
        gradOut.read(t * cells, grad, cells);
        for (int b = 0; b < batch; b++) {
            int ga = b * g3, ca = b * hs;
            if (!isReal(t * batch + b)) {
                for (int j = 0; j < hs; j++) {
                    dhp[ca + j] = dh[ca + j];
                    sg[ca + j] = 0.0;
                }
                java.util.Arrays.fill(dx, ga, ga + g3, 0.0);
                java.util.Arrays.fill(drc, ga, ga + g3, 0.0);
                continue;
            }
            for (int j = 0; j < hs; j++) {
                double ds = dh[ca + j] + grad[ca + j];
                double r = a[ga + j], z = a[ga + hs + j], n = a[ga + 2 * hs + j];
                double daN = ds * (1.0 - z) * (1.0 - n * n);
                double daZ = ds * (hp[ca + j] - n) * z * (1.0 - z);
                double daR = daN * rec[ga + 2 * hs + j] * r * (1.0 - r);
                dx[ga + j] = daR;
                dx[ga + hs + j] = daZ;
                dx[ga + 2 * hs + j] = daN;
                drc[ga + j] = daR;
                drc[ga + hs + j] = daZ;
                drc[ga + 2 * hs + j] = daN * r;
                dhp[ca + j] = ds * z;
                sg[ca + j] = ds;
            }
        }
        dPreFlat.write(t * batch * g3, dx, batch * g3);
        dRecurFlat.write(t * batch * g3, drc, batch * g3);
        dhNextFlat.write(0, dhp, cells);
        stepGradFlat.write(t * cells, sg, cells);
        Blas.gemm(dRecurSteps[t], recurrentWeightsT, dhNext, false, false, 1.0, 1.0);
    }

    @Override
    protected INDArray recurrentPreGradient() {
        return dRecur;
    }

    @Override
    protected void accumulateExtraGradients() {
        addColumnSums(dRecur, params.grad("b_hh"));
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
