package org.seqlab.layers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Scaled dot-product self-attention of float models on the Java Vector API, forward and backward:
 * one task per (sequence, head), read straight from the projected q|k|v rows and written straight
 * into the context rows (backward: into the q|k|v gradient rows).
 *
 * <p>Why: ND4J ran it as permute copies to {@code [B, heads, T, dh]}, batched matmuls of tiny
 * {@code [T, dh] x [dh, T]} products, a bias add and a softmax op, each over the whole
 * {@code [B, heads, T, T]} array: about a quarter of the tiny GPT's training step, for under a tenth
 * of its flops. Here one pair's keys, values and scores stay in cache, causal rows skip the keys
 * they cannot see, and the pairs are shared out over the {@link StepTeam}.
 *
 * <p>The rules are {@link MultiHeadAttention}'s: {@code q} is scaled by {@code 1/sqrt(dh)} before the
 * product; a padded key gets the additive score {@link #BLOCKED} (weight exactly 0 while a row has a
 * real key it may see); a causal query {@code i} sees keys {@code 0..i}. Keys and queries are the same
 * steps here ({@code Tq = Tk}): calls that attend to a key/value cache stay on ND4J.
 *
 * <p>Forward keeps {@code q} (scaled), {@code k}, {@code v}, each {@code [B*heads][T][dh]}, and the
 * weights {@code [B*heads][T][T]} for backward; the arrays are reused while the shape stays.
 */
final class AttentionKernel {
    /** Additive score of a padded key: the same as {@link MultiHeadAttention}'s, rounded to float. */
    static final float BLOCKED = -1e9f;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    final int batch;
    final int heads;
    final int headSize;
    final int time;
    final boolean causal;
    private final int width;
    /** Columns of a transposed {@code [dh, T]} block: T rounded up to two vectors (scores go two vectors at a time). */
    private final int paddedTime;
    private final float scale;

    /** Kept by {@link #forward} for {@link #backward}: pair p's rows start at {@code p * T * dh}. */
    final float[] q;
    final float[] k;
    final float[] v;
    /** {@code [B*heads][T][T]}: row i of pair p at {@code (p * T + i) * T}; 0 for keys row i cannot see. */
    final float[] weights;
    /** Per team member: its scratch (a transposed block, a tile's score rows, one pair's dctx and dS). */
    private Scratch[] scratch = new Scratch[0];

    AttentionKernel(int batch, int heads, int headSize, int time, boolean causal) {
        this.batch = batch;
        this.heads = heads;
        this.headSize = headSize;
        this.time = time;
        this.causal = causal;
        this.width = heads * headSize;
        this.paddedTime = (time + 2 * L - 1) / (2 * L) * (2 * L);
        this.scale = (float) (1.0 / Math.sqrt(headSize));
        int pairs = batch * heads;
        q = new float[pairs * time * headSize];
        k = new float[q.length];
        v = new float[q.length];
        weights = new float[pairs * time * time];
    }

    /** True when this kernel's arrays fit a call of this shape. */
    boolean fits(int batch, int time, boolean causal) {
        return this.batch == batch && this.time == time && this.causal == causal;
    }

    /**
     * {@code context [T*B, D]} (time-major rows; head h in columns {@code h*dh..}) from
     * {@code qkv [T*B, 3D]} (q | k | v column blocks). {@code keyBias[b]}: 0 or {@link #BLOCKED} per key
     * of sequence b, or null when no key is padded.
     */
    void forward(float[] qkv, float[][] keyBias, float[] context) {
        forEachPair((scratch, pair) -> forwardPair(pair, qkv, keyBias, context, scratch));
    }

    /** {@code dQkv [T*B, 3D]} (every element written) from {@code dContext [T*B, D]}, after {@link #forward}. */
    void backward(float[] dContext, float[] dQkv) {
        forEachPair((scratch, pair) -> backwardPair(pair, dContext, dQkv, scratch));
    }

    /** Queries (or keys) handled together: a tile of 4 rows reuses every loaded vector 4 times. */
    private static final int TILE = 4;

    private void forwardPair(int pair, float[] qkv, float[][] keyBias, float[] context, Scratch s) {
        int b = pair / heads, h = pair % heads, dh = headSize;
        int base = pair * time * dh, wBase = pair * time * time;
        float[] bias = keyBias == null ? null : keyBias[b];
        for (int t = 0; t < time; t++) {
            int row = (t * batch + b) * 3 * width + h * dh, at = base + t * dh;
            for (int d = 0; d < dh; d++) q[at + d] = qkv[row + d] * scale;
            System.arraycopy(qkv, row + width, k, at, dh);
            System.arraycopy(qkv, row + 2 * width, v, at, dh);
        }
        transpose(k, base, s.transposed);
        for (int i = 0; i < time; i += TILE) {
            int n = Math.min(TILE, time - i), keys = seen(i + n - 1);
            // S = q k^T for n query rows, then each row's softmax, then ctx = A v
            product(n, q, base + i * dh, dh, 1, 0, dh, s.transposed, 0, paddedTime, whole(keys), 1f, s.rows, 0, paddedTime);
            for (int r = 0; r < n; r++) {
                int wRow = wBase + (i + r) * time, seen = seen(i + r);
                softmax(s.rows, r * paddedTime, bias, seen, weights, wRow);
                java.util.Arrays.fill(weights, wRow + seen, wRow + time, 0f);
            }
            product(n, weights, wBase + i * time, time, 1, 0, keys, v, base, dh, dh, 1f,
                    context, (i * batch + b) * width + h * dh, batch * width);
        }
    }

