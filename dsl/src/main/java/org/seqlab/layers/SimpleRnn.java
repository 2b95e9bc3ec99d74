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

    @Override
    protected void forwardStep(int t, int prev, int cur) {
        Blas.gemm(stateSteps[0][prev], params.value("W_hh"), preSteps[t], false, false, 1.0, 1.0);
        int hs = hidden, cells = batch * hs;
        double[] a = gateRows, hp = prevHRows, hn = newHRows, out = outRows;
        boolean relu = activation == Activation.RELU;
        preFlat.read(t * cells, a, cells);
        if (anyPadded(t)) stateFlat[0].read(prev * cells, hp, cells);
        if (relu) {
            for (int j = 0; j < cells; j++) a[j] = Math.max(a[j], 0.0);
        } else {
            GateMath.tanh(a, 0, cells, fastMath);
        }
        for (int b = 0; b < batch; b++) {
            int ca = b * hs;
            boolean real = isReal(t * batch + b);
            for (int j = ca; j < ca + hs; j++) {
                hn[j] = real ? a[j] : hp[j];
                out[j] = real ? a[j] : 0.0;
            }
        }
        preFlat.write(t * cells, a, cells);
        stateFlat[0].write(cur * cells, hn, cells);
        outFlat.write(t * cells, out, cells);
    }

    /*
     * With ds = dL/dh_t: da = ds * act'(a), taken from the output h_t (tanh: 1 - h^2; relu: h > 0);
     * dL/dh_{t-1} = da W_hh^T. A padded step passes ds through and has da = 0.
     */
    @Override
    protected void backwardStep(int t, int prev, int cur, FlatView gradOut) {
        int hs = hidden, cells = batch * hs;
        double[] a = gateRows, da = dGateRows, dh = dhRows, grad = gradRows, dhp = dhPrevRows, sg = stepGradRows;
        boolean relu = activation == Activation.RELU;
        preFlat.read(t * cells, a, cells);
        dhFlat.read(0, dh, cells);
        gradOut.read(t * cells, grad, cells);
        for (int b = 0; b < batch; b++) {
            int ca = b * hs;
            boolean real = isReal(t * batch + b);
            for (int j = ca; j < ca + hs; j++) {
                double ds = dh[j] + grad[j];
                double y = a[j];
                double d = relu ? (y > 0.0 ? ds : 0.0) : ds * (1.0 - y * y);
                da[j] = real ? d : 0.0;
                dhp[j] = real ? 0.0 : dh[j];
                sg[j] = real ? ds : 0.0;
            }
        }
        dPreFlat.write(t * cells, da, cells);
        dhNextFlat.write(0, dhp, cells);
        stepGradFlat.write(t * cells, sg, cells);
        Blas.gemm(dPreSteps[t], recurrentWeightsT, dhNext, false, false, 1.0, 1.0);
    }

    @Override
    protected Map<String, INDArray> record(INDArray output) {
        return Map.of("h", output.dup());
    }
}
