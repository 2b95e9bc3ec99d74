package org.seqlab.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multi-head scaled dot-product attention from a decoder sequence (queries) to an encoder's output
 * (keys and values), as the {@code multihead_attn} of torch.nn.TransformerDecoderLayer: queries
 * {@code x W_q + b_q}, keys and values {@code m W_kv + b_kv}, per head {@code softmax(q k^T / sqrt(dh)) v},
 * then {@code W_o}. Padded memory steps get weight exactly 0; padded query rows output 0.
 *
 * <p>Parameters: {@code W_q [D, D]}, {@code b_q [D]}, {@code W_kv [Dm, 2D]} (k | v column blocks),
 * {@code b_kv [2D]}, {@code W_o [D, D]}, {@code b_o [D]}. From torch (Dm = D): {@code W_q} is
 * {@code in_proj_weight[:D]} transposed, {@code W_kv} is {@code in_proj_weight[D:]} transposed, the
 * biases split the same way, {@code W_o} is {@code out_proj.weight} transposed.
 *
 * <p>The memory comes from {@link #attendTo}; when stepping ({@code mode.carryState()}) its keys and
 * values are projected once per memory and reused by every step; otherwise each call projects them
 * with the current weights. Backward as {@link MultiHeadAttention}, with dL/d(memory) through the
 * key and value projections kept in {@link #memoryGradient()}.
 */
public final class MultiHeadCrossAttention extends Layer implements AttendsToMemory {
    private static final double BLOCKED = -1e9;
    private final int width;
    private final int heads;
    private final int headSize;
    private final AttendedMemory memory;
    private final AffineMap queryProjection = new AffineMap();
    private final AffineMap memoryProjection = new AffineMap();
    private final AffineMap outProjection = new AffineMap();

    private INDArray keys;    // [B, H, S, dh]
    private INDArray values;
    private INDArray keyBias; // [B, 1, 1, S] or null

    private SeqTensor lastInput;
    private INDArray lastQScaled;
    private INDArray lastWeights;
    private INDArray lastContext;
    private INDArray recordedWeights;

    public MultiHeadCrossAttention(String name, int width, int memoryWidth, int heads) {
        super(name);
        Checks.positive(name, "width", width);
        LayerRules.require(name, LayerRules.headsDivide(width, heads));
        this.width = width;
        this.memory = new AttendedMemory(this, memoryWidth);
        this.heads = heads;
        this.headSize = width / heads;
    }

    @Override
    public String kind() {
        return "MultiHeadCrossAttention(" + heads + " heads)";
    }

    @Override
    public int inputSize() {
        return width;
    }

    @Override
    public int outputSize() {
        return width;
    }

    @Override
    public int memoryWidth() {
        return memory.width();
    }

    public int heads() {
        return heads;
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        long d = width, m = memory.width();
        return List.of(
                new ParamSpec("W_q", new long[] {d, d}, "[D, D] (torch in_proj_weight[:D] transposed)"),
                new ParamSpec("b_q", new long[] {d}, "[D]"),
                new ParamSpec("W_kv", new long[] {m, 2 * d}, "[Dm, 2D]: columns k | v (torch in_proj_weight[D:] transposed)"),
                new ParamSpec("b_kv", new long[] {2 * d}, "[2D]: k | v"),
                new ParamSpec("W_o", new long[] {d, d}, "[D, D] (torch out_proj.weight transposed)"),
                new ParamSpec("b_o", new long[] {d}, "[D]"));
    }

    /** As torch: Xavier-uniform over the whole [3D, D] input projection, zero biases, Xavier-uniform W_o. */
    @Override
    public void initialize(Random random) {
        double bound = Math.sqrt(6.0 / (width + 3.0 * width));
        Init.uniform(params.value("W_q"), bound, random);
        Init.uniform(params.value("W_kv"), bound, random);
        params.value("b_q").assign(0);
        params.value("b_kv").assign(0);
        Init.xavierUniform(params.value("W_o"), width, width, random);
        params.value("b_o").assign(0);
    }

    @Override
    public void attendTo(SeqTensor memory) {
        this.memory.set(memory);
        this.keys = null;
        this.values = null;
    }

    @Override
    public SeqTensor memory() {
        return memory.get();
    }

    @Override
    public INDArray memoryGradient() {
        return memory.gradient();
    }

    @Override
    public void selectRows(int[] rows) {
        if (memory.get() == null) return;
        INDArray k = keys, v = values;
        attendTo(AttendsToMemory.selectRows(memory.get(), rows));
        if (k != null) {
            keys = MultiHeadAttention.pickSequences(k, rows);
            values = MultiHeadAttention.pickSequences(v, rows);
            keyBias = keyBias(memory.get(), keys.dataType());
        }
    }

    /** Keys and values of the memory, {@code [B, H, S, dh]} each, with the current weights. */
    private void projectMemory(SeqTensor m, DataType type) {
        INDArray kv = memoryProjection.forward(FlatView.dense(m.data(), type), params.value("W_kv"), params.value("b_kv"))
                .reshape('c', m.time(), m.batch(), 2, heads, headSize);
        keys = MultiHeadAttention.toHeads(kv.get(all(), all(), point(0), all(), all()));
        values = MultiHeadAttention.toHeads(kv.get(all(), all(), point(1), all(), all()));
        keyBias = keyBias(m, type);
    }

    private static INDArray keyBias(SeqTensor memory, DataType type) {
        if (memory.mask() == null) return null;
        int s = memory.time(), batch = memory.batch();
        boolean[] real = RowAccess.real(memory.mask(), s * batch);
        double[] bias = new double[batch * s];
        boolean any = false;
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < s; j++) {
                if (!real[j * batch + b]) {
                    bias[b * s + j] = BLOCKED;
                    any = true;
                }
            }
        }
        return any ? Nd4j.create(bias, new long[] {batch, 1, 1, s}, type) : null;
    }

    @Override
    public SeqTensor forward(SeqTensor input, Mode mode) {
        Checks.width(this, input, width);
        SeqTensor m = memory.require(input);
        DataType type = params.value("W_q").dataType();
        if (keys == null || !mode.carryState()) projectMemory(m, type);
        int tq = input.time(), batch = input.batch();
        INDArray x = FlatView.dense(input.data(), type);
        INDArray q = MultiHeadAttention.toHeads(queryProjection.forward(x, params.value("W_q"), params.value("b_q"))
                .reshape('c', tq, batch, heads, headSize)).muli(1.0 / Math.sqrt(headSize));
        INDArray scores = Nd4j.matmul(q, keys, false, true, false); // [B, H, Tq, S]
        if (keyBias != null) scores.addi(keyBias); // broadcast over heads and queries
        INDArray weights = Nd4j.exec(new SoftMax(scores, scores, -1))[0];
        INDArray context = MultiHeadAttention.fromHeads(Nd4j.matmul(weights, values), tq, batch, width);
        INDArray out = outProjection.forward(context, params.value("W_o"), params.value("b_o"));
        if (input.mask() != null) out.muliColumnVector(input.mask().castTo(type));
        lastInput = input;
        lastQScaled = q;
        lastWeights = weights;
        lastContext = context;
        recordedWeights = mode.record() ? weights : null;
        return input.withData(out);
    }

    @Override
    public SeqTensor backward(SeqTensor gradOutput) {
        Checks.backwardAfterForward(this, lastInput);
        SeqTensor m = memory.get();
        DataType type = lastContext.dataType();
        int tq = lastInput.time(), batch = lastInput.batch(), s = m.time();
        double scale = 1.0 / Math.sqrt(headSize);
        INDArray g = FlatView.dense(gradOutput.data(), type);
        if (lastInput.mask() != null) g = g.mulColumnVector(lastInput.mask().castTo(type));

        INDArray dContextRows = outProjection.backward(lastContext, g, params.value("W_o"), params.grad("W_o"), params.grad("b_o"));
        INDArray dContext = MultiHeadAttention.toHeads(dContextRows.reshape('c', tq, batch, heads, headSize));
        INDArray dWeights = Nd4j.matmul(dContext, values, false, true, false);      // [B, H, Tq, S]
        INDArray dV = Nd4j.matmul(lastWeights, dContext, true, false, false);      // [B, H, S, dh]
        INDArray dScores = MultiHeadAttention.softmaxBackward(dWeights, lastWeights, 3);
        INDArray dQ = Nd4j.matmul(dScores, keys).muli(scale);                      // [B, H, Tq, dh]
        INDArray dK = Nd4j.matmul(dScores, lastQScaled, true, false, false);       // [B, H, S, dh]

        INDArray dQRows = MultiHeadAttention.fromHeads(dQ, tq, batch, width);
        INDArray dx = queryProjection.backward(FlatView.dense(lastInput.data(), type), dQRows, params.value("W_q"),
                params.grad("W_q"), params.grad("b_q"));
        INDArray dKv = Nd4j.create(type, s, batch, 2, heads, headSize);
        dKv.get(all(), all(), point(0), all(), all()).assign(dK.permute(2, 0, 1, 3));
        dKv.get(all(), all(), point(1), all(), all()).assign(dV.permute(2, 0, 1, 3));
        INDArray dKvRows = dKv.reshape('c', (long) s * batch, 2L * width);
        memory.gradient(memoryProjection.backward(FlatView.dense(m.data(), type), dKvRows, params.value("W_kv"),
                params.grad("W_kv"), params.grad("b_kv")));
        return lastInput.withData(dx);
    }

    /** {@code weights}: {@code [B, heads, Tq, S]} attention weights of the last recorded forward pass. */
    @Override
    public Map<String, INDArray> recorded() {
        return recordedWeights == null ? Map.of() : Map.of("weights", recordedWeights);
    }
}
