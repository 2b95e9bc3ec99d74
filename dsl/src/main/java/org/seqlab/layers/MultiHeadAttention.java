package org.seqlab.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multi-head scaled dot-product self-attention, as torch.nn.MultiheadAttention with
 * {@code batch_first=True}, optionally causal and with a residual connection ({@code x + MHA(x)}).
 *
 * <p>Parameters: {@code W_qkv [D, 3D]} with q|k|v column blocks (torch {@code in_proj_weight} is
 * its transpose), {@code b_qkv [3D]}, {@code W_o [D, D]} (torch {@code out_proj.weight}
 * transposed), {@code b_o [D]}. Head h uses columns {@code h*dh .. (h+1)*dh} of each block.
 *
 * <p>Per sequence and head: {@code S = (q / sqrt(dh)) k^T + bias}, {@code A = softmax(S)},
 * {@code ctx = A v}, then {@code out = ctx W_o + b_o}. The bias is -1e9 where a key is padding or
 * (causal) in the future, so those keys get weight exactly 0. Padded query rows still attend (their
 * weight rows sum to 1, as in torch) but their attention output is set to 0. The time-major rows
 * are permuted once to {@code [B, heads, T, dh]} and every product is one batched matmul.
 *
 * <p>Backward: {@code dA = dctx v^T}, {@code dv = A^T dctx}, softmax Jacobian
 * {@code dS = A * (dA - rowsum(dA * A))}, then {@code dq = dS k / sqrt(dh)}, {@code dk = dS^T q / sqrt(dh)}.
 *
 * <p>Generation: when causal and {@code mode.carryState()}, the keys and values of earlier calls
 * are kept (a KV cache), so a call with T=1 attends over every previous step plus itself and
 * equals the matching row of a full causal forward. Gradients do not flow into cached steps
 * (the truncated-BPTT convention). The cache keeps at most {@link #CACHE_STEPS} steps, a sliding
 * window: contiguous training (truncated BPTT over streams) and long generation would otherwise grow
 * it, and the cost of every call with it, without bound. {@link #resetState()} clears the cache.
 */
public final class MultiHeadAttention extends Layer implements Recurrent, RowSelectable {
    /** Additive score for a disallowed key: exp underflows to exactly 0 in float and double. */
    private static final double BLOCKED = -1e9;
    /** How many earlier steps a carried call can attend to. */
    public static final int CACHE_STEPS = 128;

    private final int width;
    private final int heads;
    private final int headSize;
    private final boolean causal;
    private final boolean residual;

    // KV cache [B, heads, Tc, dh] and its key mask (null: all real).
    private INDArray cacheK;
    private INDArray cacheV;
    private boolean[][] cacheKeyReal;
    /** The causal score bias of the last shape, reused while it stays (training repeats one shape). */
    private INDArray causalBias;
    private final AffineMap inProjection = new AffineMap();
    private final AffineMap outProjection = new AffineMap();

    // Forward cache for backward.
    private SeqTensor lastInput;
    private INDArray lastQScaled; // [B, H, Tq, dh]
    private INDArray lastK;       // [B, H, Tk, dh], cached steps first
    private INDArray lastV;
    private INDArray lastWeights; // [B, H, Tq, Tk]
    private INDArray lastContext; // [Tq*B, D]
    private INDArray recordedWeights;
    /** Whether the last forward ran on {@link #kernel} (float, no cache), which then holds its q, k, v and weights. */
    private boolean lastFused;
    private AttentionKernel kernel;
    /** The q|k|v rows of the last fused forward (reused while the shape stays). */
    private float[] fusedRows;
    /** The fused forward whose keys and values are the cache, not yet made into {@link #cacheK} and {@link #cacheV}. */
    private AttentionKernel cacheSource;

    public MultiHeadAttention(String name, int width, int heads, boolean causal, boolean residual) {
        super(name);
        Checks.positive(name, "width", width);
        LayerRules.require(name, LayerRules.headsDivide(width, heads));
        this.width = width;
        this.heads = heads;
        this.headSize = width / heads;
        this.causal = causal;
        this.residual = residual;
    }

    @Override
    public String kind() {
        return "MultiHeadAttention(" + heads + " heads" + (causal ? ", causal" : "") + (residual ? ", residual" : "") + ")";
    }

    @Override
    public int inputSize() {
        return width;
    }

    @Override
    public int outputSize() {
        return width;
    }

    public int heads() {
        return heads;
    }

    public boolean causal() {
        return causal;
    }

    public boolean residual() {
        return residual;
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        long d = width;
        return List.of(
                new ParamSpec("W_qkv", new long[] {d, 3 * d}, "[D, 3D]: columns q | k | v (torch in_proj_weight transposed)"),
                new ParamSpec("b_qkv", new long[] {3 * d}, "[3D]: q | k | v"),
                new ParamSpec("W_o", new long[] {d, d}, "[D, D] output projection (torch out_proj.weight transposed)"),
                new ParamSpec("b_o", new long[] {d}, "[D]"));
    }

    /** As torch: Xavier-uniform W_qkv over its [3D, D] shape, zero biases; Xavier-uniform W_o. */
    @Override
    public void initialize(Random random) {
        Init.xavierUniform(params.value("W_qkv"), width, 3L * width, random);
        params.value("b_qkv").assign(0);
        Init.xavierUniform(params.value("W_o"), width, width, random);
        params.value("b_o").assign(0);
    }

    @Override
    public SeqTensor forward(SeqTensor input, Mode mode) {
        Checks.width(this, input, width);
        int tq = input.time(), batch = input.batch();
        if (causal && mode.carryState()) settleCache();
        else cacheSource = null; // a call that does not carry replaces the cache
        boolean useCache = causal && mode.carryState() && cacheK != null;
        if (useCache && cacheK.size(0) != batch) {
            throw new IllegalStateException(name() + ": the key/value cache holds " + cacheK.size(0)
                    + " sequences but this call has " + batch + "; call resetState() before a new batch");
        }
        // What the previous call kept for its backward (and a cache this call replaces) is freed
        // below, once this call no longer reads it: ND4J frees native memory only when the Java
        // garbage collector runs, and these [B, heads, T, T] arrays made the card model grow by
        // hundreds of MB per step.
        List<INDArray> previous = new java.util.ArrayList<>(java.util.Arrays.asList(
                lastQScaled, lastK, lastV, lastWeights == recordedWeights ? null : lastWeights, lastContext));
        if (causal) {
            previous.add(cacheK);
            previous.add(cacheV);
        }
        INDArray x = input.data();
        INDArray projected = inProjection.forward(x, params.value("W_qkv"), params.value("b_qkv"));
        boolean[] real = RowAccess.real(input.mask(), tq * batch);
        boolean[][] keyReal = keyReal(real, tq, batch, useCache ? cacheKeyReal : null, useCache ? (int) cacheK.size(2) : 0);
        lastFused = !useCache && x.dataType() == DataType.FLOAT && StepGemm.VECTORS;
        INDArray context = lastFused ? attendFused(projected, keyReal, tq, batch, mode)
                : attend(projected, keyReal, tq, batch, useCache, mode);
        release(projected);

        INDArray out = outProjection.forward(context, params.value("W_o"), params.value("b_o"));
        if (input.mask() != null) out.muliColumnVector(input.mask());
        if (residual) out.addi(x);
        lastInput = input;
        lastContext = context;
        for (INDArray old : previous) {
            if (old != null && old != cacheK && old != cacheV && old != lastK && old != lastV) release(old);
        }
        return input.withData(out);
    }

    /**
     * The context rows {@code [Tq*B, D]} on ND4J: batched matmuls over {@code [B, H, T, dh]}. Keeps q,
     * k, v and the weights for backward, and (causal) the keys and values as the cache.
     */
    private INDArray attend(INDArray projected, boolean[][] keyReal, int tq, int batch, boolean useCache, Mode mode) {
        INDArray qkv = projected.reshape('c', tq, batch, 3, heads, headSize);
        INDArray q = toHeads(qkv.get(all(), all(), point(0), all(), all())).muli(1.0 / Math.sqrt(headSize));
        INDArray k = toHeads(qkv.get(all(), all(), point(1), all(), all()));
        INDArray v = toHeads(qkv.get(all(), all(), point(2), all(), all()));
        if (useCache) {
            INDArray kNew = k, vNew = v;
            k = Nd4j.concat(2, cacheK, kNew);
            v = Nd4j.concat(2, cacheV, vNew);
            release(kNew, vNew);
        }
        int tk = (int) k.size(2);

        INDArray scores = Nd4j.matmul(q, k, false, true, false); // [B, H, Tq, Tk]
        blockKeys(scores, keyReal, batch, tq, tk);
        INDArray weights = Nd4j.exec(new SoftMax(scores, scores, -1))[0];
        INDArray heads = Nd4j.matmul(weights, v);
        INDArray context = fromHeads(heads, tq, batch); // [Tq*B, D]
        release(heads);

        if (causal) {
            int keep = Math.min(tk, CACHE_STEPS);
            cacheK = tk == keep ? k : k.get(all(), all(), interval(tk - keep, tk), all()).dup('c');
            cacheV = tk == keep ? v : v.get(all(), all(), interval(tk - keep, tk), all()).dup('c');
            cacheKeyReal = tk == keep ? keyReal : lastSteps(keyReal, keep);
        }
        lastQScaled = q;
        lastK = k;
        lastV = v;
        lastWeights = weights;
        recordedWeights = mode.record() ? weights : null;
        return context;
    }

    /**
     * The context rows {@code [T*B, D]} by {@link AttentionKernel} (float, no cache), which keeps q, k,
     * v and the weights in Java arrays; the cache is made from them only when a carried call, {@link
     * #finalState()} or {@link #selectRows} asks for it.
     */
    private INDArray attendFused(INDArray projected, boolean[][] keyReal, int time, int batch, Mode mode) {
        if (kernel == null || !kernel.fits(batch, time, causal)) {
            kernel = null; // its arrays can go before the new ones are made
            kernel = new AttentionKernel(batch, heads, headSize, time, causal);
        }
        fusedRows = FlatView.read(projected, fusedRows);
        float[][] keyBias = keyBias(keyReal);
        float[] context = new float[time * batch * width];
        kernel.forward(fusedRows, keyBias, context);
        lastQScaled = lastK = lastV = lastWeights = null;
        if (causal) {
            cacheK = cacheV = null;
            cacheSource = kernel;
            cacheKeyReal = keyReal;
        }
        recordedWeights = mode.record()
                ? FlatView.write(kernel.weights, batch, heads, time, time) : null;
        return FlatView.write(context, (long) time * batch, width);
    }

    /** Per sequence, 0 or {@link AttentionKernel#BLOCKED} per key; null when no key is padded. */
    private static float[][] keyBias(boolean[][] keyReal) {
        boolean anyPadding = false;
        for (boolean[] row : keyReal) for (boolean r : row) anyPadding |= !r;
        if (!anyPadding) return null;
        float[][] bias = new float[keyReal.length][];
        for (int b = 0; b < keyReal.length; b++) {
            bias[b] = new float[keyReal[b].length];
            for (int j = 0; j < bias[b].length; j++) if (!keyReal[b][j]) bias[b][j] = AttentionKernel.BLOCKED;
        }
        return bias;
    }

    /** Makes the key/value cache from the last fused forward, when it has not been made yet. */
    private void settleCache() {
        if (cacheSource == null) return;
        AttentionKernel source = cacheSource;
        cacheSource = null;
        long[] shape = {source.batch, heads, source.time, headSize};
        INDArray k = FlatView.write(source.k, shape), v = FlatView.write(source.v, shape);
        int tk = source.time, keep = Math.min(tk, CACHE_STEPS);
        cacheK = tk == keep ? k : k.get(all(), all(), interval(tk - keep, tk), all()).dup('c');
        cacheV = tk == keep ? v : v.get(all(), all(), interval(tk - keep, tk), all()).dup('c');
        if (tk != keep) {
            release(k, v);
            cacheKeyReal = lastSteps(cacheKeyReal, keep);
        }
    }

    /** {@code [T, B, H, dh]} (a view into the projection) to a c-order {@code [B, H, T, dh]}. */
    static INDArray toHeads(INDArray tbhd) {
        return tbhd.permute(1, 2, 0, 3).dup('c');
    }

    /** {@code [B, H, T, dh]} to time-major rows {@code [T*B, D]}. */
    private INDArray fromHeads(INDArray bhtd, int time, int batch) {
        return fromHeads(bhtd, time, batch, width);
    }

    /** {@code [B, H, T, dh]} to time-major rows {@code [T*B, H*dh]}, a fresh array (not a reshape view of a copy: it can be released). */
    static INDArray fromHeads(INDArray bhtd, int time, int batch, int width) {
        INDArray rows = Nd4j.create(bhtd.dataType(), (long) time * batch, width);
        rows.reshape('c', time, batch, bhtd.size(1), bhtd.size(3)).assign(bhtd.permute(2, 0, 1, 3));
        return rows;
    }

    /**
     * dL/d(scores) from dL/d(weights) through the softmax along {@code dim} (the last):
     * {@code dS = A * (dA - rowsum(dA * A))}; overwrites and returns {@code dWeights}.
     */
    static INDArray softmaxBackward(INDArray dWeights, INDArray weights, int dim) {
        INDArray rowDot = dWeights.mul(weights).sum(true, dim);
        return dWeights.subi(rowDot).muli(weights);
    }

    private static boolean[][] lastSteps(boolean[][] keyReal, int keep) {
        boolean[][] out = new boolean[keyReal.length][];
        for (int b = 0; b < keyReal.length; b++) {
            out[b] = java.util.Arrays.copyOfRange(keyReal[b], keyReal[b].length - keep, keyReal[b].length);
        }
        return out;
    }

    /** keyReal[b][j]: key j of sequence b is a real step (cached keys first, then this call's). */
    private static boolean[][] keyReal(boolean[] realRows, int tq, int batch, boolean[][] cached, int cachedSteps) {
        boolean[][] keyReal = new boolean[batch][cachedSteps + tq];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < cachedSteps; j++) keyReal[b][j] = cached[b][j];
            for (int t = 0; t < tq; t++) keyReal[b][cachedSteps + t] = realRows[t * batch + b];
        }
        return keyReal;
    }

    /**
     * Adds the score biases that block keys: BLOCKED for keys after the query when causal (query i
     * sits at absolute step Tk - Tq + i; a cached {@code [1, 1, Tq, Tk]} array, broadcast over batch
     * and heads) and for padded keys ({@code [B, 1, 1, Tk]}, broadcast over heads and queries). One
     * query per call (generation) sees every key so far: nothing to block for causality.
     */
    private void blockKeys(INDArray scores, boolean[][] keyReal, int batch, int tq, int tk) {
        if (causal && tq > 1) scores.addi(causalBias(tq, tk, scores.dataType()));
        boolean anyPadding = false;
        for (boolean[] row : keyReal) for (boolean r : row) anyPadding |= !r;
        if (!anyPadding) return;
        double[] bias = new double[batch * tk];
        for (int b = 0; b < batch; b++) for (int j = 0; j < tk; j++) if (!keyReal[b][j]) bias[b * tk + j] = BLOCKED;
        scores.addi(Nd4j.create(bias, new long[] {batch, 1, 1, tk}, scores.dataType()));
    }

    /** {@code [1, 1, tq, tk]}: BLOCKED where key j is after query i; kept while the shape and type stay. */
    private INDArray causalBias(int tq, int tk, org.nd4j.linalg.api.buffer.DataType type) {
        if (causalBias == null || causalBias.size(2) != tq || causalBias.size(3) != tk || causalBias.dataType() != type) {
            int offset = tk - tq;
            double[] bias = new double[tq * tk];
            for (int i = 0; i < tq; i++) for (int j = offset + i + 1; j < tk; j++) bias[i * tk + j] = BLOCKED;
            causalBias = Nd4j.create(bias, new long[] {1, 1, tq, tk}, type);
        }
        return causalBias;
    }

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        Checks.backwardAfterForward(this, lastInput);
        int tq = lastInput.time(), batch = lastInput.batch();
        INDArray gy = gradOutput.data();
        INDArray g = lastInput.mask() == null ? gy : gy.mulColumnVector(lastInput.mask());

        INDArray dContextRows = outProjection.backward(lastContext, g, params.value("W_o"), params.grad("W_o"), params.grad("b_o"));
        INDArray dRows = lastFused ? backwardFused(dContextRows) : backwardNd4j(dContextRows, tq, batch);
        INDArray dx = inProjection.backward(lastInput.data(), dRows, params.value("W_qkv"), params.grad("W_qkv"),
                params.grad("b_qkv"));
        if (residual) dx.addi(gy);
        release(g == gy ? null : g, dContextRows, dRows);
        return lastInput.withData(dx);
    }

    /** dL/d(projected q|k|v rows) {@code [Tq*B, 3D]} from dL/d(context rows), on ND4J. */
    private INDArray backwardNd4j(INDArray dContextRows, int tq, int batch) {
        int tk = (int) lastK.size(2);
        double scale = 1.0 / Math.sqrt(headSize);
        INDArray dContext = toHeads(dContextRows.reshape('c', tq, batch, heads, headSize));

        INDArray dWeights = Nd4j.matmul(dContext, lastV, false, true, false);          // [B, H, Tq, Tk]
        INDArray dVAll = Nd4j.matmul(lastWeights, dContext, true, false, false);       // [B, H, Tk, dh]
        INDArray dScores = softmaxBackward(dWeights, lastWeights, 3);                  // in place of dWeights
        INDArray dQ = Nd4j.matmul(dScores, lastK).muli(scale);                        // [B, H, Tq, dh]
        INDArray dKAll = Nd4j.matmul(dScores, lastQScaled, true, false, false);       // [B, H, Tk, dh]
        INDArray dK = dKAll, dV = dVAll;
        if (tk > tq) { // cached steps get no gradient
            dK = dKAll.get(all(), all(), interval(tk - tq, tk), all());
            dV = dVAll.get(all(), all(), interval(tk - tq, tk), all());
        }

        INDArray dRows = Nd4j.create(dContextRows.dataType(), (long) tq * batch, 3L * width);
        INDArray dQkv = dRows.reshape('c', tq, batch, 3, heads, headSize);
        dQkv.get(all(), all(), point(0), all(), all()).assign(dQ.permute(2, 0, 1, 3));
        dQkv.get(all(), all(), point(1), all(), all()).assign(dK.permute(2, 0, 1, 3));
        dQkv.get(all(), all(), point(2), all(), all()).assign(dV.permute(2, 0, 1, 3));
        release(dContext, dWeights, dVAll, dQ, dKAll);
        return dRows;
    }

    /** The same by {@link AttentionKernel}, from what its forward kept. */
    private INDArray backwardFused(INDArray dContextRows) {
        float[] dQkv = new float[kernel.time * kernel.batch * 3 * width];
        kernel.backward(FlatView.read(dContextRows, null), dQkv);
        return FlatView.write(dQkv, (long) kernel.time * kernel.batch, 3L * width);
    }

    @Override
    public void resetState() {
        cacheSource = null;
        cacheK = null;
        cacheV = null;
        cacheKeyReal = null;
    }

    /** Whether the last forward ran on {@link AttentionKernel} (for tests: the float path must really use it). */
    boolean fusedLastForward() {
        return lastFused;
    }

    /** Keeps the key/value cache of sequences {@code rows} (beam search continues, and may repeat, some rows). */
    @Override
    public void selectRows(int[] rows) {
        settleCache();
        if (cacheK == null) return;
        cacheK = pickSequences(cacheK, rows);
        cacheV = pickSequences(cacheV, rows);
        boolean[][] real = new boolean[rows.length][];
        for (int i = 0; i < rows.length; i++) real[i] = cacheKeyReal[rows[i]].clone();
        cacheKeyReal = real;
    }

    /** Sequences {@code rows} of a {@code [B, ...]} array, as a new c-order array. */
    static INDArray pickSequences(INDArray batchFirst, int[] rows) {
        long[] shape = batchFirst.shape();
        long rest = batchFirst.length() / shape[0];
        INDArray flat = batchFirst.dup('c').reshape('c', shape[0], rest);
        long[] picked = shape.clone();
        picked[0] = rows.length;
        return Nd4j.pullRows(flat, 1, rows).reshape('c', picked);
    }

    /** The key/value cache as {@code [K, V]}, each {@code [B, heads, steps, dh]}; empty when none. */
    @Override
    public List<INDArray> finalState() {
        settleCache();
        return cacheK == null ? List.of() : List.of(cacheK, cacheV);
    }

    /** {@code weights}: {@code [B, heads, Tq, Tk]} attention weights of the last recorded forward pass. */
    @Override
    public Map<String, INDArray> recorded() {
        return recordedWeights == null ? Map.of() : Map.of("weights", recordedWeights);
    }
}
