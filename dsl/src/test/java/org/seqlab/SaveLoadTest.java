package org.seqlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqlab.data.TextWindows;
import org.seqlab.data.Vocab;
import org.seqlab.train.FitOptions;

class SaveLoadTest {
    private static final String TEXT = "the cat sat on the mat.\nthe dog sat on the log.\n".repeat(20);

    private static Model trained() {
        Vocab vocab = Vocab.chars(TEXT);
        Model m = Seq.model().vocab(vocab).embed(8).lstm(16).attention(2).softmax().seed(3).build();
        m.fit(TextWindows.of(TEXT, vocab, 20, 20), FitOptions.steps(5).batchSize(8).adam(1e-2));
        return m;
    }

    @Test
    void roundTripGivesIdenticalPredictionsAndGeneration(@TempDir Path dir) throws IOException {
        Model m = trained();
        Path file = dir.resolve("sub/model.seqlab");
        m.save(file);
        Model back = Model.load(file);
        INDArray p1 = m.predict("the cat");
        INDArray p2 = back.predict("the cat");
        assertEquals(p1, p2);
        assertEquals(m.generate("the ", 40, 0.8), back.generate("the ", 40, 0.8));
        assertEquals(m.vocab(), back.vocab());
        assertEquals(m.summary().toString(), back.summary().toString());
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void truncatedFileGivesAClearError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.seqlab");
        trained().save(file);
        byte[] all = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.seqlab");
        Files.write(cut, Arrays.copyOf(all, all.length * 2 / 3));
        IOException e = assertThrows(IOException.class, () -> Model.load(cut));
        assertTrue(e.getMessage().contains("truncated or damaged"), e.getMessage());
    }

    @Test
    void foreignFileSaysWhatItIsNot(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "just some text, not a model");
        IOException e = assertThrows(IOException.class, () -> Model.load(file));
        assertTrue(e.getMessage().contains("not a seqlab model file") || e.getMessage().contains("truncated or damaged"), e.getMessage());
    }

    @Test
    void savingOverAnExistingModelReplacesItWhole(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.seqlab");
        Model m = trained();
        m.save(file);
        m.fit(TextWindows.of(TEXT, m.vocab(), 20, 20), FitOptions.steps(2).batchSize(8).adam(1e-2));
        m.save(file);
        assertEquals(m.predict("the dog"), Model.load(file).predict("the dog"));
    }
}
