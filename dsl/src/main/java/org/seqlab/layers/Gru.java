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
    /**
     * Scratch of one step in the compute type: the step's {@code [B, 3H]} rows; gates r, z, n and
     * the recurrent parts (plus b_hh, tiled per row) as separate {@code [B*H]} arrays; h_{t-1}, h_t;
     * dL/dh in, output gradient, step gradient, dL/dh_{t-1}; gate gradients {@code [da_r, da_z, da_n]}
     * and the recurrent side {@code [da_r, da_z, da_n r]} (sharing the first two arrays).
     */
    private float[] fRows, fhp, fhn, fdh, fgrad, fsg, fdhp;
    private float[][] fGates, fRec, fBias, fdGates, fdRec;
    private double[] dRows, dhp, dhn, ddh, dgrad, dsg, ddhp;
    private double[][] dGates, dRec, dBias, ddGates, ddRec;

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
        int cells = batch * hidden;
        fRows = fhp = fhn = fdh = fgrad = fsg = fdhp = null;
        fGates = fRec = fBias = fdGates = fdRec = null;
        dRows = dhp = dhn = ddh = dgrad = dsg = ddhp = null;
        dGates = dRec = dBias = ddGates = ddRec = null;
        if (isFloat()) {
            fRows = new float[3 * cells];
            fhp = new float[cells]; fhn = new float[cells]; fdh = new float[cells]; fgrad = new float[cells];
            fsg = new float[cells]; fdhp = new float[cells];
            fGates = new float[3][cells]; fRec = new float[3][cells]; fBias = new float[3][cells];
            fdGates = new float[3][cells];
            fdRec = new float[][] {fdGates[0], fdGates[1], new float[cells]};
        } else {
            dRows = new double[3 * cells];
            dhp = new double[cells]; dhn = new double[cells]; ddh = new double[cells]; dgrad = new double[cells];
            dsg = new double[cells]; ddhp = new double[cells];
            dGates = new double[3][cells]; dRec = new double[3][cells]; dBias = new double[3][cells];
            ddGates = new double[3][cells];
            ddRec = new double[][] {ddGates[0], ddGates[1], new double[cells]};
        }
    }

    /** b_hh tiled per row of the batch, per gate block, so adding it is a same-index loop. */
    @Override
    protected void beforeSteps() {
        tileBias(params.value("b_hh"), isFloat() ? fBias : dBias);
    }

    /*
     * Forward, per step, on gate blocks split into separate arrays: rec = h_{t-1} W_hh + b_hh;
     * r, z = sigmoid(input part + rec); n = tanh(input part + r * rec_n); h_t = (1-z) n + z h_{t-1}.
     * A padded row keeps h_{t-1} and outputs 0 (patched after the vectorized passes).
     */
    @Override
    protected void forwardStep(int t, int prev, int cur) {
        Blas.gemm(stateSteps[0][prev], params.value("W_hh"), recurSteps[t], false, false, 1.0, 0.0);
        int hs = hidden, cells = batch * hs, n3 = 3 * cells;
        boolean padded = anyPadded(t);
        if (isFloat()) {
            float[] r = fGates[0], z = fGates[1], n = fGates[2], rr = fRec[0], rz = fRec[1], rn = fRec[2], hp = fhp, hn = fhn;
            preFlat.read(t * n3, fRows, n3);
            split(fRows, batch, hs, fGates);
            recurFlat.read(t * n3, fRows, n3);
            split(fRows, batch, hs, fRec);
            stateFlat[0].read(prev * cells, hp, cells);
            for (int q = 0; q < 3; q++) addTo(fGates[q], inputBiasF(q), cells);
            for (int k = 0; k < cells; k++) rr[k] += fBias[0][k];
            for (int k = 0; k < cells; k++) rz[k] += fBias[1][k];
            for (int k = 0; k < cells; k++) rn[k] += fBias[2][k];
            for (int k = 0; k < cells; k++) r[k] += rr[k];
            for (int k = 0; k < cells; k++) z[k] += rz[k];
            GateMath.sigmoid(r, cells);
            GateMath.sigmoid(z, cells);
            for (int k = 0; k < cells; k++) n[k] += r[k] * rn[k];
            GateMath.tanh(n, cells);
            for (int k = 0; k < cells; k++) hn[k] = (1f - z[k]) * n[k] + z[k] * hp[k];
            if (padded) {
                for (int b = 0; b < batch; b++) if (!isReal(t * batch + b)) System.arraycopy(hp, b * hs, hn, b * hs, hs);
            }
            join(fGates, batch, hs, fRows);
            preFlat.write(t * n3, fRows, n3);
            join(fRec, batch, hs, fRows);
            recurFlat.write(t * n3, fRows, n3);
            stateFlat[0].write(cur * cells, hn, cells);
            if (padded) {
                for (int b = 0; b < batch; b++) if (!isReal(t * batch + b)) java.util.Arrays.fill(hn, b * hs, (b + 1) * hs, 0f);
            }
            outFlat.write(t * cells, hn, cells);
        } else {
            double[] r = dGates[0], z = dGates[1], n = dGates[2], rr = dRec[0], rz = dRec[1], rn = dRec[2], hp = dhp, hn = dhn;
            preFlat.read(t * n3, dRows, n3);
            split(dRows, batch, hs, dGates);
            recurFlat.read(t * n3, dRows, n3);
            split(dRows, batch, hs, dRec);
            stateFlat[0].read(prev * cells, hp, cells);
            for (int q = 0; q < 3; q++) addTo(dGates[q], inputBiasD(q), cells);
            for (int k = 0; k < cells; k++) rr[k] += dBias[0][k];
            for (int k = 0; k < cells; k++) rz[k] += dBias[1][k];
            for (int k = 0; k < cells; k++) rn[k] += dBias[2][k];
            for (int k = 0; k < cells; k++) r[k] += rr[k];
            for (int k = 0; k < cells; k++) z[k] += rz[k];
            GateMath.sigmoid(r, 0, cells, false);
            GateMath.sigmoid(z, 0, cells, false);
            for (int k = 0; k < cells; k++) n[k] += r[k] * rn[k];
            GateMath.tanh(n, 0, cells, false);
            for (int k = 0; k < cells; k++) hn[k] = (1.0 - z[k]) * n[k] + z[k] * hp[k];
            if (padded) {
                for (int b = 0; b < batch; b++) if (!isReal(t * batch + b)) System.arraycopy(hp, b * hs, hn, b * hs, hs);
            }
            join(dGates, batch, hs, dRows);
            preFlat.write(t * n3, dRows, n3);
            join(dRec, batch, hs, dRows);
            recurFlat.write(t * n3, dRows, n3);
            stateFlat[0].write(cur * cells, hn, cells);
            if (padded) {
                for (int b = 0; b < batch; b++) if (!isReal(t * batch + b)) java.util.Arrays.fill(hn, b * hs, (b + 1) * hs, 0.0);
            }
            outFlat.write(t * cells, hn, cells);
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
        int hs = hidden, cells = batch * hs, n3 = 3 * cells;
        boolean padded = anyPadded(t);
        if (isFloat()) {
            float[] r = fGates[0], z = fGates[1], n = fGates[2], rn = fRec[2], hp = fhp, dh = fdh, grad = fgrad, sg = fsg, dhp = fdhp;
            float[] dR = fdGates[0], dZ = fdGates[1], dN = fdGates[2], dRn = fdRec[2];
            preFlat.read(t * n3, fRows, n3);
            split(fRows, batch, hs, fGates);
            recurFlat.read(t * n3, fRows, n3);
            split(fRows, batch, hs, fRec);
            stateFlat[0].read(prev * cells, hp, cells);
            dhFlat.read(0, dh, cells);
            gradOut.read(t * cells, grad, cells);
            for (int k = 0; k < cells; k++) sg[k] = dh[k] + grad[k];
            for (int k = 0; k < cells; k++) dN[k] = sg[k] * (1f - z[k]) * (1f - n[k] * n[k]);
            for (int k = 0; k < cells; k++) dZ[k] = sg[k] * (hp[k] - n[k]) * z[k] * (1f - z[k]);
            for (int k = 0; k < cells; k++) dR[k] = dN[k] * rn[k] * r[k] * (1f - r[k]);
            for (int k = 0; k < cells; k++) dRn[k] = dN[k] * r[k];
            for (int k = 0; k < cells; k++) dhp[k] = sg[k] * z[k];
            if (padded) {
                for (int b = 0; b < batch; b++) {
                    if (isReal(t * batch + b)) continue;
                    int ca = b * hs;
                    System.arraycopy(dh, ca, dhp, ca, hs);
                    java.util.Arrays.fill(sg, ca, ca + hs, 0f);
                    for (float[] d : fdGates) java.util.Arrays.fill(d, ca, ca + hs, 0f);
                    java.util.Arrays.fill(dRn, ca, ca + hs, 0f);
                }
            }
            join(fdGates, batch, hs, fRows);
            dPreFlat.write(t * n3, fRows, n3);
            join(fdRec, batch, hs, fRows);
            dRecurFlat.write(t * n3, fRows, n3);
            dhNextFlat.write(0, dhp, cells);
            stepGradFlat.write(t * cells, sg, cells);
        } else {
            double[] r = dGates[0], z = dGates[1], n = dGates[2], rn = dRec[2], hp = dhp, dh = ddh, grad = dgrad, sg = dsg, dhp = ddhp;
            double[] dR = ddGates[0], dZ = ddGates[1], dN = ddGates[2], dRn = ddRec[2];
            preFlat.read(t * n3, dRows, n3);
            split(dRows, batch, hs, dGates);
            recurFlat.read(t * n3, dRows, n3);
            split(dRows, batch, hs, dRec);
            stateFlat[0].read(prev * cells, hp, cells);
            dhFlat.read(0, dh, cells);
            gradOut.read(t * cells, grad, cells);
            for (int k = 0; k < cells; k++) sg[k] = dh[k] + grad[k];
            for (int k = 0; k < cells; k++) dN[k] = sg[k] * (1.0 - z[k]) * (1.0 - n[k] * n[k]);
            for (int k = 0; k < cells; k++) dZ[k] = sg[k] * (hp[k] - n[k]) * z[k] * (1.0 - z[k]);
            for (int k = 0; k < cells; k++) dR[k] = dN[k] * rn[k] * r[k] * (1.0 - r[k]);
            for (int k = 0; k < cells; k++) dRn[k] = dN[k] * r[k];
            for (int k = 0; k < cells; k++) dhp[k] = sg[k] * z[k];
            if (padded) {
                for (int b = 0; b < batch; b++) {
                    if (isReal(t * batch + b)) continue;
                    int ca = b * hs;
                    System.arraycopy(dh, ca, dhp, ca, hs);
                    java.util.Arrays.fill(sg, ca, ca + hs, 0.0);
                    for (double[] d : ddGates) java.util.Arrays.fill(d, ca, ca + hs, 0.0);
                    java.util.Arrays.fill(dRn, ca, ca + hs, 0.0);
                }
            }
            join(ddGates, batch, hs, dRows);
            dPreFlat.write(t * n3, dRows, n3);
            join(ddRec, batch, hs, dRows);
            dRecurFlat.write(t * n3, dRows, n3);
            dhNextFlat.write(0, dhp, cells);
            stepGradFlat.write(t * cells, sg, cells);
        }
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
