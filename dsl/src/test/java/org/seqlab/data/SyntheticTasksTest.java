package org.seqlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqlab.data.synthetic.AbcTunes;
import org.seqlab.data.synthetic.AddingProblem;
import org.seqlab.data.synthetic.BracketMatching;
import org.seqlab.data.synthetic.CopyTask;
import org.seqlab.data.synthetic.SyntheticGrammar;

class SyntheticTasksTest {

    @Test
    void addingProblemTargetIsTheMarkedSum() {
        ValueSequences data = AddingProblem.generate(20, 30, 1);
        assertEquals(TargetKind.VALUES_PER_SEQUENCE, data.targetKind());
        assertEquals(2, data.featureSize());
        assertEquals(1, data.targetSize());
        Batch batch = data.batches(20, null).get(0);
        assertArrayEquals(new long[] {20, 30, 2}, batch.inputs().shape());
        assertArrayEquals(new long[] {20, 1}, batch.targets().shape());
        for (int b = 0; b < 20; b++) {
            double sum = 0;
            int markers = 0;
            for (int t = 0; t < 30; t++) {
                if (batch.inputs().getDouble(b, t, 1) == 1.0) {
                    sum += batch.inputs().getDouble(b, t, 0);
                    markers++;
                }
            }
            assertEquals(2, markers);
            assertEquals(sum, batch.targets().getDouble(b, 0), 1e-5);
        }
    }

    @Test
    void copyTaskTargetsAreTheInputsDelayed() {
        LabelledSequences data = CopyTask.generate(5, 4, 6, 3, 2);
        assertEquals(TargetKind.CLASS_PER_STEP, data.targetKind());
        assertEquals(7, data.vocabSize());
        for (int i = 0; i < 5; i++) {
            int[] in = data.sequence(i);
            int[] out = data.tags(i);
            assertEquals(9, in.length);
            for (int t = 0; t < 9; t++) {
                if (t < 6) {
                    assertTrue(in[t] > CopyTask.BLANK, "symbols first");
                } else {
                    assertEquals(CopyTask.BLANK, in[t], "then blanks");
                }
                assertEquals(t < 3 ? CopyTask.BLANK : in[t - 3], out[t]);
            }
        }
        assertEquals("abc", data.vocab().decode(new int[] {3, 4, 5}));
    }

    @Test
    void bracketsAreLabelledCorrectlyVaryInLengthAndAreMasked() {
        LabelledSequences data = BracketMatching.generate(400, 5, 40, 9);
        int balanced = 0;
        int minLength = Integer.MAX_VALUE;
        int maxLength = 0;
        for (int i = 0; i < data.size(); i++) {
            int[] s = data.sequence(i);
            assertEquals(BracketMatching.isBalanced(s) ? 1 : 0, data.label(i));
            assertEquals(0, s.length % 2);
            balanced += data.label(i);
            minLength = Math.min(minLength, s.length);
            maxLength = Math.max(maxLength, s.length);
        }
        assertTrue(balanced > 150 && balanced < 250, "about half balanced: " + balanced);
        assertTrue(minLength <= 8 && maxLength >= 38, minLength + ".." + maxLength);
        assertNotNull(data.batches(32, null).get(0).mask());
        assertEquals(List.of("unbalanced", "balanced"), data.classNames());
    }

    @Test
    void grammarWordClassesCoverEveryWordItWrites() {
        java.util.Map<String, String> classes = SyntheticGrammar.wordClasses();
        String text = SyntheticGrammar.text(50_000, 7).toLowerCase(java.util.Locale.ROOT);
        java.util.Set<String> missing = new java.util.TreeSet<>();
        for (String token : Vocab.words(text).tokens()) {
            if (Character.isLetter(token.charAt(0)) && !classes.containsKey(token)) missing.add(token);
        }
        assertTrue(missing.isEmpty(), "words without a class: " + missing);
        assertEquals("animal", classes.get("heron"));
        assertEquals("verb (past)", classes.get("carried"));
        assertEquals("verb (-s)", classes.get("carries"));
        assertEquals("name", classes.get("ada"));
        assertEquals("adjective", classes.get("old"), "first role wins: 'old dog' is an animal phrase");
    }

    @Test
    void grammarTextIsDeterministicAndEnglishLike() {
        String text = SyntheticGrammar.text(5000, 3);
        assertEquals(5000, text.length());
        assertEquals(text, SyntheticGrammar.text(5000, 3));
        assertNotEquals(text, SyntheticGrammar.text(5000, 4));
        assertTrue(text.contains(". ") && text.contains("\n\n") && text.contains("?") && text.contains("\""));
        assertTrue(Vocab.chars(text).size() < 60, "a small alphabet");
        assertEquals(ShippedText.DEMO_CHARS, ShippedText.demo().length());
        assertEquals(ShippedText.demo(), SyntheticGrammar.text(ShippedText.DEMO_CHARS, ShippedText.DEMO_SEED));
    }

    @Test
    void abcTunesHaveHeadersAndWholeBars() {
        String tunes = AbcTunes.generate(20, 5);
        assertEquals(tunes, AbcTunes.generate(20, 5));
        String[] each = tunes.split("\n\n");
        assertEquals(20, each.length);
        for (String tune : each) {
            assertTrue(tune.matches("(?s)X:\\d+\nT:[^\n]+\nM:(6/8|4/4|3/4)\nL:1/8\nK:[A-G][a-z]*\n.*"), tune);
            int barLength = tune.contains("M:6/8") ? 6 : tune.contains("M:4/4") ? 8 : 6;
            String body = tune.substring(tune.indexOf("|:"));
            for (String bar : body.replace("\n", "").replace("|:", "|").replace(":|", "|").split("\\|")) {
                if (bar.isBlank()) {
                    continue;
                }
                int eighths = 0;
                java.util.regex.Matcher note = java.util.regex.Pattern.compile("[A-Ga-g](\\d?)").matcher(bar);
                while (note.find()) {
                    eighths += note.group(1).isEmpty() ? 1 : Integer.parseInt(note.group(1));
                }
                assertEquals(barLength, eighths, "bar '" + bar + "' in\n" + tune);
            }
        }
    }

    @Test
    void textStreamsOverTheDemoCorpusHaveNoUnknownTokens() {
        Vocab vocab = Vocab.chars(ShippedText.demo());
        TextStreams streams = TextWindows.streams(ShippedText.demo(), vocab, 16, 100);
        INDArray first = streams.batches(16, null).get(0).inputs();
        assertTrue(first.neq(Vocab.UNK_ID).all());
        assertEquals(vocab, Vocab.parse(vocab.toText()));
    }
}
