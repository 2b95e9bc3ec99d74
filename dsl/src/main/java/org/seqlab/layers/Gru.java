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
    }

    @Override
    protected void beforeSteps() {
        recurBias = params.value("b_hh").dup().data().asDouble();
    }

    @Override
    protected void forwardStep(int t, int prev, int cur) {
        Nd4j.gemm(stateSteps[0][prev], params.value("W_hh"), recurSteps[t], false, false, 1.0, 0.0);
        FlatView a = preFlat, hr = recurFlat, h = stateFlat[0];
        int hs = hidden;
        for (int b = 0; b < batch; b++) {
            int row = t * batch + b;
            boolean real = isReal(row);
            int g0 = row * 3 * hs, p0 = (prev * batch + b) * hs, s0 = (cur * batch + b) * hs, r0 = row * hs;
            for (int j = 0; j < hs; j++) {
                double recR = hr.get(g0 + j) + recurBias[j];
                double recZ = hr.get(g0 + hs + j) + recurBias[hs + j];
                double recN = hr.get(g0 + 2 * hs + j) + recurBias[2 * hs + j];
                double r = sigmoid(a.get(g0 + j) + recR);
                double z = sigmoid(a.get(g0 + hs + j) + recZ);
                double n = tanh(a.get(g0 + 2 * hs + j) + r * recN);
                hr.set(g0 + 2 * hs + j, recN);
                a.set(g0 + j, r);
                a.set(g0 + hs + j, z);
                a.set(g0 + 2 * hs + j, n);
                double hPrev = h.get(p0 + j);
                double hNew = (1.0 - z) * n + z * hPrev;
                h.set(s0 + j, real ? hNew : hPrev);
                outFlat.set(r0 + j, real ? hNew : 0.0);
            }
        }
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
        FlatView a = preFlat, hr = recurFlat, h = stateFlat[0], dx = dPreFlat, drc = dRecurFlat;
        int hs = hidden;
        for (int b = 0; b < batch; b++) {
            int row = t * batch + b;
            int g0 = row * 3 * hs, p0 = (prev * batch + b) * hs, r0 = row * hs, b0 = b * hs;
            if (!isReal(row)) {
                for (int j = 0; j < hs; j++) {
                    dhNextFlat.set(b0 + j, dhFlat.get(b0 + j));
                    stepGradFlat.set(r0 + j, 0.0);
                }
                for (int j = 0; j < 3 * hs; j++) {
                    dx.set(g0 + j, 0.0);
                    drc.set(g0 + j, 0.0);
                }
                continue;
            }
            for (int j = 0; j < hs; j++) {
                double ds = dhFlat.get(b0 + j) + gradOut.get(r0 + j);
                stepGradFlat.set(r0 + j, ds);
                double r = a.get(g0 + j), z = a.get(g0 + hs + j), n = a.get(g0 + 2 * hs + j);
                double hPrev = h.get(p0 + j);
                double daN = ds * (1.0 - z) * (1.0 - n * n);
                double daZ = ds * (hPrev - n) * z * (1.0 - z);
                double daR = daN * hr.get(g0 + 2 * hs + j) * r * (1.0 - r);
                dx.set(g0 + j, daR);
                dx.set(g0 + hs + j, daZ);
                dx.set(g0 + 2 * hs + j, daN);
                drc.set(g0 + j, daR);
                drc.set(g0 + hs + j, daZ);
                drc.set(g0 + 2 * hs + j, daN * r);
                dhNextFlat.set(b0 + j, ds * z);
            }
        }
        Nd4j.gemm(dRecurSteps[t], params.value("W_hh"), dhNext, false, true, 1.0, 1.0);
    }

    @Override
    protected INDArray recurrentPreGradient() {
        return dRecur;
    }

    @Override
    protected void accumulateExtraGradients() {
        params.grad("b_hh").addi(dRecur.sum(0));
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
