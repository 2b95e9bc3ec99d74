package org.seqlab.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Attention of a recurrent decoder over the encoder's states (the memory), with Luong et al.'s
 * (2015) placement: the query is the decoder's current state h_t, and the layer outputs the
 * attentional state {@code h~_t = tanh([c_t ; h_t] W_c + b_c)} of the decoder's width, where
 * {@code c_t = sum_j a_tj m_j} and {@code a_t = softmax_j(score(h_t, m_j))} over the real source steps.
 * Scores ({@link AttentionScore}):
 * <ul>
 *   <li>{@code DOT}: {@code h_t . m_j} (Luong; query and memory widths equal);</li>
 *   <li>{@code GENERAL}: {@code h_t W_a m_j} (Luong), {@code W_a [Dq, Dm]};</li>
 *   <li>{@code ADDITIVE}: {@code v . tanh(h_t W_q + m_j W_k + b)} (Bahdanau et al. 2015),
 *       {@code W_q [Dq, A]}, {@code W_k [Dm, A]}, {@code b [A]}, {@code v [A]}.</li>
 * </ul>
 * Bahdanau's decoder scores with the previous state and feeds c_t into the recurrence; here the
 * additive score is used in Luong's placement, so the decoder RNN runs over the whole target as one
 * layer and this layer follows it. {@code W_c [Dm + Dq, Dq]} has the context rows first.
 *
 * <p>Input: the decoder states, time-major {@code [Tq*B, Dq]} with the target mask; padded query
 * rows output 0. The memory ({@code [S*B, Dm]} with the source mask; padded source steps get weight
 * exactly 0) is given by {@link #attendTo} before the forward pass; {@link #memoryGradient()} holds
 * dL/d(memory) after the backward pass, for the encoder. Scores, weights and contexts are batched
 * matmuls over {@code [B, Tq, S]}; the additive score's tanh layer ({@code [B, Tq, S, A]}) runs in
 * Java over one array per call (the rational tanh of {@link GateMath} in float models).
 *
 * <p>Backward, with {@code dC} from {@code W_c}: {@code dA = dC M^T}, {@code dM = A^T dC + ...},
 * {@code dE = A * (dA - rowsum(dA * A))}; then through the score: dot {@code dQ += dE M},
 * {@code dM += dE^T Q}; general the same with {@code Q W_a}; additive through {@code v} and the tanh layer.
 *
 * <p>Stepping ({@code mode.carryState()}, one target step per call): the memory's projection
 * ({@code m W_k + b}) is computed once per {@link #attendTo} and reused; without carryState it is
 * recomputed each call, so updated weights always count.
 */
public final class CrossAttention extends Layer implements AttendsToMemory {
    private static final double BLOCKED = -1e9;
    private final int queryWidth;
    private final int memoryWidth;
    private final AttentionScore score;
    private final int attentionSize;
    private final AttendedMemory attended;

    private INDArray memory3;          // [B, S, Dm]
    private INDArray keyBias;          // [B, 1, S]: BLOCKED at padded source steps, or null
    private double[] memoryKeys;       // ADDITIVE: m W_k + b, time-major [S*B, A]

    // forward cache
    private SeqTensor lastInput;
    private INDArray queries3;         // [B, Tq, Dq]
    private INDArray projected3;       // GENERAL: q W_a, [B, Tq, Dm]
    private double[] projected;        // ADDITIVE: q W_q, time-major [Tq*B, A]
    private double[] hidden;           // ADDITIVE: tanh(q W_q + m W_k + b), [B, Tq, S, A]
    private INDArray weights;          // [B, Tq, S]
    private INDArray joined;           // [c ; q], [Tq*B, Dm + Dq]
    private INDArray output;
    private INDArray recordedWeights;

    public CrossAttention(String name, int queryWidth, int memoryWidth, AttentionScore score, int attentionSize) {
        super(name);
        Checks.positive(name, "query width", queryWidth);
        this.attended = new AttendedMemory(this, memoryWidth);
        this.score = java.util.Objects.requireNonNull(score, "score");
        if (score == AttentionScore.DOT && queryWidth != memoryWidth) {
            throw new IllegalArgumentException(name + ": dot-product attention needs the decoder width (" + queryWidth
                    + ") to equal the encoder width (" + memoryWidth + "); use Attention.general() or Attention.additive()");
        }
        if (score == AttentionScore.ADDITIVE) Checks.positive(name, "attention size", attentionSize);
        this.queryWidth = queryWidth;
        this.memoryWidth = memoryWidth;
        this.attentionSize = score == AttentionScore.ADDITIVE ? attentionSize : 0;
    }

    @Override
    public String kind() {
        return "CrossAttention(" + score.label() + (score == AttentionScore.ADDITIVE ? " " + attentionSize : "") + ")";
    }

    @Override
    public int inputSize() {
        return queryWidth;
    }

    @Override
    public int outputSize() {
        return queryWidth;
    }

    @Override
    public int memoryWidth() {
        return memoryWidth;
    }

    public AttentionScore score() {
        return score;
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        long q = queryWidth, m = memoryWidth, a = attentionSize;
        List<ParamSpec> specs = new ArrayList<>();
        if (score == AttentionScore.GENERAL) specs.add(new ParamSpec("W_a", new long[] {q, m}, "[Dq, Dm]: score h W_a m"));
        if (score == AttentionScore.ADDITIVE) {
            specs.add(new ParamSpec("W_q", new long[] {q, a}, "[Dq, A]: query projection"));
            specs.add(new ParamSpec("W_k", new long[] {m, a}, "[Dm, A]: memory projection"));
            specs.add(new ParamSpec("b", new long[] {a}, "[A]"));
            specs.add(new ParamSpec("v", new long[] {a}, "[A]: score v . tanh(h W_q + m W_k + b)"));
        }
        specs.add(new ParamSpec("W_c", new long[] {m + q, q}, "[Dm + Dq, Dq]: rows for the context first, then the query"));
        specs.add(new ParamSpec("b_c", new long[] {q}, "[Dq]"));
        return List.copyOf(specs);
    }

    /** Xavier-uniform matrices, zero biases, v uniform in +-1/sqrt(A). */
    @Override
    public void initialize(Random random) {
        if (score == AttentionScore.GENERAL) Init.xavierUniform(params.value("W_a"), queryWidth, memoryWidth, random);
        if (score == AttentionScore.ADDITIVE) {
            Init.xavierUniform(params.value("W_q"), queryWidth, attentionSize, random);
            Init.xavierUniform(params.value("W_k"), memoryWidth, attentionSize, random);
            params.value("b").assign(0);
            Init.uniform(params.value("v"), 1.0 / Math.sqrt(attentionSize), random);
        }
        Init.xavierUniform(params.value("W_c"), memoryWidth + queryWidth, queryWidth, random);
        params.value("b_c").assign(0);
    }

    // ---------------------------------------------------------------- memory

    @Override
    public void attendTo(SeqTensor memory) {
        attended.set(memory);
        DataType type = params.value("W_c").dataType();
        int s = memory.time(), batch = memory.batch();
        this.memory3 = batchFirst(FlatView.dense(memory.data(), type), s, batch);
        this.keyBias = keyBias(RowAccess.real(memory.mask(), s * batch), s, batch, type);
        this.memoryKeys = null;
    }

    @Override
    public SeqTensor memory() {
        return attended.get();
    }

    @Override
    public INDArray memoryGradient() {
        return attended.gradient();
    }

    /** Keeps the memory of sequences {@code rows} (in that order) for the following steps (beam search). */
    @Override
    public void selectRows(int[] rows) {
        SeqTensor memory = attended.get();
        if (memory == null) return;
        double[] keys = memoryKeys;
        attendTo(AttendsToMemory.selectRows(memory, rows));
        if (keys != null) memoryKeys = gatherRows(keys, memory.batch(), rows, attentionSize, memory.time());
    }

    private static double[] gatherRows(double[] timeMajor, int oldBatch, int[] rows, int width, int time) {
        double[] out = new double[time * rows.length * width];
        for (int t = 0; t < time; t++) {
            for (int k = 0; k < rows.length; k++) {
                System.arraycopy(timeMajor, (t * oldBatch + rows[k]) * width, out, (t * rows.length + k) * width, width);
            }
        }
        return out;
    }

    /** Time-major rows {@code [T*B, D]} as a c-order {@code [B, T, D]}. */
    private static INDArray batchFirst(INDArray rows, int time, int batch) {
        return rows.reshape('c', time, batch, rows.columns()).permute(1, 0, 2).dup('c');
    }

    /** {@code [B, T, D]} back to time-major rows {@code [T*B, D]}. */
    private static INDArray timeMajor(INDArray btd) {
        long b = btd.size(0), t = btd.size(1), d = btd.size(2);
        return btd.permute(1, 0, 2).dup('c').reshape('c', t * b, d);
    }

    private static INDArray keyBias(boolean[] real, int s, int batch, DataType type) {
        double[] bias = new double[batch * s];
        boolean any = false;
        for (int j = 0; j < s; j++) {
            for (int b = 0; b < batch; b++) {
                if (!real[j * batch + b]) {
                    bias[b * s + j] = BLOCKED;
                    any = true;
                }
            }
        }
        return any ? RowAccess.create(bias, new long[] {batch, 1, s}, type) : null;
    }

    // ---------------------------------------------------------------- forward

    @Override
    public SeqTensor forward(SeqTensor input, Mode mode) {
        Checks.width(this, input, queryWidth);
        attended.require(input);
        DataType type = params.value("W_c").dataType();
        int tq = input.time(), batch = input.batch(), s = attended.get().time();
        INDArray q = FlatView.dense(input.data(), type);
        queries3 = batchFirst(q, tq, batch);
        INDArray scores = switch (score) {
            case DOT -> Nd4j.matmul(queries3, memory3, false, true, false);
            case GENERAL -> {
                projected3 = batchFirst(Blas.gemm(q, params.value("W_a"), false, false), tq, batch);
                yield Nd4j.matmul(projected3, memory3, false, true, false);
            }
            case ADDITIVE -> additiveScores(q, tq, batch, s, type, mode);
        };
        if (keyBias != null) scores.addi(keyBias); // broadcast over the queries
        weights = Nd4j.exec(new SoftMax(scores, scores, -1))[0];
        if (input.mask() != null) weights.muli(batchFirst(input.mask().castTo(type), tq, batch)); // padded queries attend nowhere
        INDArray context = timeMajor(Nd4j.matmul(weights, memory3));
        joined = Nd4j.hstack(context, q);
        INDArray y = Blas.gemm(joined, params.value("W_c"), false, false).addiRowVector(params.value("b_c"));
        org.nd4j.linalg.ops.transforms.Transforms.tanh(y, false);
        if (input.mask() != null) y.muliColumnVector(input.mask().castTo(type));
        output = y;
        lastInput = input;
        recordedWeights = mode.record() ? weights.castTo(DataType.DOUBLE) : null;
        return input.withData(y);
    }

    /**
     * {@code e[b, i, j] = v . tanh(q_i W_q + m_j W_k + b)}: the tanh layer in Java, one block per query
     * row, kept for the backward pass. The memory side is projected once per memory when stepping.
     */
    private INDArray additiveScores(INDArray q, int tq, int batch, int s, DataType type, Mode mode) {
        int a = attentionSize;
        projected = RowAccess.values(Blas.gemm(q, params.value("W_q"), false, false));
        if (memoryKeys == null || !mode.carryState()) {
            INDArray m = FlatView.dense(attended.get().data(), type);
            memoryKeys = RowAccess.values(Blas.gemm(m, params.value("W_k"), false, false).addiRowVector(params.value("b")));
        }
        double[] v = RowAccess.values(params.value("v"));
        boolean fast = type == DataType.FLOAT;
        if (hidden == null || hidden.length != batch * tq * s * a) hidden = new double[batch * tq * s * a];
        double[] e = new double[batch * tq * s];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < tq; i++) {
                int q0 = (i * batch + b) * a, cell0 = (b * tq + i) * s, h0 = cell0 * a;
                for (int j = 0; j < s; j++) {
                    int k0 = (j * batch + b) * a, at = h0 + j * a;
                    for (int d = 0; d < a; d++) hidden[at + d] = projected[q0 + d] + memoryKeys[k0 + d];
                }
                GateMath.tanh(hidden, h0, h0 + s * a, fast);
                for (int j = 0; j < s; j++) {
                    double sum = 0;
                    int at = h0 + j * a;
                    for (int d = 0; d < a; d++) sum += v[d] * hidden[at + d];
                    e[cell0 + j] = sum;
                }
            }
        }
        return RowAccess.create(e, new long[] {batch, tq, s}, type);
    }

    // ---------------------------------------------------------------- backward

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        Checks.backwardAfterForward(this, lastInput);
        DataType type = output.dataType();
        int tq = lastInput.time(), batch = lastInput.batch(), s = attended.get().time(), dm = memoryWidth, dq = queryWidth;
        INDArray g = FlatView.dense(gradOutput.data(), type).mul(output.mul(output).rsubi(1.0));
        if (lastInput.mask() != null) g.muliColumnVector(lastInput.mask().castTo(type));
        Blas.gemm(joined, g, params.grad("W_c"), true, false, 1.0, 1.0);
        addColumnSums(g, params.grad("b_c"));
        INDArray dJoin = Blas.gemm(g, params.value("W_c"), false, true);
        INDArray dContext = batchFirst(dJoin.get(all(), interval(0, dm)).dup('c'), tq, batch);
        INDArray dQuery = dJoin.get(all(), interval(dm, dm + dq)).dup('c');

        INDArray dWeights = Nd4j.matmul(dContext, memory3, false, true, false);   // [B, Tq, S]
        INDArray dMemory3 = Nd4j.matmul(weights, dContext, true, false, false);   // [B, S, Dm]
        INDArray dScores = MultiHeadAttention.softmaxBackward(dWeights, weights, 2);
        switch (score) {
            case DOT -> {
                dQuery.addi(timeMajor(Nd4j.matmul(dScores, memory3)));
                dMemory3.addi(Nd4j.matmul(dScores, queries3, true, false, false));
            }
            case GENERAL -> {
                INDArray dProjected = timeMajor(Nd4j.matmul(dScores, memory3));
                dMemory3.addi(Nd4j.matmul(dScores, projected3, true, false, false));
                INDArray q = timeMajor(queries3);
                Blas.gemm(q, dProjected, params.grad("W_a"), true, false, 1.0, 1.0);
                Blas.gemm(dProjected, params.value("W_a"), dQuery, false, true, 1.0, 1.0);
            }
            case ADDITIVE -> additiveBackward(RowAccess.values(dScores), dQuery, dMemory3, tq, batch, s, type);
        }
        attended.gradient(timeMajor(dMemory3));
        return lastInput.withData(dQuery);
    }

    /** Back through {@code v . tanh(q W_q + m W_k + b)}: dv, and via the tanh layer dq and dm through W_q and W_k. */
    private void additiveBackward(double[] dE, INDArray dQuery, INDArray dMemory3, int tq, int batch, int s, DataType type) {
        int a = attentionSize;
        double[] v = RowAccess.values(params.value("v"));
        double[] dv = new double[a], dProj = new double[tq * batch * a], dKeys = new double[s * batch * a];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < tq; i++) {
                int q0 = (i * batch + b) * a, cell0 = (b * tq + i) * s;
                for (int j = 0; j < s; j++) {
                    double de = dE[cell0 + j];
                    if (de == 0) continue;
                    int h0 = (cell0 + j) * a, k0 = (j * batch + b) * a;
                    for (int d = 0; d < a; d++) {
                        double z = hidden[h0 + d];
                        dv[d] += de * z;
                        double du = de * v[d] * (1 - z * z);
                        dProj[q0 + d] += du;
                        dKeys[k0 + d] += du;
                    }
                }
            }
        }
        INDArray dp = RowAccess.create(dProj, new long[] {(long) tq * batch, a}, type);
        INDArray dk = RowAccess.create(dKeys, new long[] {(long) s * batch, a}, type);
        INDArray q = timeMajor(queries3);
        INDArray m = FlatView.dense(attended.get().data(), type);
        Blas.gemm(q, dp, params.grad("W_q"), true, false, 1.0, 1.0);
        Blas.gemm(dp, params.value("W_q"), dQuery, false, true, 1.0, 1.0);
        Blas.gemm(m, dk, params.grad("W_k"), true, false, 1.0, 1.0);
        addColumnSums(dk, params.grad("b"));
        params.grad("v").addi(RowAccess.create(dv, new long[] {a}, type));
        dMemory3.addi(batchFirst(Blas.gemm(dk, params.value("W_k"), false, true), s, batch));
    }

    /** {@code target += column sums of rows}, as a gemm with a ones row (a sum over dimension 0 walks c-order rows with a stride). */
    private static void addColumnSums(INDArray rows, INDArray target) {
        INDArray ones = Nd4j.ones(rows.dataType(), 1, rows.rows());
        Blas.gemm(ones, rows, target.reshape(1, target.length()), false, false, 1.0, 1.0);
    }

    /** {@code weights}: {@code [B, Tq, S]} attention weights of the last recorded forward pass (rows sum to 1). */
    @Override
    public Map<String, INDArray> recorded() {
        return recordedWeights == null ? Map.of() : Map.of("weights", recordedWeights);
    }
}
