package org.seqlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class VocabTest {

    @Test
    void reservedIdsComeFirst() {
        Vocab vocab = Vocab.chars("abc");
        assertEquals(0, vocab.id(Vocab.PAD));
        assertEquals(1, vocab.id(Vocab.UNK));
        assertEquals(Vocab.PAD, vocab.token(0));
        assertEquals(Vocab.UNK, vocab.token(1));
        assertEquals(5, vocab.size());
    }

    @Test
    void orderIsByFrequencyThenLexicographic() {
        Vocab vocab = Vocab.chars("bbaaacd");
        assertEquals(List.of(Vocab.PAD, Vocab.UNK, "a", "b", "c", "d"), vocab.tokens());
    }

    @Test
    void charRoundTrip() {
        String text = "hello, world\nagain";
        Vocab vocab = Vocab.chars(text);
        assertEquals(text, vocab.decode(vocab.encode(text)));
        assertEquals(text, vocab.decode(Nd4j.createFromArray(vocab.encode(text)).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)));
    }

    @Test
    void wordRoundTripAndTokenizer() {
        Vocab vocab = Vocab.words("the fox ran.\nthe owl didn't!");
        assertEquals(List.of("the", "fox", "ran", ".", "\n", "the", "owl", "didn't", "!"),
                Tokenizer.WORDS.split("the fox ran.\nthe owl didn't!"));
        assertEquals("the fox ran .\nthe owl", vocab.decode(vocab.encode("the fox ran.\nthe owl")));
        assertEquals(2, vocab.id("the"), "most frequent word gets id 2");
    }

    @Test
    void minCountAndMaxSize() {
        Vocab vocab = Vocab.words("a a a b b c", 2, 100);
        assertEquals(List.of(Vocab.PAD, Vocab.UNK, "a", "b"), vocab.tokens());
        Vocab capped = Vocab.words("a a a b b c", 1, 3);
        assertEquals(List.of(Vocab.PAD, Vocab.UNK, "a"), capped.tokens());
        Vocab fromTokens = Vocab.fromTokens(List.of("x", "y", "x"), 1, 10);
        assertEquals(List.of(Vocab.PAD, Vocab.UNK, "x", "y"), fromTokens.tokens());
    }

    @Test
    void lenientEncodeMapsUnknownToUnk() {
        Vocab vocab = Vocab.chars("ab");
        assertArrayEquals(new int[] {vocab.id("a"), Vocab.UNK_ID, vocab.id("b")}, vocab.encode("azb"));
        assertEquals("a<unk>b", vocab.decode(vocab.encode("azb")));
    }

    @Test
    void strictEncodeNamesTokenAndPosition() {
        Vocab vocab = Vocab.chars("ab");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vocab.encodeStrict("abz"));
        assertTrue(e.getMessage().contains("'z'"), e.getMessage());
        assertTrue(e.getMessage().contains("position 2"), e.getMessage());
        assertTrue(e.getMessage().contains("encode(...)"), e.getMessage());
        IllegalArgumentException newline = assertThrows(IllegalArgumentException.class, () -> vocab.encodeStrict("a\n"));
        assertTrue(newline.getMessage().contains("'\\n'"), newline.getMessage());
    }

    @Test
    void tokensOfRoundTripAndTextForm() {
        Vocab chars = Vocab.chars("tab\there\\ new\nline");
        assertEquals(chars, Vocab.of(chars.tokens()));
        assertEquals(chars, Vocab.parse(chars.toText()));
        Vocab words = Vocab.words("one two two three\nfour");
        assertEquals(words, Vocab.parse(words.toText()));
        assertEquals(Tokenizer.WORDS, Vocab.of(words.tokens()).tokenizer());
    }

    @Test
    void errorsSayWhatToDo() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Vocab.of(List.of("a", "b")))
                .getMessage().contains("Vocab.tokens()"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Vocab.chars(""))
                .getMessage().contains("non-empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Vocab.chars("abc", 1, 2))
                .getMessage().contains("at least 3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Vocab.chars("ab").token(9))
                .getMessage().contains("outside"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Vocab.parse("junk"))
                .getMessage().contains("Vocab.toText()"));
    }

    @Test
    void toStringIsShort() {
        String s = Vocab.chars("the quick brown fox jumps over the lazy dog").toString();
        assertTrue(s.startsWith("Vocab[29 chars tokens: <pad> <unk>"), s);
        assertTrue(s.length() < 100, s);
    }
}
