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
 * ({@code [T*B, G*H]}, G gate blocks). Each step multiplies {@code h_prev W_hh} ({@link StepGemm}) and
 * adds it to the step's gate pre-activations (or, for a cell whose recurrent part is gated separately
 * as GRU's, keeps it in lanes of its own), and runs the element-wise pass on {@link StepLanes}: one
 * array per gate block and state. What every cell shares is here, once: reading the step's rows and
 * splitting them into gate lanes, adding the biases, reading the previous states, the rules for padded
 * rows, joining the gates and writing them back, writing states and output, and backwards the carried
 * dL/dh (the later step's product plus the cell's direct part). A cell ({@link Lstm}, {@link Gru}, {@link SimpleRnn}) supplies only its {@link Layout}
 * (which lane holds what) and its pointwise equations, {@link #forwardCell} and {@link #backwardCell},
 * written once for float and double. The gate activations overwrite {@code pre} and are what backward
 * and inspection read. Backward runs the steps in reverse: per step one fused pass for the gate
 * gradients and one gemm for dL/dh_prev; dW_ih, dW_hh, the biases and dx are then single gemms / sums
 * over all steps.
 *
 * <p><b>Threads.</b> With more than one compute thread ({@link Blas#threads()}), the steps run in
 * shares on a {@link StepTeam}. A batch of 16 or more is split by sequences: each share runs every
 * step for its rows, with no barrier, since sequences never meet. A smaller batch (music's 8) is
 * split by hidden units, one share per member: each multiplies the whole previous state (or the
 * step's whole recurrent gradient) by its columns of W_hh (W_hh^T), runs the cell on its columns and
 * writes only those, with one barrier per step.
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
    private final Layout layout;
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
    private INDArray x;
    /** Mask per row (time-major), or null when every position is real. */
    private double[] mask;
    /** {@code [T*B, G*H]}: pre-activations, overwritten in place by the gate activations. */
    protected INDArray pre;
    private FlatView preFlat;
    /** Per state kind (h, then c for LSTM): {@code [(T+1)*B, H]} in processing order, see above. */
    private INDArray[] states;
    private FlatView[] stateFlat;
    /** {@code [T*B, R*H]}: the separately gated recurrent part with its bias (GRU), or null. */
    private INDArray recur;
    private FlatView recurFlat;
    /** {@code [T*B, K*H]}: what the cell saves per step for backward (LSTM's tanh(c_t)), or null. */
    private FlatView savedFlat;
    /** The output rows of the current forward pass, {@code [T*B, H]} (fresh each call). */
    private FlatView outFlat;
    /** The hidden units split into one share per {@link StepTeam} member (one share: all of them). */
    private Share[] shares;

    // ---- backward buffers, allocated on the first backward for the current shape ----
    /** {@code [T*B, G*H]}: dL/d(pre-activation) of the input projection, per step. */
    private INDArray dPre;
    private FlatView dPreFlat;
    /** dL/d(recurrent pre-activation) when it differs from dPre (GRU), else null. */
    private INDArray dRecur;
    private FlatView dRecurFlat;
    private INDArray stepGrads;
    private FlatView stepGradFlat;
    private boolean backwardReady;
    private INDArray ones;

    // ---- lanes the mechanics add after the cell's own (see laneTable) ----
    private int[] gateBias;
    private int[] recurrentBias;
    /** dL/dh_t flowing into the step being processed (the product of the later step plus its direct part). */
    private int carried;
    private int[] carriedLane;
    private int outputGrad;
    private int passThrough;
    private int[] stateGradBackup;

    /**
     * Which lane of a step holds what, declared by the cell; lanes {@code 0 .. lanes-1} are the cell's.
     *
     * @param lanes          how many lanes the cell uses
     * @param gates          the G gate blocks in column order: pre-activation (bias added) in, activation out
     * @param gateGrads      where the cell leaves dL/d(pre-activation) of each gate block
     * @param previous       the states before the step (h first), filled by the mechanics
     * @param states         where the cell leaves the states after the step (h first; h is also the output)
     * @param stateGrads     dL/d(state after the step): for h the carried gradient plus the output's,
     *                       filled by the mechanics; for other states (c) carried from the later step
     * @param previousGrads  where the cell leaves dL/d(state before the step): for h only the part that
     *                       does not pass through W_hh (-1: none; the gemm adds the rest), for c all of it
     *                       (may be the same lane as in stateGrads: updated in place)
     * @param saved          lanes kept from forward to backward per step (recomputing them would cost more)
     * @param recurrent      the blocks of h_prev W_hh + b_hh when the cell gates them separately (GRU),
     *                       else empty (then the recurrent gemm adds into the gate pre-activations)
     * @param recurrentGrads dL/d(h_prev W_hh) per block when it differs from gateGrads (GRU), else empty
     */
    protected record Layout(int lanes, int[] gates, int[] gateGrads, int[] previous, int[] states, int[] stateGrads,
                            int[] previousGrads, int[] saved, int[] recurrent, int[] recurrentGrads) {
        static final int NONE = -1;
    }

    protected RecurrentLayer(String name, int inputSize, int hidden, Layout layout) {
        super(name);
        if (inputSize <= 0 || hidden <= 0) {
            throw new IllegalArgumentException(name + ": input size and hidden size must be positive, got "
                    + inputSize + " and " + hidden);
        }
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.layout = layout;
        this.gates = layout.gates().length;
        laneTable();
    }

    /** Numbers the mechanics' own lanes after the cell's: bias tiles, carried dL/dh, output gradient, backups. */
    private void laneTable() {
        int next = layout.lanes();
        gateBias = new int[gates];
        for (int q = 0; q < gates; q++) gateBias[q] = next++;
        recurrentBias = new int[layout.recurrent().length];
        for (int q = 0; q < recurrentBias.length; q++) recurrentBias[q] = next++;
        carried = next++;
        carriedLane = new int[] {carried};
        outputGrad = next++;
        passThrough = next++;
        stateGradBackup = new int[stateCount()];
        for (int s = 1; s < stateCount(); s++) stateGradBackup[s] = next++;
        laneCount = next;
    }

    private int laneCount;

    /** Hidden units below which a share is not worth a thread of its own. */
    private static final int MIN_SHARE = 32;
    /**
     * Multiply-adds of one step's recurrent product below which a share is not worth a thread: the
     * barrier and moving the state between cores cost about as much as the product. Measured on 2
     * cores: LSTM 128 at B=32 (2.1M per step) trains at ~91k tok/s on one share and ~72k on two,
     * while tanh RNN 512 (8.4M) gains from two. Not final: tests lower it to split small layers.
     */
    static long minShareMacs = 4L << 20;

    /**
     * One team member's part of every step: the sequences (batch rows) {@code [row0, row0 + rows)} and
     * the hidden units {@code [from, from + width)}, with its lanes and its two per-step products. It
     * writes only its own rows and columns of every shared buffer. Shares split either the rows (each
     * all units: no step needs another share's state) or the units (each all rows: one barrier per step).
     */
    private final class Share {
        final int row0;
        final int rows;
        final int from;
        final int width;
        final StepLanes lanes;
        /** Forward: {@code [rows, H] x [H, R*width]}, the whole previous h of its rows times its columns of W_hh. */
        final StepGemm forward;
        /** Backward: {@code [rows, R*H] x [R*H, width]}, its rows' recurrent gradients times its columns of W_hh^T. */
        StepGemm backward;

        /** {@code first}: a share of the same rows whose products' input buffers this one shares (null: its own). */
        Share(int row0, int rows, int from, int width, int maxBlocks, Share first) {
            this.row0 = row0;
            this.rows = rows;
            this.from = from;
            this.width = width;
            this.lanes = StepLanes.create(dtype == DataType.FLOAT, laneCount, rows, width, hidden, from, maxBlocks);
            this.forward = first == null ? StepGemm.create(dtype, rows, hidden, recurrentBlocks() * width, time)
                    : first.forward.withSameInput(recurrentBlocks() * width);
        }

        /** The flat row index of this share's first row in block {@code block} of a time-major buffer. */
        int at(int block) {
            return block * batch + row0;
        }
    }

    /** Column blocks of the recurrent product: the separately gated ones (GRU), else every gate. */
    private int recurrentBlocks() {
        return layout.recurrent().length > 0 ? layout.recurrent().length : gates;
    }

    /** Rows a share of the batch needs at least: one full tile of the packed product. */
    private static final int MIN_SHARE_ROWS = 8;
    /**
     * Shares of rows per thread, taken in turn by whichever member is free: a helper thread starts up
     * to a millisecond or two after the caller here (it has to be woken), and with one share each the
     * caller then waited for it at the end of every pass.
     */
    private static final int ROW_SHARES_PER_THREAD = 2;

    /**
     * Shares for this pass, one per compute thread ({@link Blas#threads()}): by rows when the batch
     * gives each at least {@link #MIN_SHARE_ROWS} (no barrier: sequences do not meet), else by units,
     * each at least {@link #MIN_SHARE} units and {@link #minShareMacs} of the step's product. A split
     * by rows measured LSTM 128 (B=32) at ~1.3x and LSTM 512 at ~1.1x the split by units on 2 cores.
     */
    private int shareCount() {
        int threads = Math.min(Blas.threads(), Runtime.getRuntime().availableProcessors());
        if (splitsRows(threads)) return Math.min(threads * ROW_SHARES_PER_THREAD, batch / MIN_SHARE_ROWS);
        long macs = (long) batch * hidden * recurrentBlocks() * hidden;
        return (int) Math.max(1, Math.min(Math.min(threads, hidden / MIN_SHARE), macs / Math.max(1, minShareMacs)));
    }

    /** Whether this pass's shares split the batch rather than the hidden units. */
    private boolean splitsRows(int threads) {
        return threads > 1 && batch / MIN_SHARE_ROWS >= 2;
    }

    private void makeShares(int count) {
        boolean byRows = count > 1 && splitsRows(Math.min(Blas.threads(), Runtime.getRuntime().availableProcessors()));
        if (shares != null && shares.length == count && sharesSplitRows == byRows) return;
        int widest = Math.max(Math.max(gates, layout.recurrent().length), Math.max(layout.saved().length,
                layout.recurrentGrads().length));
        shares = new Share[count];
        sharesSplitRows = byRows;
        for (int k = 0, start = 0; k < count; k++) {
            int size = (byRows ? batch : hidden) / count + (k < (byRows ? batch : hidden) % count ? 1 : 0);
            shares[k] = byRows ? new Share(start, size, 0, hidden, widest, null)
                    : new Share(0, batch, start, size, widest, k == 0 ? null : shares[0]);
            start += size;
        }
        backwardReady = false;
    }

    /** The current shares split the batch rows (no barriers) rather than the hidden units. */
    private boolean sharesSplitRows;

    /**
     * Runs {@code work} for every share: inline for one, else on the {@link StepTeam}, each member's
     * products on one BLAS thread (the team is the parallelism), the BLAS threads restored after.
     */
    private void runShares(java.util.function.Consumer<Share> work) {
        if (shares.length == 1) {
            work.accept(shares[0]);
            return;
        }
        int threads = Blas.threads();
        Blas.setThreads(1);
        try {
            if (sharesSplitRows) {
                // shares of rows need no other share: each member takes the next one not yet taken
                java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
                StepTeam.of(Math.min(threads, shares.length)).run(member -> {
                    for (int k; (k = next.getAndIncrement()) < shares.length; ) work.accept(shares[k]);
                });
            } else {
                team = StepTeam.of(shares.length);
                team.run(k -> work.accept(shares[k]));
            }
        } finally {
            Blas.setThreads(threads);
        }
    }

    /** The team of the pass running now, when there is more than one share. */
    private StepTeam team;

    /** Between two steps: every share has finished the previous one (no-op for one share). */
    private void stepBarrier() {
        if (shares.length > 1 && !sharesSplitRows) team.await();
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

    // ---------------------------------------------------------------- what a cell supplies

    /** Number of state arrays: 1 (h) or 2 (h, c). */
    protected final int stateCount() {
        return layout.states().length;
    }

    /** Name of the bias added to the input projection's gate blocks. */
    protected abstract String inputBiasName();

    /** Name of the bias added to the separately gated recurrent blocks ({@link Layout#recurrent}), or null. */
    protected String recurrentBiasName() {
        return null;
    }

    /**
     * The step's equations forward: the gate lanes hold pre-activations with the bias added (and the
     * recurrent lanes h_prev W_hh + b_hh, if any), the previous-state lanes the states before the step;
     * leave the activations in the gate lanes, the new states and the saved lanes.
     */
    protected abstract void forwardCell(StepLanes x);

    /**
     * The step's equations backward: gate, recurrent, saved and previous-state lanes hold what forward
     * computed, the state-gradient lanes dL/d(state after the step); leave the gate gradients (and
     * recurrent gradients), and the previous-state gradients as {@link Layout} says.
     */
    protected abstract void backwardCell(StepLanes x);

    /** What {@code mode.record()} keeps, after the forward pass; {@code output} is the layer output. */
    protected abstract Map<String, INDArray> record(INDArray output);

    /** What {@link #record} keeps, declared: each array's key, meaning and range, in the order of the equations. */
    public abstract List<Gate> recordedGates();

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

        // All steps' input projection at once: pre = x W_ih (on the BLAS's threads); the steps add the
        // bias (tiled per row in its lanes) to the gate blocks they read anyway.
        Blas.gemm(x, params.value("W_ih"), pre, false, false, 1.0, 0.0);
        makeShares(shareCount());
        List<INDArray> start = startState(mode);
        FlatView[] startFlat = new FlatView[stateCount()];
        for (int s = 0; s < stateCount() && start != null; s++) startFlat[s] = FlatView.of(FlatView.dense(start.get(s), type));
        INDArray out = Nd4j.create(type, (long) time * batch, hidden);
        outFlat = FlatView.of(out);

        runShares(share -> forwardShare(share, startFlat));

        int last = reversed ? 0 : time;
        List<INDArray> end = new ArrayList<>(stateCount());
        for (int s = 0; s < stateCount(); s++) end.add(SeqTensor.stepOf(states[s], last, batch).dup('c'));
        finalState = List.copyOf(end);
        recorded = mode.record() ? Map.copyOf(record(out)) : Map.of();
        return new SeqTensor(out, time, batch, input.mask());
    }

    /** One share's part of the forward pass: its biases, its initial state, then every step. */
    private void forwardShare(Share share, FlatView[] start) {
        share.forward.setWeights(params.value("W_hh"), share.from, share.width);
        StepLanes lanes = share.lanes;
        lanes.tile(RowAccess.values(params.value(inputBiasName())), gateBias);
        if (recurrentBias.length > 0) lanes.tile(RowAccess.values(params.value(recurrentBiasName())), recurrentBias);
        int init = reversed ? time : 0;
        for (int s = 0; s < stateCount(); s++) {
            if (start[s] == null) lanes.zero(passThrough);
            else lanes.read(start[s], share.row0, passThrough);
            lanes.write(stateFlat[s], share.at(init), passThrough);
            if (s == 0) lanes.write(share.forward.input(0), 0, passThrough);
        }
        for (int k = 0; k < time; k++) {
            int t = reversed ? time - 1 - k : k;
            stepBarrier();
            forwardStep(share, t, prevBlock(t), stateBlock(t), k % 2);
        }
    }

    /**
     * One step forward for one share: its recurrent gemm (the whole previous h, in its product's input
     * buffer {@code in}, times its columns of W_hh), then rows to lanes, the cell's equations, the
     * padded-row rule (a padded row keeps its states and outputs 0), and lanes back to rows; its
     * columns of h_t also go to the other input buffer, for the next step's product.
     */
    private void forwardStep(Share share, int t, int prev, int cur, int in) {
        Layout l = layout;
        StepLanes lanes = share.lanes;
        int rows = share.at(t);
        boolean separate = l.recurrent().length > 0;
        StepGemm product = share.forward;
        product.multiply(in);
        lanes.readBlocks(preFlat, rows, l.gates());
        for (int q = 0; q < gates; q++) lanes.add(l.gates()[q], gateBias[q]);
        if (separate) {
            lanes.readProduct(product.output(), product.outputStride(), l.recurrent(), false);
            for (int q = 0; q < recurrentBias.length; q++) lanes.add(l.recurrent()[q], recurrentBias[q]);
        } else {
            lanes.readProduct(product.output(), product.outputStride(), l.gates(), true);
        }
        for (int s = 0; s < stateCount(); s++) lanes.read(stateFlat[s], share.at(prev), l.previous()[s]);

        forwardCell(lanes);

        lanes.writeBlocks(preFlat, rows, l.gates());
        if (separate) lanes.writeBlocks(recurFlat, rows, l.recurrent());
        int[] padded = paddedRows(t, share);
        for (int s = 0; s < stateCount(); s++) lanes.copyRows(l.states()[s], l.previous()[s], padded);
        for (int lane : l.saved()) lanes.zeroRows(lane, padded);
        for (int s = 0; s < stateCount(); s++) lanes.write(stateFlat[s], share.at(cur), l.states()[s]);
        lanes.write(product.input(1 - in), 0, l.states()[0]);
        if (l.saved().length > 0) lanes.writeBlocks(savedFlat, rows, l.saved());
        lanes.zeroRows(l.states()[0], padded);
        lanes.write(outFlat, rows, l.states()[0]);
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
    private int prevBlock(int t) {
        return reversed ? t + 1 : t;
    }

    /** Block of the state buffers holding the state after step t. */
    private int stateBlock(int t) {
        return reversed ? t : t + 1;
    }

    /** Rows {@code [T*B, H]} of a state buffer in time order: the state after each step t. */
    protected final INDArray statesInTimeOrder(int stateKind) {
        long from = (long) stateBlock(0) * batch;
        return states[stateKind].get(NDArrayIndex.interval(from, from + (long) time * batch), NDArrayIndex.all());
    }

    /** Rows {@code [T*B, H]}: the state before each step t, in time order (contiguous, see above). */
    private INDArray previousStatesInTimeOrder(int stateKind) {
        long from = (long) prevBlock(0) * batch;
        return states[stateKind].get(NDArrayIndex.interval(from, from + (long) time * batch), NDArrayIndex.all());
    }

    private static final int[] NO_ROWS = new int[0];

    /** The share's sequences (its rows of the step's block, counted from its first) that are padding at step t; usually none. */
    private int[] paddedRows(int t, Share share) {
        if (mask == null) return NO_ROWS;
        int n = 0, first = share.at(t);
        for (int b = 0; b < share.rows; b++) if (mask[first + b] == 0.0) n++;
        if (n == 0) return NO_ROWS;
        int[] rows = new int[n];
        for (int b = 0, k = 0; b < share.rows; b++) if (mask[first + b] == 0.0) rows[k++] = b;
        return rows;
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
        preFlat = FlatView.of(pre);
        states = new INDArray[stateCount()];
        stateFlat = new FlatView[stateCount()];
        for (int s = 0; s < stateCount(); s++) {
            states[s] = Nd4j.create(type, (long) (t + 1) * b, hidden);
            stateFlat[s] = FlatView.of(states[s]);
        }
        int r = layout.recurrent().length;
        recur = r == 0 ? null : Nd4j.create(type, (long) t * b, (long) r * hidden);
        recurFlat = r == 0 ? null : FlatView.of(recur);
        int k = layout.saved().length;
        savedFlat = k == 0 ? null : FlatView.of(Nd4j.create(type, (long) t * b, (long) k * hidden));
        shares = null;
        backwardReady = false;
    }

    // ---------------------------------------------------------------- backward

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        if (lastInput == null) throw new IllegalStateException(name() + ": backward before forward");
        Layout l = layout;
        if (!backwardReady) {
            dPre = Nd4j.create(dtype, (long) time * batch, (long) gates * hidden);
            dPreFlat = FlatView.of(dPre);
            int r = l.recurrentGrads().length;
            dRecur = r == 0 ? null : Nd4j.create(dtype, (long) time * batch, (long) r * hidden);
            dRecurFlat = r == 0 ? null : FlatView.of(dRecur);
            stepGrads = Nd4j.create(dtype, (long) time * batch, hidden);
            stepGradFlat = FlatView.of(stepGrads);
            for (Share share : shares) {
                share.backward = share == shares[0] || sharesSplitRows
                        ? StepGemm.create(dtype, share.rows, recurrentBlocks() * hidden, share.width, time)
                        : shares[0].backward.withSameInput(share.width);
            }
            backwardReady = true;
        }
        // dL/d(initial state) per state, each share writing its columns
        INDArray[] initialGrads = new INDArray[stateCount()];
        FlatView[] initialGradsFlat = new FlatView[stateCount()];
        for (int s = 0; s < stateCount(); s++) {
            initialGrads[s] = Nd4j.create(dtype, batch, hidden);
            initialGradsFlat[s] = FlatView.of(initialGrads[s]);
        }
        FlatView gradOut = FlatView.of(FlatView.dense(gradOutput.data(), dtype));

        runShares(share -> backwardShare(share, gradOut, initialGradsFlat));

        stepGradients = stepGrads;
        List<INDArray> init = new ArrayList<>(stateCount());
        for (int s = 0; s < stateCount(); s++) init.add(initialGrads[s]);
        initialStateGradients = List.copyOf(init);

        // Over all steps at once: dW_ih += x^T dPre, db += column sums, dx = dPre W_ih^T,
        // dW_hh += H_prev^T dRec (H_prev: the state before each step, one contiguous range).
        INDArray dRec = dRecur == null ? dPre : dRecur;
        Blas.gemm(x, dPre, params.grad("W_ih"), true, false, 1.0, 1.0);
        addColumnSums(dPre, params.grad(inputBiasName()));
        Blas.gemm(previousStatesInTimeOrder(0), dRec, params.grad("W_hh"), true, false, 1.0, 1.0);
        if (recurrentBiasName() != null) addColumnSums(dRec, params.grad(recurrentBiasName()));
        INDArray dx = Blas.gemm(dPre, params.value("W_ih"), false, true);
        return lastInput.withData(dx);
    }

    /** One share's part of backpropagation through time: every step in reverse, then its dL/d(initial state). */
    private void backwardShare(Share share, FlatView gradOut, FlatView[] initialGrads) {
        share.backward.setWeightsTransposed(params.value("W_hh"), share.from); // its columns of W_hh^T
        Layout l = layout;
        StepLanes lanes = share.lanes;
        for (int s = 1; s < stateCount(); s++) lanes.zero(l.stateGrads()[s]);
        lanes.zero(carried);
        int direct = Layout.NONE;
        for (int k = time - 1; k >= 0; k--) {
            int t = reversed ? time - 1 - k : k;
            int in = (time - 1 - k) % 2;
            if (k < time - 1) carriedGradient(share, direct);
            direct = backwardStep(share, t, prevBlock(t), gradOut, in);
        }
        carriedGradient(share, direct);
        lanes.write(initialGrads[0], share.row0, carried);
        for (int s = 1; s < stateCount(); s++) lanes.write(initialGrads[s], share.row0, l.stateGrads()[s]);
    }

    /**
     * The carried lane = dL/dh_{t-1} of the step just processed: the product {@code dRec W_hh^T} (its
     * columns) plus the cell's direct part, in lane {@code direct} (none: {@link Layout#NONE}).
     */
    private void carriedGradient(Share share, int direct) {
        StepLanes lanes = share.lanes;
        StepGemm product = share.backward;
        lanes.readProduct(product.output(), product.outputStride(), carriedLane, false);
        if (direct != Layout.NONE) lanes.add(carried, direct);
    }

    /**
     * One step backwards for one share: rows to lanes, dL/dh_t = carried + output gradient, the cell's
     * equations, the padded-row rule (zero gate gradients, gradients of the states pass through
     * unchanged), lanes back to rows and its columns of the recurrent gradients into the product's
     * input buffer {@code in}; then, once every share has written those, its product: its columns of
     * {@code dRec W_hh^T}. Returns the lane holding the direct part of dL/dh_{t-1} (or NONE).
     */
    private int backwardStep(Share share, int t, int prev, FlatView gradOut, int in) {
        Layout l = layout;
        StepLanes lanes = share.lanes;
        int rows = share.at(t);
        lanes.readBlocks(preFlat, rows, l.gates());
        if (l.recurrent().length > 0) lanes.readBlocks(recurFlat, rows, l.recurrent());
        if (l.saved().length > 0) lanes.readBlocks(savedFlat, rows, l.saved());
        for (int s = 0; s < stateCount(); s++) lanes.read(stateFlat[s], share.at(prev), l.previous()[s]);
        lanes.read(gradOut, rows, outputGrad);
        lanes.sum(l.stateGrads()[0], carried, outputGrad);
        int[] padded = paddedRows(t, share);
        boolean anyPadded = padded.length > 0;
        if (anyPadded) for (int s = 1; s < stateCount(); s++) lanes.copy(stateGradBackup[s], l.stateGrads()[s]);

        backwardCell(lanes);

        int direct = l.previousGrads()[0];
        if (anyPadded) {
            for (int lane : l.gateGrads()) lanes.zeroRows(lane, padded);
            for (int lane : l.recurrentGrads()) lanes.zeroRows(lane, padded);
            lanes.zeroRows(l.stateGrads()[0], padded);
            for (int s = 1; s < stateCount(); s++) lanes.copyRows(l.previousGrads()[s], stateGradBackup[s], padded);
            if (direct == Layout.NONE) {
                lanes.zero(passThrough);
                direct = passThrough;
            }
            lanes.copyRows(direct, carried, padded);
        }
        lanes.writeBlocks(dPreFlat, rows, l.gateGrads());
        if (dRecur != null) lanes.writeBlocks(dRecurFlat, rows, l.recurrentGrads());
        lanes.write(stepGradFlat, rows, l.stateGrads()[0]);
        StepGemm product = share.backward;
        lanes.writeBlocks(product.input(in), 0, dRecur != null ? l.recurrentGrads() : l.gateGrads());
        stepBarrier(); // the product reads every share's recurrent gradients of this step
        product.multiply(in);
        for (int s = 1; s < stateCount(); s++) {
            if (l.previousGrads()[s] != l.stateGrads()[s]) lanes.copy(l.stateGrads()[s], l.previousGrads()[s]);
        }
        return direct;
    }

    /**
     * {@code target += column sums of rows}, as a gemm with a ones column: ND4J's sum over
     * dimension 0 of a c-order matrix walks it with a stride and measured ~20x slower.
     */
    private void addColumnSums(INDArray rows, INDArray target) {
        if (ones == null || ones.rows() != rows.rows() || ones.dataType() != rows.dataType()) {
            ones = Nd4j.ones(rows.dataType(), rows.rows(), 1);
        }
        Blas.gemm(ones, rows, target.reshape(1, target.length()), true, false, 1.0, 1.0);
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
