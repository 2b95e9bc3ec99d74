package org.seqlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class LabelledSequencesTest {

    private static final int[][] RAGGED = {{2, 3, 4}, {5}, {6, 7}, {2, 2, 2, 2}, {3}};

    @Test
    void paddingAndMaskForRaggedSequences() {
        LabelledSequences data = LabelledSequences.classes(RAGGED, new int[] {0, 1, 0, 1, 1}, 8, 2);
        Batch batch = data.batches(3, null).get(0);
        assertArrayEquals(new long[] {3, 3}, batch.inputs().shape());
        assertArrayEquals(new long[] {3}, batch.targets().shape());
        assertEquals(Nd4j.createFromArray(new float[][] {{2, 3, 4}, {5, 0, 0}, {6, 7, 0}}), batch.inputs());
        assertEquals(Nd4j.createFromArray(new float[][] {{1, 1, 1}, {1, 0, 0}, {1, 1, 0}}), batch.mask());
        assertEquals(Nd4j.createFromArray(0f, 1f, 0f), batch.targets());
        assertEquals(6, batch.tokens());
        Batch rest = data.batches(3, null).get(1);
        assertArrayEquals(new long[] {2, 4}, rest.inputs().shape(), "padding is per batch, to its longest sequence");
        assertEquals(4, data.maxLength());
    }

    @Test
    void taggedSequencesPadTargetsToo() {
        int[][] tags = {{1, 0, 1}, {2}, {0, 2}, {1, 1, 1, 1}, {0}};
        LabelledSequences data = LabelledSequences.tagged(RAGGED, tags, 8, 3);
        assertEquals(TargetKind.CLASS_PER_STEP, data.targetKind());
        Batch batch = data.batches(5, null).get(0);
        assertArrayEquals(new long[] {5, 4}, batch.targets().shape());
        assertEquals(Nd4j.createFromArray(2f, 0f, 0f, 0f), batch.targets().getRow(1));
        assertEquals(Nd4j.createFromArray(1f, 0f, 0f, 0f), batch.mask().getRow(4));
    }

    @Test
    void textsWithStringLabels() {
        Vocab vocab = Vocab.chars("good bad");
        LabelledSequences data = LabelledSequences.texts(List.of("good", "bad", "so good"), List.of("pos", "neg", "pos"), vocab);
        assertEquals(List.of("neg", "pos"), data.classNames());
        assertEquals(1, data.label(0));
        assertEquals(0, data.label(1));
        assertEquals(Vocab.UNK_ID, data.sequence(2)[0], "'s' is not in the vocabulary");
        assertNotNull(data.vocab());
    }

    @Test
    void splitSizesAndDeterminism() {
        int[][] seqs = new int[50][];
        int[] labels = new int[50];
        for (int i = 0; i < 50; i++) {
            seqs[i] = new int[] {2 + i % 5, 3};
            labels[i] = i % 2;
        }
        LabelledSequences data = LabelledSequences.classes(seqs, labels, 8, 2);
        List<SequenceDataset> parts = data.split(0.2, 42);
        assertEquals(40, parts.get(0).size());
        assertEquals(10, parts.get(1).size());
        assertEquals(parts.get(1).batches(10, null).get(0).inputs(),
                data.split(0.2, 42).get(1).batches(10, null).get(0).inputs());
        String msg = assertThrows(IllegalArgumentException.class, () -> data.split(1.5, 1)).getMessage();
        assertTrue(msg.contains("strictly between 0 and 1"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> data.split(0.001, 1)).getMessage();
        assertTrue(msg.contains("both need at least one example"), msg);
    }

    @Test
    void validationMessages() {
        assertMessage(() -> LabelledSequences.classes(new int[0][], new int[0], 5, 2), "sequences is empty");
        assertMessage(() -> LabelledSequences.classes(new int[][] {{2}, {}}, new int[] {0, 1}, 5, 2), "sequence 1 is empty");
        assertMessage(() -> LabelledSequences.classes(new int[][] {{2, 9}}, new int[] {0}, 5, 2), "id 9 at position 1");
        assertMessage(() -> LabelledSequences.classes(new int[][] {{2}}, new int[] {0, 1}, 5, 2), "one label per sequence");
        assertMessage(() -> LabelledSequences.classes(new int[][] {{2}}, new int[] {3}, 5, 2), "class 3 is outside 0..1");
        assertMessage(() -> LabelledSequences.classes(new int[][] {{2}}, new int[] {0}, 5, 1), "at least 2");
        assertMessage(() -> LabelledSequences.tagged(new int[][] {{2, 3}}, new int[][] {{1}}, 5, 2), "one tag per step");
        assertMessage(() -> LabelledSequences.texts(List.of("a"), Arrays.asList(" "), Vocab.chars("a")), "label 0 is missing");
        assertMessage(() -> LabelledSequences.classes(new int[][] {{2}}, new int[] {0}, 5, 2).batches(0, null), "batch size is 0");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String expected) {
        String msg = assertThrows(IllegalArgumentException.class, call).getMessage();
        assertTrue(msg.contains(expected), "expected '" + expected + "' in: " + msg);
    }
}
