package org.seqlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class TextWindowsTest {

    private static final String TEXT = "abcdefghijklmnopqrstuvwxyz";

    @Test
    void windowsAndTargetsAreOffsetByOne() {
        Vocab vocab = Vocab.chars(TEXT);
        TextWindows windows = TextWindows.of(TEXT, vocab, 5, 3);
        assertEquals((26 - 1 - 5) / 3 + 1, windows.size());
        assertEquals(TargetKind.CLASS_PER_STEP, windows.targetKind());
        List<Batch> batches = windows.batches(4, null);
        Batch first = batches.get(0);
        assertArrayEquals(new long[] {4, 5}, first.inputs().shape());
        assertArrayEquals(new long[] {4, 5}, first.targets().shape());
        assertNull(first.mask());
        assertEquals("defgh", vocab.decode(first.inputs().getRow(1)));
        assertEquals("efghi", vocab.decode(first.targets().getRow(1)));
        // the last whole window starts at 18; the tail "yz" that would not fill a window is dropped
        Batch last = batches.get(batches.size() - 1);
        assertEquals("tuvwx", vocab.decode(last.targets().getRow(last.size() - 1)));
        Batch everyOffset = TextWindows.of(TEXT, vocab, 5, 1).batches(100, null).get(0);
        assertEquals("vwxyz", vocab.decode(everyOffset.targets().getRow(everyOffset.size() - 1)));
        assertFalse(windows.contiguous());
    }

    @Test
    void lastPartialBatchIsKept() {
        TextWindows windows = TextWindows.of(TEXT, Vocab.chars(TEXT), 4, 1); // 22 windows
        List<Batch> batches = windows.batches(5, new Random(1));
        assertEquals(5, batches.size());
        assertEquals(2, batches.get(4).size());
        assertEquals(22, batches.stream().mapToInt(Batch::size).sum());
    }

    @Test
    void sameSeedSameBatchesDifferentSeedDifferent() {
        TextWindows windows = TextWindows.of(TEXT, Vocab.chars(TEXT), 4, 1);
        INDArray a = windows.batches(8, new Random(7)).get(0).inputs();
        INDArray b = windows.batches(8, new Random(7)).get(0).inputs();
        INDArray c = windows.batches(8, new Random(8)).get(0).inputs();
        assertEquals(a, b);
        assertFalse(a.equals(c));
    }

    @Test
    void validation() {
        Vocab vocab = Vocab.chars(TEXT);
        String msg = assertThrows(IllegalArgumentException.class, () -> TextWindows.of("abc", vocab, 3, 1)).getMessage();
        assertTrue(msg.contains("at least 4") && msg.contains("at most 2"), msg);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TextWindows.of("", vocab, 3, 1))
                .getMessage().contains("text is empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TextWindows.of(TEXT, vocab, 0, 1))
                .getMessage().contains("window is 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TextWindows.of(TEXT, vocab, 3, 0))
                .getMessage().contains("stride is 0"));
        msg = assertThrows(IllegalArgumentException.class,
                () -> TextWindows.of(new int[] {2, 3, 99, 4}, vocab, 2, 1)).getMessage();
        assertTrue(msg.contains("id 99 at position 2") && msg.contains("same vocabulary"), msg);
    }

    @Test
    void streamsContinueRowByRow() {
        String text = "the quick brown fox jumps over the lazy dog and keeps running far away";
        Vocab vocab = Vocab.chars(text);
        TextStreams streams = TextWindows.streams(text, vocab, 3, 5);
        assertTrue(streams.contiguous());
        int n = (text.length() - 1) / 3;
        assertEquals(n, streams.streamLength());
        List<Batch> batches = streams.batches(3, new Random(1));
        assertEquals((n + 4) / 5, batches.size());
        StringBuilder[] rows = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
        for (int k = 0; k < batches.size(); k++) {
            Batch batch = batches.get(k);
            assertNull(batch.mask());
            assertEquals(3, batch.size());
            for (int r = 0; r < 3; r++) {
                String in = vocab.decode(batch.inputs().getRow(r));
                String out = vocab.decode(batch.targets().getRow(r));
                assertEquals(in.substring(1), out.substring(0, out.length() - 1), "targets are inputs shifted by one");
                if (k > 0) {
                    String prevTargets = vocab.decode(batches.get(k - 1).targets().getRow(r));
                    assertEquals(prevTargets.charAt(prevTargets.length() - 1), in.charAt(0),
                            "row " + r + " of batch " + k + " continues the previous batch");
                }
                rows[r].append(in);
            }
        }
        for (int r = 0; r < 3; r++) {
            assertEquals(text.substring(r * n, r * n + n), rows[r].toString());
        }
        // asking for another batch size recuts the text into that many streams
        assertEquals(2, streams.batches(2, null).get(0).size());
    }

    @Test
    void streamSplitKeepsOrderAndValidates() {
        String text = "x".repeat(100);
        Vocab vocab = Vocab.chars(text);
        TextStreams streams = TextStreams.of(text, vocab, 4, 5);
        List<SequenceDataset> parts = streams.split(0.2, 1);
        assertTrue(parts.get(0).contiguous() && parts.get(1).contiguous());
        assertEquals((80 - 1) / 4, ((TextStreams) parts.get(0)).streamLength());
        String msg = assertThrows(IllegalArgumentException.class, () -> TextStreams.of("abcde", Vocab.chars("abcde"), 4, 2))
                .getMessage();
        assertTrue(msg.contains("too few") && msg.contains("batch size of at most 2"), msg);
    }
}
