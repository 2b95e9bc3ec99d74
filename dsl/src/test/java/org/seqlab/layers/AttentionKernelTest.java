package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.graph.ParameterBuffer;

/**
 * Float attention on {@link AttentionKernel} against the double ND4J path (the one the gradient
 * checks and the torch parity tests cover): outputs, recorded weights, input and parameter
 * gradients, over two passes (the second reuses the kernel's arrays), on one and two threads.
 */
class AttentionKernelTest {

    @ParameterizedTest(name = "width={0} heads={1} T={2} causal={3} residual={4}")
    @CsvSource({
            "8,2,5,true,true",      // dh 4: below one vector, the scalar tail only
            "48,2,37,true,false",   // dh 24: one vector and a tail; T not a whole number of vector pairs
            "64,2,40,false,true",   // dh 32, every key seen
            "64,4,33,true,true"})
    void equalsTheDoublePath(int width, int heads, int time, boolean causal, boolean residual) {
        assumeTrue(StepGemm.VECTORS, "the JVM has no jdk.incubator.vector: the kernel is not used");
        int batch = 3;
        INDArray mask = LayerTestSupport.mask(time, time, 4, 1);
        List<INDArray> reference = run(width, heads, causal, residual, time, batch, mask, DataType.DOUBLE, 1);
        List<INDArray> fused = run(width, heads, causal, residual, time, batch, mask, DataType.FLOAT, 1);
        List<INDArray> twoThreads = run(width, heads, causal, residual, time, batch, mask, DataType.FLOAT, 2);
        assertEquals(reference.size(), fused.size());
        for (int i = 0; i < reference.size(); i++) {
            LayerTestSupport.assertClose(reference.get(i), fused.get(i), 2e-5, "result " + i);
            // the pairs shared out over two threads (the projections' BLAS also splits, and rounds differently)
            LayerTestSupport.assertClose(fused.get(i), twoThreads.get(i), 2e-5, "two threads, result " + i);
        }
    }

    /** A causal forward on the kernel leaves a cache that the next carried chunk (on ND4J) attends to. */
    @Test
    void cacheAfterAFusedForwardContinuesTheSequence() {
        assumeTrue(StepGemm.VECTORS, "the JVM has no jdk.incubator.vector: the kernel is not used");
        int time = 9, batch = 2, width = 32;
        INDArray mask = LayerTestSupport.mask(time, 9, 6);
        List<INDArray> byType = new ArrayList<>();
        for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            MultiHeadAttention mha = layer(width, 2, true, true, type);
            INDArray x = input(time, batch, width, type);
            Mode carry = Mode.eval().withCarryState(true);
            SeqTensor all = new SeqTensor(x, time, batch, mask.castTo(type));
            mha.forward(sub(all, 0, 6), carry);
            assertEquals(type == DataType.FLOAT, mha.fusedLastForward(), "the first chunk has no cache");
            byType.add(mha.finalState().get(0).dup());
            byType.add(mha.forward(sub(all, 6, 9), carry).data().dup());
            assertTrue(!mha.fusedLastForward(), "a chunk that attends to a cache runs on ND4J");
            byType.add(mha.finalState().get(1).dup());
        }
        for (int i = 0; i < 3; i++) LayerTestSupport.assertClose(byType.get(i), byType.get(i + 3), 2e-5, "result " + i);
    }

    private static List<INDArray> run(int width, int heads, boolean causal, boolean residual, int time, int batch,
            INDArray mask, DataType type, int threads) {
        Blas.setThreads(threads);
        try {
            MultiHeadAttention mha = layer(width, heads, causal, residual, type);
            ParameterBuffer buffer = bound.get(mha);
            INDArray x = input(time, batch, width, type);
            List<INDArray> results = new ArrayList<>();
            for (int pass = 0; pass < 2; pass++) {
                buffer.grads().assign(0);
                SeqTensor out = mha.forward(new SeqTensor(x, time, batch, mask.castTo(type)),
                        Mode.train(new Random(0)).withRecord(true));
                assertEquals(type == DataType.FLOAT, mha.fusedLastForward());
                results.add(out.data().dup());
                results.add(mha.recorded().get("weights").dup());
                Nd4j.getRandom().setSeed(10 + pass);
                INDArray r = Nd4j.rand(DataType.DOUBLE, out.data().shape()).subi(0.5).castTo(type);
                results.add(mha.backward(out.withData(r)).data().dup());
                results.add(buffer.grads().dup());
            }
            return results;
        } finally {
            Blas.setThreads(1);
        }
    }

    private static final java.util.Map<Layer, ParameterBuffer> bound = new java.util.IdentityHashMap<>();

    /** A layer with random weights and biases (the same for both types). */
    private static MultiHeadAttention layer(int width, int heads, boolean causal, boolean residual, DataType type) {
        MultiHeadAttention mha = new MultiHeadAttention("attn", width, heads, causal, residual);
        ParameterBuffer buffer = new ParameterBuffer(List.of(mha), type);
        Nd4j.getRandom().setSeed(4);
        buffer.values().assign(Nd4j.rand(DataType.DOUBLE, buffer.values().shape()).subi(0.5).muli(0.8).castTo(type));
        bound.put(mha, buffer);
        return mha;
    }

    private static INDArray input(int time, int batch, int width, DataType type) {
        Nd4j.getRandom().setSeed(9);
        return Nd4j.rand(DataType.DOUBLE, (long) time * batch, width).muli(2).subi(1).castTo(type);
    }

    private static SeqTensor sub(SeqTensor in, int from, int to) {
        int b = in.batch();
        INDArray rows = in.data().get(org.nd4j.linalg.indexing.NDArrayIndex.interval((long) from * b, (long) to * b),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        INDArray m = in.mask() == null ? null
                : in.mask().get(org.nd4j.linalg.indexing.NDArrayIndex.interval((long) from * b, (long) to * b),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        return new SeqTensor(rows, to - from, b, m);
    }
}
