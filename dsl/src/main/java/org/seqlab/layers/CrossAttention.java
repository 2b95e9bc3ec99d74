package org.seqlab.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
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
 * dL/d(memory) after the backward pass, for the encoder. Scores, softmax and context run in Java
 * over double arrays (per sequence they are small); the projections and {@code W_c} are gemms.
 *
 * <p>Stepping ({@code mode.carryState()}, one target step per call): the memory's projection
 * ({@code m W_k + b}) is computed once per {@link #attendTo} and reused; without carryState it is
 * recomputed each call, so updated weights always count.
 */
public final class CrossAttention extends Layer implements AttendsToMemory {
    private final int queryWidth;
    private final int memoryWidth;
    private final AttentionScore score;
    private final int attentionSize;

    private SeqTensor memory;
    private double[] memoryValues;
    private boolean[] memoryReal;
    private double[] memoryKeys;       // ADDITIVE: m W_k + b, [S*B, A]
    private INDArray memoryGradient;

    // forward cache
    private SeqTensor lastInput;
    private double[] queries;          // [Tq*B, Dq]
    private double[] projected;        // GENERAL: q W_a [Tq*B, Dm]; ADDITIVE: q W_q [Tq*B, A]
    private double[] weights;          // [B, Tq, S]
    private double[] hidden;           // ADDITIVE: tanh(q W_q + m W_k + b), [B, Tq, S, A]
    private INDArray joined;           // [c ; q], [Tq*B, Dm + Dq]
    private INDArray output;
    private INDArray recordedWeights;

    public CrossAttention(String name, int queryWidth, int memoryWidth, AttentionScore score, int attentionSize) {
        super(name);
        Checks.positive(name, "query width", queryWidth);
        Checks.positive(name, "memory width", memoryWidth);
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
        if (memory.width() != memoryWidth) {
            throw new IllegalArgumentException(name() + " attends to memory of width " + memoryWidth + " but got "
                    + memory.width() + "; the encoder's output width must be " + memoryWidth);
        }
        this.memory = memory;
        this.memoryValues = RowAccess.values(memory.data());
        this.memoryReal = RowAccess.real(memory.mask(), memory.time() * memory.batch());
        this.memoryKeys = null;
        this.memoryGradient = null;
    }

    @Override
    public SeqTensor memory() {
        return memory;
    }

    @Override
    public INDArray memoryGradient() {
        return memoryGradient;
    }

    /** Keeps the memory of sequences {@code rows} (in that order) for the following steps (beam search). */
    @Override
    public void selectRows(int[] rows) {
        if (memory == null) return;
        SeqTensor kept = AttendsToMemory.selectRows(memory, rows);
        double[] keys = memoryKeys;
        int oldBatch = memory.batch();
        attendTo(kept);
        if (keys != null) memoryKeys = gatherRows(keys, oldBatch, rows, attentionSize, memory.time());
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

    private void requireMemory(SeqTensor input) {
        if (memory == null) {
            throw new IllegalStateException(name() + ": no memory to attend to; the encoder-decoder calls attendTo(encoder output) "
                    + "before the decoder runs");
        }
        if (memory.batch() != input.batch()) {
            throw new IllegalStateException(name() + ": the memory holds " + memory.batch() + " sequences but the decoder input "
                    + input.batch() + "; give the memory of the same batch");
        }
    }

    // ---------------------------------------------------------------- forward

    @Override
    public SeqTensor forward(SeqTensor input, Mode mode) {
        Checks.width(this, input, queryWidth);
        requireMemory(input);
        DataType type = params.value("W_c").dataType();
        int tq = input.time(), batch = input.batch(), s = memory.time(), dq = queryWidth, dm = memoryWidth;
        INDArray q = FlatView.dense(input.data(), type);
        queries = RowAccess.values(q);
        boolean[] queryReal = RowAccess.real(input.mask(), tq * batch);
        if (score == AttentionScore.GENERAL) projected = RowAccess.values(Blas.gemm(q, params.value("W_a"), false, false));
        if (score == AttentionScore.ADDITIVE) {
            projected = RowAccess.values(Blas.gemm(q, params.value("W_q"), false, false));
            if (memoryKeys == null || !mode.carryState()) memoryKeys = memoryKeys(type);
        }

        int a = attentionSize;
        double[] v = score == AttentionScore.ADDITIVE ? RowAccess.values(params.value("v")) : null;
        weights = new double[batch * tq * s];
        hidden = score == AttentionScore.ADDITIVE ? new double[batch * tq * s * a] : null;
        double[] join = new double[tq * batch * (dm + dq)];
        double[] e = new double[s];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < tq; i++) {
                int row = i * batch + b;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < s; j++) {
                    int key = j * batch + b;
                    if (!memoryReal[key]) continue;
                    e[j] = scoreOf(row, key, (b * tq + i) * s + j, v);
                    max = Math.max(max, e[j]);
                }
                double sum = 0;
                int w0 = (b * tq + i) * s;
                for (int j = 0; j < s; j++) {
                    double w = memoryReal[j * batch + b] ? Math.exp(e[j] - max) : 0.0;
                    weights[w0 + j] = w;
                    sum += w;
                }
                if (sum == 0) sum = 1; // a source of padding only: no weight anywhere
                int out = row * (dm + dq);
                for (int j = 0; j < s; j++) {
                    double w = weights[w0 + j] /= sum;
                    if (w == 0) continue;
                    int m0 = (j * batch + b) * dm;
                    for (int d = 0; d < dm; d++) join[out + d] += w * memoryValues[m0 + d];
                }
                System.arraycopy(queries, row * dq, join, out + dm, dq);
            }
        }
        joined = Nd4j.create(join, new long[] {(long) tq * batch, dm + dq}, type);
        INDArray y = Blas.gemm(joined, params.value("W_c"), false, false).addiRowVector(params.value("b_c"));
        org.nd4j.linalg.ops.transforms.Transforms.tanh(y, false);
        if (input.mask() != null) y.muliColumnVector(input.mask().castTo(type));
        for (int r = 0; r < queryReal.length; r++) {
            if (queryReal[r]) continue;
            int b = r % batch, i = r / batch;
            java.util.Arrays.fill(weights, (b * tq + i) * s, (b * tq + i + 1) * s, 0.0);
        }
        output = y;
        lastInput = input;
        recordedWeights = mode.record() ? Nd4j.create(weights, new long[] {batch, tq, s}, DataType.DOUBLE) : null;
        return input.withData(y);
    }

    /** The score of query row {@code row} and memory row {@code key}; ADDITIVE keeps its tanh layer. */
    private double scoreOf(int row, int key, int cell, double[] v) {
        switch (score) {
            case DOT -> {
                double sum = 0;
                int q0 = row * queryWidth, m0 = key * memoryWidth;
                for (int d = 0; d < memoryWidth; d++) sum += queries[q0 + d] * memoryValues[m0 + d];
                return sum;
            }
            case GENERAL -> {
                double sum = 0;
                int q0 = row * memoryWidth, m0 = key * memoryWidth;
                for (int d = 0; d < memoryWidth; d++) sum += projected[q0 + d] * memoryValues[m0 + d];
                return sum;
            }
            default -> {
                int a = attentionSize, q0 = row * a, k0 = key * a, h0 = cell * a;
                double sum = 0;
                for (int d = 0; d < a; d++) {
                    double z = Math.tanh(projected[q0 + d] + memoryKeys[k0 + d]);
                    hidden[h0 + d] = z;
                    sum += v[d] * z;
                }
                return sum;
            }
        }
    }

    private double[] memoryKeys(DataType type) {
        INDArray m = FlatView.dense(memory.data(), type);
        INDArray k = Blas.gemm(m, params.value("W_k"), false, false).addiRowVector(params.value("b"));
        return RowAccess.values(k);
    }

    // ---------------------------------------------------------------- backward

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        Checks.backwardAfterForward(this, lastInput);
        DataType type = output.dataType();
        int tq = lastInput.time(), batch = lastInput.batch(), s = memory.time(), dq = queryWidth, dm = memoryWidth;
        int a = attentionSize;
        INDArray g = FlatView.dense(gradOutput.data(), type).mul(output.mul(output).rsubi(1.0));
        if (lastInput.mask() != null) g.muliColumnVector(lastInput.mask().castTo(type));
        Blas.gemm(joined, g, params.grad("W_c"), true, false, 1.0, 1.0);
        params.grad("b_c").addi(g.sum(0));
        double[] dJoin = RowAccess.values(Blas.gemm(g, params.value("W_c"), false, true));

        double[] dq0 = new double[tq * batch * dq];                       // dL/dq
        double[] dProj = projected == null ? null : new double[projected.length];
        double[] dMem = new double[memoryValues.length];
        double[] dKeys = score == AttentionScore.ADDITIVE ? new double[memoryKeys.length] : null;
        double[] v = score == AttentionScore.ADDITIVE ? RowAccess.values(params.value("v")) : null;
        double[] dv = score == AttentionScore.ADDITIVE ? new double[a] : null;
        double[] dWeight = new double[s];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < tq; i++) {
                int row = i * batch + b, j0 = row * (dm + dq), w0 = (b * tq + i) * s;
                System.arraycopy(dJoin, j0 + dm, dq0, row * dq, dq); // the query's direct path through W_c
                double dot = 0;
                for (int j = 0; j < s; j++) {
                    double w = weights[w0 + j];
                    if (w == 0) {
                        dWeight[j] = 0;
                        continue;
                    }
                    int m0 = (j * batch + b) * dm;
                    double da = 0;
                    for (int d = 0; d < dm; d++) {
                        da += dJoin[j0 + d] * memoryValues[m0 + d];
                        dMem[m0 + d] += w * dJoin[j0 + d];
                    }
                    dWeight[j] = da;
                    dot += w * da;
                }
                for (int j = 0; j < s; j++) {
                    double w = weights[w0 + j];
                    if (w == 0) continue;
                    double de = w * (dWeight[j] - dot);
                    int key = j * batch + b;
                    backScore(row, key, w0 + j, de, v, dv, dq0, dProj, dMem, dKeys);
                }
            }
        }
        INDArray dQuery = Nd4j.create(dq0, new long[] {(long) tq * batch, dq}, type);
        INDArray q = Nd4j.create(queries, new long[] {(long) tq * batch, dq}, type);
        INDArray dMemory = Nd4j.create(dMem, new long[] {(long) s * batch, dm}, type);
        if (score == AttentionScore.GENERAL) {
            INDArray dp = Nd4j.create(dProj, new long[] {(long) tq * batch, dm}, type);
            Blas.gemm(q, dp, params.grad("W_a"), true, false, 1.0, 1.0);
            Blas.gemm(dp, params.value("W_a"), dQuery, false, true, 1.0, 1.0);
        } else if (score == AttentionScore.ADDITIVE) {
            INDArray dp = Nd4j.create(dProj, new long[] {(long) tq * batch, a}, type);
            INDArray dk = Nd4j.create(dKeys, new long[] {(long) s * batch, a}, type);
            INDArray m = Nd4j.create(memoryValues, new long[] {(long) s * batch, dm}, type);
            Blas.gemm(q, dp, params.grad("W_q"), true, false, 1.0, 1.0);
            Blas.gemm(dp, params.value("W_q"), dQuery, false, true, 1.0, 1.0);
            Blas.gemm(m, dk, params.grad("W_k"), true, false, 1.0, 1.0);
            params.grad("b").addi(dk.sum(0));
            params.grad("v").addi(Nd4j.create(dv, new long[] {a}, type));
            Blas.gemm(dk, params.value("W_k"), dMemory, false, true, 1.0, 1.0);
        }
        memoryGradient = dMemory;
        return lastInput.withData(dQuery);
    }

    /** Back through the score of one (query, key) pair given dL/d(score) = {@code de}. */
    private void backScore(int row, int key, int cell, double de, double[] v, double[] dv, double[] dq, double[] dProj,
                           double[] dMem, double[] dKeys) {
        switch (score) {
            case DOT -> {
                int q0 = row * queryWidth, m0 = key * memoryWidth;
                for (int d = 0; d < memoryWidth; d++) {
                    dq[q0 + d] += de * memoryValues[m0 + d];
                    dMem[m0 + d] += de * queries[q0 + d];
                }
            }
            case GENERAL -> {
                int p0 = row * memoryWidth, m0 = key * memoryWidth;
                for (int d = 0; d < memoryWidth; d++) {
                    dProj[p0 + d] += de * memoryValues[m0 + d];
                    dMem[m0 + d] += de * projected[p0 + d];
                }
            }
            default -> {
                int a = attentionSize, q0 = row * a, k0 = key * a, h0 = cell * a;
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

    /** {@code weights}: {@code [B, Tq, S]} attention weights of the last recorded forward pass (rows sum to 1). */
    @Override
    public Map<String, INDArray> recorded() {
        return recordedWeights == null ? Map.of() : Map.of("weights", recordedWeights);
    }
}
