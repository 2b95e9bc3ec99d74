package org.seqlab.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What the recurrent layers ({@link SimpleRnn}, {@link Lstm}, {@link Gru}) share: the step loop in
 * either time direction, masks, initial / carried / final state, per-step gradients, and the
 * parameter gradients that are single gemms over all steps.
 *
 * <p><b>Computation.</b> The input projection of all steps is one gemm {@code pre = x W_ih}
 * ({@code [T*B, G*H]}, G gate blocks). Each step adds its recurrent gemm {@code h_prev W_hh} into its
 * row block and runs the element-wise pass (the subclass's {@link #forwardStep}) on Java copies of
 * those rows, split into one array per gate block (short same-index loops, which C2 vectorizes), in
 * float for float models and in double for double models; it adds the bias b there. (Subclasses
 * therefore write each step kernel twice, for float[] and for double[]: Java generics do not cover
 * primitive arrays, and any abstraction over them keeps C2 from vectorizing the loops.) The gate
 * activations overwrite {@code pre} and are what backward and inspection read. Backward runs
 * the steps in reverse: per step one fused pass for the gate gradients and one gemm for dL/dh_prev;
 * dW_ih, dW_hh, the biases and dx are then single gemms / sums over all steps.
 *
 * <p><b>States</b> live in {@code [(T+1)*B, H]} buffers of row blocks in processing order: when
 * running forward in time, block 0 is the initial state and block t+1 the state after step t; when
 * running reversed (the backward half of {@link Bidirectional}), block T is the initial state and
 * block t the state after step t. Either way the previous states of all steps are one contiguous
 * {@code [T*B, H]} range, so dW_hh is one gemm.
 *
 * <p><b>Masks</b> (values 0 or 1): at a padded step the state passes through unchanged and the output
 * row is 0. As derivatives: a padded step's gate gradients are 0 and dL/dh_prev = dL/dh_t.
 * Processing a right-padded batch backwards in time therefore starts every sequence at its last real
 * step from the initial state, as reversing each sequence would.
 *
 * <p><b>Initial state</b>: the final state of the previous forward pass when {@code mode.carryState()}
 * and its batch size matches (detached: truncated BPTT, step-by-step generation), else the state set
 * by {@link #setInitialState}, else zeros.
 *
 * <p>Per-forward buffers are reused while time, batch and dtype stay the same, so stepping one token
 * at a time allocates only its output and final state. The returned output is always a fresh array.
 */
public abstract class RecurrentLayer extends Layer implements Recurrent, RowSelectable {
    protected final int inputSize;
    protected final int hidden;
    private final int gates;
    private boolean reversed;

    private List<INDArray> finalState;
    private List<INDArray> initialState;
    private List<INDArray> initialStateGradients;
    private INDArray stepGradients;
    private Map<String, INDArray> recorded = Map.of();

    // ---- buffers of the last forward pass (reused while T, B and dtype stay the same) ----
    protected int time;
    protected int batch;
    protected DataType dtype;
    private SeqTensor lastInput;
    /** The input rows, dense in the compute dtype. */
    protected INDArray x;
    /** Mask per row (time-major), or null when every position is real. */
    protected double[] mask;
    /** {@code [T*B, G*H]}: pre-activations, overwritten in place by the gate activations. */
    protected INDArray pre;
    protected INDArray[] preSteps;
    protected FlatView preFlat;
    /** Per state kind (h, then c for LSTM): {@code [(T+1)*B, H]} in processing order, see above. */
    protected INDArray[] states;
    protected INDArray[][] stateSteps;
    protected FlatView[] stateFlat;
    /** The output rows of the current forward pass, {@code [T*B, H]} (fresh each call). */
    protected FlatView outFlat;

    // ---- backward buffers, allocated on the first backward for the current shape ----
    /** {@code [T*B, G*H]}: dL/d(pre-activation) of the input projection, per step. */
    protected INDArray dPre;
    protected INDArray[] dPreSteps;
    protected FlatView dPreFlat;
    /** dL/dh flowing into the step being processed, and the one being built for its predecessor. */
    protected INDArray dh;
    protected INDArray dhNext;
    protected FlatView dhFlat;
    protected FlatView dhNextFlat;
    protected FlatView stepGradFlat;
    /** W_hh^T, dense: the per-step backward gemm runs untransposed (measured 1.5x faster). */
    protected INDArray recurrentWeightsT;
    private boolean backwardReady;
    private INDArray ones;

    protected RecurrentLayer(String name, int inputSize, int hidden, int gates) {
        super(name);
        if (inputSize <= 0 || hidden <= 0) {
            throw new IllegalArgumentException(name + ": input size and hidden size must be positive, got "
                    + inputSize + " and " + hidden);
        }
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.gates = gates;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int outputSize() {
        return hidden;
    }

    public int hiddenSize() {
        return hidden;
    }

    /** True when this layer processes steps T-1..0 (the backward half of a bidirectional layer). */
    public boolean reversed() {
        return reversed;
    }

    /** Set by {@link Bidirectional} on its backward layer. */
    void runReversed(boolean reversed) {
        this.reversed = reversed;
    }

    // ---------------------------------------------------------------- subclass hooks

    /** Number of state arrays: 1 (h) or 2 (h, c). */
    protected abstract int stateCount();

    /** Name of the bias added to the input projection. */
    protected abstract String inputBiasName();

    /** One step: the recurrent gemm into step {@code t}'s block, then the fused element-wise pass
     *  that writes the gate activations, the states of block {@code cur} and the output rows of t. */
    protected abstract void forwardStep(int t, int prev, int cur);

    /** One step backwards: reads the carried dL/dh_t from {@link #dhFlat} and adds the output
     *  gradient of step t from {@code gradOut}; writes the gate gradients of step t, dL/dh_prev into
     *  {@link #dhNext} (via {@link #dhNextFlat}, then its recurrent gemm with
     *  {@link #recurrentWeightsT}), and dL/dh_t (zero at padded rows) into {@link #stepGradFlat}. */
    protected abstract void backwardStep(int t, int prev, int cur, FlatView gradOut);

    /** What {@code mode.record()} keeps, after the forward pass; {@code output} is the layer output. */
    protected abstract Map<String, INDArray> record(INDArray output);

    /** What {@link #record} keeps, declared: each array's key, meaning and range, in the order of the equations. */
    public abstract List<Gate> recordedGates();

    /** Called once per forward pass after the input projection, before the first step. */
    protected void beforeSteps() {
    }

    /** Extra forward buffers (allocated when the shape changes). */
    protected void allocateExtra() {
    }

    /** Extra backward buffers, and zeroing of any extra carried gradient (LSTM's dL/dc). */
    protected void prepareBackwardExtra(boolean allocate) {
    }

    /** Gradient w.r.t. the recurrent pre-activation {@code h_prev W_hh}, all steps (dPre unless GRU). */
    protected INDArray recurrentPreGradient() {
        return dPre;
    }

    /** Parameter gradients beyond W_ih, the input bias and W_hh (GRU's b_hh). */
    protected void accumulateExtraGradients() {
    }

    /** Extra carried-state gradients for {@link #initialStateGradients()} (LSTM's dL/dc0). */
    protected void addInitialStateGradients(List<INDArray> grads) {
    }

    // ---------------------------------------------------------------- forward

    @Override
    public SeqTensor forward(SeqTensor input, Mode mode) {
        if (input.width() != inputSize) {
            throw new IllegalArgumentException(name() + ": expects input width " + inputSize + ", got " + input.width());
        }
        DataType type = params.value("W_ih").dataType();
        allocate(input.time(), input.batch(), type);
        lastInput = input;
        x = FlatView.dense(input.data(), type);
        mask = input.mask() == null ? null : input.mask().castTo(DataType.DOUBLE).dup('c').data().asDouble();

        // Initial state by bulk copies (no native op per state array: generation runs one step per call).
        int init = reversed ? time : 0, cells = batch * hidden;
        List<INDArray> start = startState(mode);
        for (int s = 0; s < stateCount(); s++) {
            if (isFloat()) {
                float[] v = start == null ? new float[cells] : RowAccess.floats(start.get(s));
                stateFlat[s].write(init * cells, v, cells);
            } else {
                double[] v = start == null ? new double[cells] : RowAccess.values(start.get(s));
                stateFlat[s].write(init * cells, v, cells);
            }
        }

        // All steps' input projection at once: pre = x W_ih; the step kernels add the bias
        // (tiled per row in inputBias) to the gate blocks they read anyway.
        Blas.gemm(x, params.value("W_ih"), pre, false, false, 1.0, 0.0);
        tileBias(params.value(inputBiasName()), inputBias());

        INDArray out = Nd4j.create(type, (long) time * batch, hidden);
        outFlat = FlatView.of(out);
        beforeSteps();
        for (int k = 0; k < time; k++) {
            int t = reversed ? time - 1 - k : k;
            forwardStep(t, prevBlock(t), stateBlock(t));
        }

        int last = reversed ? 0 : time;
        List<INDArray> end = new ArrayList<>(stateCount());
        long[] shape = {batch, hidden};
        for (int s = 0; s < stateCount(); s++) {
            if (isFloat()) {
                float[] v = new float[cells];
                stateFlat[s].read(last * cells, v, cells);
                end.add(Nd4j.create(v, shape, 'c'));
            } else {
                double[] v = new double[cells];
                stateFlat[s].read(last * cells, v, cells);
                end.add(Nd4j.create(v, shape, 'c'));
            }
        }
        finalState = List.copyOf(end);
        recorded = mode.record() ? Map.copyOf(record(out)) : Map.of();
        return new SeqTensor(out, time, batch, input.mask());
    }

    private List<INDArray> startState(Mode mode) {
        if (mode.carryState() && finalState != null && finalState.get(0).rows() == batch) return finalState;
        if (initialState != null) {
            if (initialState.get(0).rows() != batch) {
                throw new IllegalStateException(name() + ": initial state has batch " + initialState.get(0).rows()
                        + " but the input has batch " + batch);
            }
            return initialState;
        }
        return null;
    }

    /** Block of the state buffers holding the state before step t. */
    protected final int prevBlock(int t) {
        return reversed ? t + 1 : t;
    }

    /** Block of the state buffers holding the state after step t. */
    protected final int stateBlock(int t) {
        return reversed ? t : t + 1;
    }

    /** Rows {@code [T*B, H]} of a state buffer in time order: the state after each step t. */
    protected final INDArray statesInTimeOrder(int stateKind) {
        long from = (long) stateBlock(0) * batch;
        return states[stateKind].get(NDArrayIndex.interval(from, from + (long) time * batch), NDArrayIndex.all());
    }

    /** Rows {@code [T*B, H]}: the state before each step t, in time order (contiguous, see above). */
    protected final INDArray previousStatesInTimeOrder(int stateKind) {
        long from = (long) prevBlock(0) * batch;
        return states[stateKind].get(NDArrayIndex.interval(from, from + (long) time * batch), NDArrayIndex.all());
    }

    /** True when row {@code row} (time-major) is a real step. */
    protected final boolean isReal(int row) {
        return mask == null || mask[row] != 0.0;
    }

    /** True when some sequence is padded at step t. */
    protected final boolean anyPadded(int t) {
        if (mask == null) return false;
        for (int b = 0; b < batch; b++) if (mask[t * batch + b] == 0.0) return true;
        return false;
    }

    /** A copy of {@code rows} ({@code [T*B, w]}) with padded rows zeroed, for recording. */
    protected final INDArray maskedCopy(INDArray rows) {
        INDArray copy = rows.dup('c');
        if (lastInput.mask() != null) copy.muliColumnVector(lastInput.mask().castTo(copy.dataType()));
        return copy;
    }

    private void allocate(int t, int b, DataType type) {
        if (pre != null && t == time && b == batch && type == dtype) return;
        time = t;
        batch = b;
        dtype = type;
        pre = Nd4j.create(type, (long) t * b, (long) gates * hidden);
        preSteps = steps(pre, t, b);
        preFlat = FlatView.of(pre);
        states = new INDArray[stateCount()];
        stateSteps = new INDArray[stateCount()][];
        stateFlat = new FlatView[stateCount()];
        for (int s = 0; s < stateCount(); s++) {
            states[s] = Nd4j.create(type, (long) (t + 1) * b, hidden);
            stateSteps[s] = steps(states[s], t + 1, b);
            stateFlat[s] = FlatView.of(states[s]);
        }
        allocateExtra();
        backwardReady = false;
    }

    /** True when the layer computes in float (float[] scratch, fast activations), else in double. */
    protected final boolean isFloat() {
        return dtype == DataType.FLOAT;
    }

    /**
     * Gate block {@code q} of each row of {@code rows} ({@code [B, G*H]}, blocks of width H) into
     * {@code blocks[q]} ({@code [B*H]}), so the element-wise passes are plain same-index loops over
     * separate arrays, which C2 vectorizes (it does not when one loop writes one array at several
     * offsets, or when a loop body is long).
     */
    protected static void split(float[] rows, int batch, int hs, float[][] blocks) {
        int g = blocks.length;
        for (int b = 0; b < batch; b++) for (int q = 0; q < g; q++) System.arraycopy(rows, (b * g + q) * hs, blocks[q], b * hs, hs);
    }

    protected static void split(double[] rows, int batch, int hs, double[][] blocks) {
        int g = blocks.length;
        for (int b = 0; b < batch; b++) for (int q = 0; q < g; q++) System.arraycopy(rows, (b * g + q) * hs, blocks[q], b * hs, hs);
    }

    /** Inverse of {@link #split(float[], int, int, float[][])}. */
    protected static void join(float[][] blocks, int batch, int hs, float[] rows) {
        int g = blocks.length;
        for (int b = 0; b < batch; b++) for (int q = 0; q < g; q++) System.arraycopy(blocks[q], b * hs, rows, (b * g + q) * hs, hs);
    }

    protected static void join(double[][] blocks, int batch, int hs, double[] rows) {
        int g = blocks.length;
        for (int b = 0; b < batch; b++) for (int q = 0; q < g; q++) System.arraycopy(blocks[q], b * hs, rows, (b * g + q) * hs, hs);
    }

    /** The input bias tiled per row: {@code [G][B*H]}, float[][] or double[][] by compute type. */
    private float[][] fInputBias;
    private double[][] dInputBias;

    private Object inputBias() {
        int cells = batch * hidden;
        if (isFloat()) {
            if (fInputBias == null || fInputBias[0].length != cells) fInputBias = new float[gates][cells];
            return fInputBias;
        }
        if (dInputBias == null || dInputBias[0].length != cells) dInputBias = new double[gates][cells];
        return dInputBias;
    }

    /** Input bias of gate block q, tiled per row ({@code [B*H]}), float models. */
    protected final float[] inputBiasF(int q) {
        return fInputBias[q];
    }

    /** Input bias of gate block q, tiled per row ({@code [B*H]}), double models. */
    protected final double[] inputBiasD(int q) {
        return dInputBias[q];
    }

    /** {@code tiles[q][b*H + j] = bias[q*H + j]} for every row b. */
    protected final void tileBias(INDArray bias, Object tiles) {
        int hs = hidden;
        if (tiles instanceof float[][] f) {
            float[] v = RowAccess.floats(bias);
            for (int q = 0; q < f.length; q++) for (int b = 0; b < batch; b++) System.arraycopy(v, q * hs, f[q], b * hs, hs);
        } else {
            double[][] d = (double[][]) tiles;
            double[] v = RowAccess.values(bias);
            for (int q = 0; q < d.length; q++) for (int b = 0; b < batch; b++) System.arraycopy(v, q * hs, d[q], b * hs, hs);
        }
    }

    /** {@code a[k] += bias[k]}. */
    protected static void addTo(float[] a, float[] bias, int n) {
        for (int k = 0; k < n; k++) a[k] += bias[k];
    }

    protected static void addTo(double[] a, double[] bias, int n) {
        for (int k = 0; k < n; k++) a[k] += bias[k];
    }

    /** Views of the {@code [B, w]} row blocks of a time-major buffer. */
    protected static INDArray[] steps(INDArray rows, int count, int batch) {
        INDArray[] views = new INDArray[count];
        for (int k = 0; k < count; k++) views[k] = SeqTensor.stepOf(rows, k, batch);
        return views;
    }

    // ---------------------------------------------------------------- backward

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        if (lastInput == null) throw new IllegalStateException(name() + ": backward before forward");
        if (!backwardReady) {
            dPre = Nd4j.create(dtype, (long) time * batch, (long) gates * hidden);
            dPreSteps = steps(dPre, time, batch);
            dPreFlat = FlatView.of(dPre);
            dh = Nd4j.create(dtype, batch, hidden);
            dhNext = Nd4j.create(dtype, batch, hidden);
            dhFlat = FlatView.of(dh);
            dhNextFlat = FlatView.of(dhNext);
        }
        prepareBackwardExtra(!backwardReady);
        backwardReady = true;
        recurrentWeightsT = params.value("W_hh").transpose().dup('c');
        dh.assign(0);
        INDArray stepGrads = Nd4j.create(dtype, (long) time * batch, hidden);
        stepGradFlat = FlatView.of(stepGrads);
        FlatView gradOut = FlatView.of(FlatView.dense(gradOutput.data(), dtype));

        for (int k = time - 1; k >= 0; k--) {
            int t = reversed ? time - 1 - k : k;
            backwardStep(t, prevBlock(t), stateBlock(t), gradOut);
            INDArray swap = dh;
            dh = dhNext;
            dhNext = swap;
            FlatView swapFlat = dhFlat;
            dhFlat = dhNextFlat;
            dhNextFlat = swapFlat;
        }
        stepGradients = stepGrads;
        List<INDArray> init = new ArrayList<>(stateCount());
        init.add(dh.dup());
        addInitialStateGradients(init);
        initialStateGradients = List.copyOf(init);

        // Over all steps at once: dW_ih += x^T dPre, db += column sums, dx = dPre W_ih^T,
        // dW_hh += H_prev^T dRec (H_prev: the state before each step, one contiguous range).
        Blas.gemm(x, dPre, params.grad("W_ih"), true, false, 1.0, 1.0);
        addColumnSums(dPre, params.grad(inputBiasName()));
        Blas.gemm(previousStatesInTimeOrder(0), recurrentPreGradient(), params.grad("W_hh"), true, false, 1.0, 1.0);
        accumulateExtraGradients();
        INDArray dx = Blas.gemm(dPre, params.value("W_ih"), false, true);
        return lastInput.withData(dx);
    }

    /**
     * {@code target += column sums of rows}, as a gemm with a ones column: ND4J's sum over
     * dimension 0 of a c-order matrix walks it with a stride and measured ~20x slower.
     */
    protected final void addColumnSums(INDArray rows, INDArray target) {
        if (ones == null || ones.rows() != rows.rows() || ones.dataType() != rows.dataType()) {
            ones = Nd4j.ones(rows.dataType(), rows.rows(), 1);
        }
        target.addi(Blas.gemm(ones, rows, true, false).reshape(target.shape()));
    }

    // ---------------------------------------------------------------- state API

    @Override
    public List<INDArray> finalState() {
        return finalState == null ? List.of() : finalState;
    }

    /** Forgets the carried final state and any state set by {@link #setInitialState}. */
    @Override
    public void resetState() {
        finalState = null;
        initialState = null;
    }

    /**
     * Fixes the state the following forward passes start from (unless a carried state applies):
     * {@code [h0]}, or {@code [h0, c0]} for LSTM, each {@code [batch, hidden]}; null or empty clears it.
     */
    public void setInitialState(List<INDArray> state) {
        if (state == null || state.isEmpty()) {
            initialState = null;
            return;
        }
        if (state.size() != stateCount()) {
            throw new IllegalArgumentException(name() + ": expects " + stateCount() + " initial state arrays, got " + state.size());
        }
        List<INDArray> copies = new ArrayList<>();
        for (INDArray s : state) {
            if (s.rank() != 2 || s.columns() != hidden || s.rows() != state.get(0).rows()) {
                throw new IllegalArgumentException(name() + ": initial state arrays must be [batch, " + hidden + "], got "
                        + java.util.Arrays.toString(s.shape()));
            }
            copies.add(s.dup('c'));
        }
        initialState = List.copyOf(copies);
    }

    /**
     * Keeps the state of sequences {@code rows} for the next call: the carried final state when there is
     * one (it becomes the initial state, as {@link #setInitialState}), else the initial state set before.
     */
    @Override
    public void selectRows(int[] rows) {
        List<INDArray> from = finalState != null ? finalState : initialState;
        if (from == null) return;
        List<INDArray> kept = new ArrayList<>(from.size());
        for (INDArray s : from) kept.add(Nd4j.pullRows(s, 1, rows));
        finalState = null;
        initialState = List.copyOf(kept);
    }

    /** dL/d(initial state) from the last backward pass ({@code [h0]} or {@code [h0, c0]}); empty before. */
    public List<INDArray> initialStateGradients() {
        return initialStateGradients == null ? List.of() : initialStateGradients;
    }

    /** dL/dh_t per step from the last backward (output plus recurrence), zero at padded steps. */
    @Override
    public INDArray stepGradients() {
        return stepGradients;
    }

    @Override
    public Map<String, INDArray> recorded() {
        return recorded;
    }

    // ---------------------------------------------------------------- shared math and init

    /** PyTorch's default for recurrent weights and biases: U(-1/sqrt(H), 1/sqrt(H)). */
    protected final void fillUniform(INDArray target, Random random) {
        double k = 1.0 / Math.sqrt(hidden);
        double[] v = new double[(int) target.length()];
        for (int i = 0; i < v.length; i++) v[i] = (2.0 * random.nextDouble() - 1.0) * k;
        target.assign(Nd4j.create(v, target.shape(), DataType.DOUBLE).castTo(target.dataType()));
    }

    protected static ParamSpec spec(String name, String layout, long... shape) {
        return new ParamSpec(name, shape, layout);
    }
}