    private void backwardPair(int pair, float[] dContext, float[] dQkv, Scratch s) {
        int b = pair / heads, h = pair % heads, dh = headSize;
        int base = pair * time * dh, wBase = pair * time * time, rowStride = batch * 3 * width;
        for (int t = 0; t < time; t++) System.arraycopy(dContext, (t * batch + b) * width + h * dh, s.dOut, t * dh, dh);
        transpose(v, base, s.transposed);
        // Query rows: dA = dctx v^T, dS = A * (dA - rowsum(dA * A)), dq = dS k / sqrt(dh).
        for (int i = 0; i < time; i += TILE) {
            int n = Math.min(TILE, time - i), keys = seen(i + n - 1);
            product(n, s.dOut, i * dh, dh, 1, 0, dh, s.transposed, 0, paddedTime, whole(keys), 1f, s.rows, 0, paddedTime);
            for (int r = 0; r < n; r++) {
                int wRow = wBase + (i + r) * time, sRow = (i + r) * time, dA = r * paddedTime, seen = seen(i + r);
                float dot = 0;
                for (int j = 0; j < seen; j++) dot += weights[wRow + j] * s.rows[dA + j];
                for (int j = 0; j < seen; j++) s.dScores[sRow + j] = weights[wRow + j] * (s.rows[dA + j] - dot);
                java.util.Arrays.fill(s.dScores, sRow + seen, sRow + time, 0f); // keys the row cannot see
            }
            product(n, s.dScores, i * time, time, 1, 0, keys, k, base, dh, dh, scale,
                    dQkv, (i * batch + b) * 3 * width + h * dh, rowStride);
        }
        // Key rows: dk = dS^T q (q already scaled), dv = A^T dctx; key j is seen by queries j.. when causal.
        for (int j = 0; j < time; j += TILE) {
            int n = Math.min(TILE, time - j), first = causal ? j : 0, out = (j * batch + b) * 3 * width + h * dh;
            product(n, s.dScores, j, 1, time, first, time, q, base, dh, dh, 1f, dQkv, out + width, rowStride);
            product(n, weights, wBase + j, 1, time, first, time, s.dOut, 0, dh, dh, 1f, dQkv, out + 2 * width, rowStride);
        }
    }

    /** {@code transposed[d][t] = m[m0 + t * dh + d]}: one pair's {@code [T, dh]} block as {@code [dh, paddedTime]}. */
    private void transpose(float[] m, int m0, float[] transposed) {
        for (int d = 0; d < headSize; d++) {
            int o = d * paddedTime;
            for (int t = 0, at = m0 + d; t < time; t++, at += headSize) transposed[o + t] = m[at];
        }
    }

    /** How many keys query i sees: 0..i when causal, all otherwise. */
    private int seen(int i) {
        return causal ? i + 1 : time;
    }

    /** {@code n} rounded up to whole tiles of two vectors (a score row's columns; the transposed block is 0 past T). */
    private static int whole(int n) {
        return (n + 2 * L - 1) / (2 * L) * (2 * L);
    }

