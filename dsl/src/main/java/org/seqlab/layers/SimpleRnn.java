package org.seqlab.layers;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Elman recurrent layer, as PyTorch's {@code nn.RNN}:
 * {@code h_t = act(x_t W_ih + h_{t-1} W_hh + b)} with act tanh or relu.
 *
 * <p>Parameters: {@code W_ih [in, H]} (= torch {@code weight_ih_l0}^T), {@code W_hh [H, H]},
 * {@code b [H]} (= {@code bias_ih_l0 + bias_hh_l0}). With {@code identityInit} (Le, Jaitly and
 * Hinton 2015, "IRNN", meant for relu) W_hh starts as the identity and b as zero, so the state is
 * copied forward at first and gradients neither vanish nor explode early in training; W_ih keeps
 * PyTorch's U(-1/sqrt(H), 1/sqrt(H)). Recorded internals: {@code h}.
 */
public final class SimpleRnn extends RecurrentLayer {
    private final Activation activation;
    private final boolean identityInit;

    public SimpleRnn(String name, int inputSize, int hidden, Activation activation, boolean identityInit) {
        super(name, inputSize, hidden, 1);
        if (activation != Activation.TANH && activation != Activation.RELU) {
            throw new IllegalArgumentException(name + ": a simple RNN uses tanh or relu, not " + activation.label());
        }
        this.activation = activation;
        this.identityInit = identityInit;
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public String kind() {
        return "RNN(" + activation.label() + (identityInit ? ", identity init" : "") + ")";
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        long h = hidden;
        return List.of(
                spec("W_ih", "[in, H]; x_t W_ih", inputSize, h),
                spec("W_hh", "[H, H]; h_{t-1} W_hh", h, h),
                spec("b", "[H] (PyTorch bias_ih + bias_hh)", h));
    }

    @Override
    public void initialize(Random random) {
        fillUniform(params.value("W_ih"), random);
        if (identityInit) {
            params.value("W_hh").assign(Nd4j.eye(hidden).castTo(params.value("W_hh").dataType()));
            params.value("b").assign(0);
        } else {
            fillUniform(params.value("W_hh"), random);
            fillUniform(params.value("b"), random);
        }
    }

    @Override
    protected int stateCount() {
        return 1;
    }

    @Override
    protected String inputBiasName() {
        return "b";
    }

    /** Scratch of one step in the compute type: activations, previous state, dL/dh in, output gradient, gate gradient, step gradient, dL/dh_{t-1}. */
    private float[] fa, fhp, fdh, fgrad, fda, fsg, fdhp;
    private double[] da, dhp, ddh, dgrad, dda, dsg, ddhp;

    @Override
    protected void allocateExtra() {
        int cells = batch * hidden;
        fa = fhp = fdh = fgrad = fda = fsg = fdhp = null;
        da = dhp = ddh = dgrad = dda = dsg = ddhp = null;
        if (isFloat()) {
            fa = new float[cells]; fhp = new float[cells]; fdh = new float[cells]; fgrad = new float[cells];
            fda = new float[cells]; fsg = new float[cells]; fdhp = new float[cells];
        } else {
            da = new double[cells]; dhp = new double[cells]; ddh = new double[cells]; dgrad = new double[cells];
            dda = new double[cells]; dsg = new double[cells]; ddhp = new double[cells];
        }
    }

    /* h_t = act(a); a padded row keeps h_{t-1} and outputs 0 (patched after the vectorized pass). */
    @Override
    protected void forwardStep(int t, int prev, int cur) {
        Blas.gemm(stateSteps[0][prev], params.value("W_hh"), preSteps[t], false, false, 1.0, 1.0);
        int hs = hidden, cells = batch * hs;
        boolean relu = activation == Activation.RELU, padded = anyPadded(t);
        if (isFloat()) {
            float[] a = fa;
            preFlat.read(t * cells, a, cells);
            addTo(a, inputBiasF(0), cells);
            if (relu) {
                for (int k = 0; k < cells; k++) a[k] = Math.max(a[k], 0f);
            } else {
                GateMath.tanh(a, cells);
            }
            preFlat.write(t * cells, a, cells);
            if (padded) {
                float[] state = fda;
                System.arraycopy(a, 0, state, 0, cells);
                stateFlat[0].read(prev * cells, fhp, cells);
                for (int b = 0; b < batch; b++) {
                    if (isReal(t * batch + b)) continue;
                    System.arraycopy(fhp, b * hs, state, b * hs, hs);
                    java.util.Arrays.fill(a, b * hs, (b + 1) * hs, 0f);
                }
                stateFlat[0].write(cur * cells, state, cells);
            } else {
                stateFlat[0].write(cur * cells, a, cells);
            }
            outFlat.write(t * cells, a, cells);
        } else {
            double[] a = da;
            preFlat.read(t * cells, a, cells);
            addTo(a, inputBiasD(0), cells);
            if (relu) {
                for (int k = 0; k < cells; k++) a[k] = Math.max(a[k], 0.0);
            } else {
                GateMath.tanh(a, 0, cells, false);
            }
            preFlat.write(t * cells, a, cells);
            if (padded) {
                double[] state = dda;
                System.arraycopy(a, 0, state, 0, cells);
                stateFlat[0].read(prev * cells, dhp, cells);
                for (int b = 0; b < batch; b++) {
                    if (isReal(t * batch + b)) continue;
                    System.arraycopy(dhp, b * hs, state, b * hs, hs);
                    java.util.Arrays.fill(a, b * hs, (b + 1) * hs, 0.0);
                }
                stateFlat[0].write(cur * cells, state, cells);
            } else {
                stateFlat[0].write(cur * cells, a, cells);
            }
            outFlat.write(t * cells, a, cells);
        }
    }

    /*
     * With ds = dL/dh_t: da = ds * act'(a), taken from the output h_t (tanh: 1 - h^2; relu: h > 0);
     * dL/dh_{t-1} = da W_hh^T. A padded step passes ds through and has da = 0.
     */
    @Override
    protected void backwardStep(int t, int prev, int cur, FlatView gradOut) {
        int hs = hidden, cells = batch * hs;
        boolean relu = activation == Activation.RELU, padded = anyPadded(t);
        if (isFloat()) {
            float[] a = fa, d = fda, dh = fdh, grad = fgrad, sg = fsg;
            preFlat.read(t * cells, a, cells);
            dhFlat.read(0, dh, cells);
            gradOut.read(t * cells, grad, cells);
            for (int k = 0; k < cells; k++) sg[k] = dh[k] + grad[k];
            if (relu) {
                for (int k = 0; k < cells; k++) d[k] = a[k] > 0f ? sg[k] : 0f;
            } else {
                for (int k = 0; k < cells; k++) d[k] = sg[k] * (1f - a[k] * a[k]);
            }
            if (padded) {
                java.util.Arrays.fill(fdhp, 0f);
                for (int b = 0; b < batch; b++) {
                    if (isReal(t * batch + b)) continue;
                    int ca = b * hs;
                    System.arraycopy(dh, ca, fdhp, ca, hs);
                    java.util.Arrays.fill(d, ca, ca + hs, 0f);
                    java.util.Arrays.fill(sg, ca, ca + hs, 0f);
                }
                dhNextFlat.write(0, fdhp, cells);
            }
            dPreFlat.write(t * cells, d, cells);
            stepGradFlat.write(t * cells, sg, cells);
        } else {
            double[] a = da, d = dda, dh = ddh, grad = dgrad, sg = dsg;
            preFlat.read(t * cells, a, cells);
            dhFlat.read(0, dh, cells);
            gradOut.read(t * cells, grad, cells);
            for (int k = 0; k < cells; k++) sg[k] = dh[k] + grad[k];
            if (relu) {
                for (int k = 0; k < cells; k++) d[k] = a[k] > 0.0 ? sg[k] : 0.0;
            } else {
                for (int k = 0; k < cells; k++) d[k] = sg[k] * (1.0 - a[k] * a[k]);
            }
            if (padded) {
                java.util.Arrays.fill(ddhp, 0.0);
                for (int b = 0; b < batch; b++) {
                    if (isReal(t * batch + b)) continue;
                    int ca = b * hs;
                    System.arraycopy(dh, ca, ddhp, ca, hs);
                    java.util.Arrays.fill(d, ca, ca + hs, 0.0);
                    java.util.Arrays.fill(sg, ca, ca + hs, 0.0);
                }
                dhNextFlat.write(0, ddhp, cells);
            }
            dPreFlat.write(t * cells, d, cells);
            stepGradFlat.write(t * cells, sg, cells);
        }
        // Real rows get dL/dh_{t-1} from the gemm alone; padded rows also pass dL/dh_t through.
        Blas.gemm(dPreSteps[t], recurrentWeightsT, dhNext, false, false, 1.0, padded ? 1.0 : 0.0);
    }

    /** Only the state h. */
    @Override
    public List<Gate> recordedGates() {
        return List.of(Gate.HIDDEN);
    }

    @Override
    protected Map<String, INDArray> record(INDArray output) {
        return Map.of("h", output.dup());
    }
}
