package org.seqlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.junit.jupiter.api.Test;

class CellOutputTest {
    /** What the notebook would receive: stream messages in order, "out:" or "err:" first. */
    final List<String> sent = new ArrayList<>();
    final CellOutput.Sink sink = new CellOutput.Sink() {
        @Override
        public void stream(boolean stderr, String text) {
            sent.add((stderr ? "err:" : "out:") + text);
        }

        @Override
        public void display(DisplayData data, boolean update) {
            sent.add("display");
        }

        @Override
        public void clear(boolean wait) {
            sent.add("clear");
        }
    };

    static void print(CellOutput o, boolean stderr, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        o.write(stderr, b, 0, b.length);
    }

    @Test
    void linesAreCoalescedAndKeepTheirOrderAcrossStreams() {
        CellOutput o = new CellOutput(sink, "cell [1]", CellOutput.Limits.DEFAULT, null);
        for (int i = 0; i < 100; i++) {
            print(o, false, i + "\n");
        }
        print(o, true, "warning\n");
        print(o, false, "after\n");
        assertEquals(List.of(), sent, "nothing is sent per line");
        o.display(new DisplayData(), false);
        o.finish();
        assertEquals(4, sent.size(), sent.toString());
        assertTrue(sent.get(0).startsWith("out:0\n1\n") && sent.get(0).endsWith("99\n"));
        assertEquals(List.of("err:warning\n", "out:after\n", "display"), sent.subList(1, 4));
    }

    @Test
    void aFloodKeepsHeadAndTailAndCountsWhatWasCut() {
        CellOutput.Limits small = new CellOutput.Limits(10, 1 << 20, 5, 1 << 20, 1 << 16, 200);
        CellOutput o = new CellOutput(sink, "cell [2]", small, null);
        for (int i = 0; i < 1000; i++) {
            print(o, false, i + "\n");
        }
        o.finish();
        String all = String.join("", sent.stream().map(s -> s.substring(4)).toList());
        List<String> numbers = all.lines().filter(l -> l.matches("\\d+")).toList();
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "995", "996", "997", "998", "999"), numbers);
        Matcher m = Pattern.compile("\\[seqlab: ([\\d,]+) lines .* of cell \\[2\\]'s output not shown").matcher(all);
        assertTrue(m.find(), all);
        assertEquals(985, Integer.parseInt(m.group(1).replace(",", "")));
        assertTrue(all.contains("cell [2] has printed 10 lines"), all);
    }

    @Test
    void oneEndlessLineIsCutByBytesAtACharacterBoundary() {
        CellOutput.Limits small = new CellOutput.Limits(1000, 7, 5, 64, 1 << 16, 200);
        CellOutput o = new CellOutput(sink, "cell [3]", small, null);
        print(o, false, "ééééé"); // 10 bytes, the limit falls inside the 4th character
        o.finish();
        assertTrue(sent.get(0).startsWith("out:ééé"), sent.toString());
        assertTrue(!sent.get(0).contains("\uFFFD"), "no broken character: " + sent);
    }

    @Test
    void aCharacterSplitAcrossWritesIsNotBroken() {
        CellOutput o = new CellOutput(sink, "cell [4]", CellOutput.Limits.DEFAULT, null);
        byte[] e = "é".getBytes(StandardCharsets.UTF_8);
        o.write(false, e, 0, 1);
        o.flush();
        o.write(false, e, 1, 1);
        o.finish();
        assertEquals("é", String.join("", sent.stream().map(s -> s.substring(4)).toList()));
    }

    @Test
    void outputAfterTheCellEndedSaysWhereItComesFrom() {
        CellOutput o = new CellOutput(sink, "cell [5]", CellOutput.Limits.DEFAULT, null);
        o.finish();
        print(o, false, "tick\n");
        o.flush();
        assertTrue(sent.get(0).startsWith("err:[seqlab: the lines below come from a thread started by cell [5]"), sent.toString());
        assertEquals("out:tick\n", sent.get(1));
    }

    @Test
    void completeUtf8FindsTheLastWholeCharacter() {
        byte[] s = "aé€".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 bytes
        assertEquals(6, CellOutput.completeUtf8(s));
        assertEquals(3, CellOutput.completeUtf8(java.util.Arrays.copyOf(s, 5)));
        assertEquals(1, CellOutput.completeUtf8(java.util.Arrays.copyOf(s, 2)));
    }
}