    /** {@code out[o0 + j] = softmax over j < seen of (scores[s0 + j] + bias[j])}. */
    private static void softmax(float[] scores, int s0, float[] bias, int seen, float[] out, int o0) {
        if (bias != null) for (int j = 0; j < seen; j++) scores[s0 + j] += bias[j];
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < seen; j++) max = Math.max(max, scores[s0 + j]);
        FloatVector top = FloatVector.broadcast(S, max);
        FloatVector sums = FloatVector.zero(S);
        int j = 0;
        for (; j + L <= seen; j += L) {
            FloatVector e = FloatVector.fromArray(S, scores, s0 + j).sub(top).lanewise(VectorOperators.EXP);
            e.intoArray(out, o0 + j);
            sums = sums.add(e);
        }
        float sum = sums.reduceLanes(VectorOperators.ADD);
        for (; j < seen; j++) {
            float e = (float) Math.exp(scores[s0 + j] - max);
            out[o0 + j] = e;
            sum += e;
        }
        float inverse = 1f / sum;
        for (j = 0; j < seen; j++) out[o0 + j] *= inverse;
    }

    /**
     * {@code C[r][c] = factor * sum over kk in [from, to) of A(r, kk) * B[kk][c]} for rows r below
     * {@code n} (at most {@link #TILE}) and columns c below {@code cols}, where {@code A(r, kk) =
     * a[a0 + r * aRow + kk * aK]} (so a transposed A is a stride swap), B's row kk starts at
     * {@code b0 + kk * bK} and C's row r at {@code c0 + r * cRow}. Columns go two vectors at a time,
     * and any rest one by one.
     */
    private static void product(int n, float[] a, int a0, int aRow, int aK, int from, int to,
            float[] b, int b0, int bK, int cols, float factor, float[] c, int c0, int cRow) {
        int col = 0;
        for (; col + 2 * L <= cols; col += 2 * L) {
            if (n == TILE) {
                tile4(a, a0, aRow, aK, from, to, b, b0 + col, bK, factor, c, c0 + col, cRow);
            } else {
                for (int r = 0; r < n; r++) tile1(a, a0 + r * aRow, aK, from, to, b, b0 + col, bK, factor, c, c0 + r * cRow + col);
            }
        }
        for (; col < cols; col++) {
            for (int r = 0; r < n; r++) {
                float acc = 0;
                for (int kk = from; kk < to; kk++) acc += a[a0 + r * aRow + kk * aK] * b[b0 + kk * bK + col];
                c[c0 + r * cRow + col] = acc * factor;
            }
        }
    }

    /** Four rows of C, two vectors wide (eight accumulators; one kernel written out, as in {@link PackedStepGemm}). */
    private static void tile4(float[] a, int a0, int aRow, int aK, int from, int to,
            float[] b, int b0, int bK, float factor, float[] c, int c0, int cRow) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S),
                c10 = FloatVector.zero(S), c11 = FloatVector.zero(S),
                c20 = FloatVector.zero(S), c21 = FloatVector.zero(S),
                c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int kk = from; kk < to; kk++) {
            int o = b0 + kk * bK, x0 = a0 + kk * aK;
            FloatVector b0v = FloatVector.fromArray(S, b, o), b1v = FloatVector.fromArray(S, b, o + L);
            FloatVector x = FloatVector.broadcast(S, a[x0]);
            c00 = b0v.fma(x, c00);
            c01 = b1v.fma(x, c01);
            x = FloatVector.broadcast(S, a[x0 + aRow]);
            c10 = b0v.fma(x, c10);
            c11 = b1v.fma(x, c11);
            x = FloatVector.broadcast(S, a[x0 + 2 * aRow]);
            c20 = b0v.fma(x, c20);
            c21 = b1v.fma(x, c21);
            x = FloatVector.broadcast(S, a[x0 + 3 * aRow]);
            c30 = b0v.fma(x, c30);
            c31 = b1v.fma(x, c31);
        }
        c00.mul(factor).intoArray(c, c0);
        c01.mul(factor).intoArray(c, c0 + L);
        c10.mul(factor).intoArray(c, c0 + cRow);
        c11.mul(factor).intoArray(c, c0 + cRow + L);
        c20.mul(factor).intoArray(c, c0 + 2 * cRow);
        c21.mul(factor).intoArray(c, c0 + 2 * cRow + L);
        c30.mul(factor).intoArray(c, c0 + 3 * cRow);
        c31.mul(factor).intoArray(c, c0 + 3 * cRow + L);
    }

    /** One row of C, two vectors wide. */
    private static void tile1(float[] a, int a0, int aK, int from, int to,
            float[] b, int b0, int bK, float factor, float[] c, int c0) {
        FloatVector c0v = FloatVector.zero(S), c1v = FloatVector.zero(S);
        for (int kk = from; kk < to; kk++) {
            int o = b0 + kk * bK;
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk * aK]);
            c0v = FloatVector.fromArray(S, b, o).fma(x, c0v);
            c1v = FloatVector.fromArray(S, b, o + L).fma(x, c1v);
        }
        c0v.mul(factor).intoArray(c, c0);
        c1v.mul(factor).intoArray(c, c0 + L);
    }

    private interface PairWork {
        void run(Scratch scratch, int pair);
    }

    /** Runs {@code work} for every (sequence, head) pair, shared out over the compute threads. */
    private void forEachPair(PairWork work) {
        int pairs = batch * heads, size = Math.min(Blas.threads(), pairs);
        if (scratch.length < size) {
            Scratch[] grown = java.util.Arrays.copyOf(scratch, size);
            for (int m = scratch.length; m < size; m++) grown[m] = new Scratch();
            scratch = grown;
        }
        Scratch[] mine = scratch;
        StepTeam.forRanges(pairs, 1, (member, from, to) -> {
            for (int p = from; p < to; p++) work.run(mine[member], p);
        });
    }

    /** One team member's working arrays. */
    private final class Scratch {
        /** {@code [dh][paddedTime]}: k (forward) or v (backward) transposed; columns past T stay 0. */
        final float[] transposed = new float[headSize * paddedTime];
        /** {@code [TILE][paddedTime]}: a tile's score rows (forward) or dA rows (backward). */
        final float[] rows = new float[TILE * paddedTime];
        final float[] dOut = new float[time * headSize];
        final float[] dScores = new float[time * time];
    }
}
