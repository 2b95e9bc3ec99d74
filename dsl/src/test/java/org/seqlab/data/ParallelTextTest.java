package org.seqlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class ParallelTextTest {
    private static final List<ParallelText.Pair> PAIRS = List.of(
            ParallelText.pair("the dog sleeps", "vasu le dorme"),
            ParallelText.pair("a cat sees the dogs", "miro vasun lei ko vide"),
            ParallelText.pair("some birds sing", "tepin kai kanten"));

    @Test
    void eachSideHasItsOwnVocabularyAndTheTargetHasBoundaries() {
        ParallelText data = ParallelText.of(PAIRS);
        assertEquals(3, data.size());
        assertTrue(data.sourceVocab().contains("dog") && !data.sourceVocab().contains("vasu"));
        assertTrue(data.targetVocab().contains("vasu") && !data.targetVocab().contains("dog"));
        assertTrue(data.targetVocab().hasBoundaries());
        assertEquals(List.of("the", "dog", "sleeps", Vocab.EOS), data.sourceTokens(0), "sources end in </s>");
        assertEquals(List.of("vasu", "le", "dorme"), data.targetTokens(0));
        assertEquals(6, data.maxSourceLength());
        assertEquals(6, data.maxTargetLength(), "5 target words + the end token");
    }

    @Test
    void batchesShiftTheTargetAndPadAndMaskBothSides() {
        ParallelText data = ParallelText.of(PAIRS);
        PairBatch b = data.batch(new int[] {0, 1});
        Vocab sv = data.sourceVocab(), tv = data.targetVocab();
        int bos = tv.id(Vocab.BOS), eos = tv.id(Vocab.EOS);
        assertArrayEquals(new long[] {2, 6}, b.source().shape());
        assertArrayEquals(new float[] {sv.id("the"), sv.id("dog"), sv.id("sleeps"), sv.id(Vocab.EOS), 0, 0},
                b.source().getRow(0).toFloatVector());
        assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0}, b.sourceMask().getRow(0).toFloatVector());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, b.sourceMask().getRow(1).toFloatVector());
        assertArrayEquals(new long[] {2, 6}, b.targets().shape());
        assertArrayEquals(new float[] {bos, tv.id("vasu"), tv.id("le"), tv.id("dorme"), 0, 0}, b.targetInputs().getRow(0).toFloatVector());
        assertArrayEquals(new float[] {tv.id("vasu"), tv.id("le"), tv.id("dorme"), eos, 0, 0}, b.targets().getRow(0).toFloatVector());
        assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0}, b.targetMask().getRow(0).toFloatVector());
        assertEquals(4 + 6, b.tokens(), "real target tokens");
        PairBatch same = data.batch(new int[] {1});
        assertNull(same.sourceMask(), "no mask when nothing is padded");
        assertNull(same.targetMask());
    }

    @Test
    void shufflingIsSeededAndSplitsKeepTheVocabularies() {
        ParallelText data = SyntheticTranslationTest.small(40);
        List<PairBatch> a = data.batches(8, new Random(3)), b = data.batches(8, new Random(3)), c = data.batches(8, new Random(4));
        assertEquals(5, a.size());
        assertEquals(a.get(0).source(), b.get(0).source());
        assertNotEquals(a.get(0).source(), c.get(0).source());
        List<ParallelText> parts = data.split(0.25, 7);
        assertEquals(30, parts.get(0).size());
        assertEquals(10, parts.get(1).size());
        assertEquals(data.targetVocab(), parts.get(1).targetVocab());
        assertEquals(parts.get(1).pairs(), data.split(0.25, 7).get(1).pairs());
    }

    @Test
    void truncatedChunksCutTheTargetAndKeepTheSource() {
        ParallelText data = ParallelText.of(PAIRS);
        PairBatch b = data.batch(new int[] {0, 1, 2});
        List<PairBatch> chunks = b.chunks(4);
        assertEquals(2, chunks.size());
        assertEquals(4, chunks.get(0).targetTime());
        assertEquals(2, chunks.get(1).targetTime());
        assertEquals(4, chunks.get(1).targetOffset());
        assertEquals(b.source(), chunks.get(1).source());
        INDArray tail = chunks.get(1).targets();
        assertEquals(b.targets().getDouble(1, 4), tail.getDouble(1, 0), 0);
        assertEquals(List.of(b), b.chunks(0));
    }

    @Test
    void givenVocabulariesEncodeUnknownTokensAsUnk() {
        ParallelText train = ParallelText.of(PAIRS);
        ParallelText test = ParallelText.of(List.of(ParallelText.pair("the horse sleeps", "kaldo le dorme")),
                train.sourceVocab(), train.targetVocab());
        assertEquals(Vocab.UNK_ID, test.sourceIds(0)[1]);
        assertEquals(Vocab.UNK_ID, test.targetIds(0)[0]);
        assertEquals(train.targetVocab(), test.targetVocab());
    }

    @Test
    void emptySidesAreRefusedNamingThePair() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParallelText.of(List.of(
                ParallelText.pair("the dog sleeps", "vasu le dorme"), ParallelText.pair("a cat", "  "))));
        assertTrue(e.getMessage().contains("pair 1") && e.getMessage().contains("target is empty")
                && e.getMessage().contains("remove the pair or fill it in"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ParallelText.of(List.of(ParallelText.pair("", "x"))));
        assertTrue(e.getMessage().contains("source is empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ParallelText.of(List.of()));
        assertTrue(e.getMessage().contains("at least one"), e.getMessage());
    }

    @Test
    void readsTabSeparatedFiles(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pairs.tsv");
        Files.writeString(file, "the dog sleeps\tvasu le dorme\tCC-BY attribution\n\nsome birds sing\ttepin kai kanten\n");
        ParallelText data = ParallelText.readTsv(file);
        assertEquals(2, data.size());
        assertEquals(ParallelText.pair("some birds sing", "tepin kai kanten"), data.pair(1));

        Path chars = dir.resolve("dates.tsv");
        Files.writeString(chars, "3 May 2021\t2021-05-03\n");
        ParallelText dates = ParallelText.readTsv(chars, Tokenizer.CHARS, Tokenizer.CHARS);
        assertEquals(List.of("2", "0", "2", "1", "-", "0", "5", "-", "0", "3"), dates.targetTokens(0));

        Path bad = dir.resolve("bad.tsv");
        Files.writeString(bad, "the dog sleeps\tvasu le dorme\nno tab here\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParallelText.readTsv(bad));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("no tab"), e.getMessage());
        Path empty = dir.resolve("empty-side.tsv");
        Files.writeString(empty, "the dog sleeps\tvasu le dorme\n\nthe cat\t\n");
        e = assertThrows(IllegalArgumentException.class, () -> ParallelText.readTsv(empty));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("target is empty"), e.getMessage());
    }
}
