package org.seqlab.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.Model;

/**
 * Models saved by seqlab before layer kinds declared themselves (format 1, commit db5174b) still load
 * and predict what they predicted then. The files and their predictions were written by
 * {@link SavedModelFixtures#main} run with that commit's classes: every layer kind of the time, random weights.
 */
class SavedModelCompatibilityTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tokens", "features", "onehot"})
    void formatOneModelsLoadAndPredictAsBefore(String name, @TempDir Path dir) throws IOException {
        Path file = dir.resolve(name + ".seqlab");
        try (InputStream in = resource("v1_" + name + ".seqlab")) {
            Files.copy(in, file);
        }
        Model m = Model.load(file);
        assertEquals(SavedModelFixtures.models().get(name).spec().toLines(), m.spec().toLines());
        INDArray expected = expectedPredictions().get(name);
        INDArray p = m.predict(SavedModelFixtures.inputs().get(name)).castTo(DataType.DOUBLE);
        assertArrayEquals(expected.shape(), p.shape());
        assertArrayEquals(expected.reshape(expected.length()).toDoubleVector(), p.reshape(p.length()).toDoubleVector(), 1e-6);

        Path again = dir.resolve(name + "-again.seqlab");
        m.save(again);
        INDArray reloaded = Model.load(again).predict(SavedModelFixtures.inputs().get(name)).castTo(DataType.DOUBLE);
        assertEquals(p, reloaded);
        if (name.equals("tokens")) {
            String lines = String.join("\n", m.spec().toLines());
            for (String kind : new String[] {"embed", "bidirectional rnn", "attention 2 causal", "dropout", "dense",
                    "layernorm", "gru", "lstm", "attention 2 auto"}) {
                assertTrue(lines.contains("layer " + kind), kind + " in\n" + lines);
            }
        }
    }

    private static InputStream resource(String name) {
        return SavedModelCompatibilityTest.class.getResourceAsStream("/saved/" + name);
    }

    private static Map<String, INDArray> expectedPredictions() throws IOException {
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (InputStream in = resource("v1_predictions.txt")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i + 1 < lines.length; i += 2) {
                String[] head = lines[i].trim().split(" ");
                long[] shape = new long[head.length - 1];
                for (int d = 0; d < shape.length; d++) shape[d] = Long.parseLong(head[d + 1]);
                String[] v = lines[i + 1].trim().split(" ");
                double[] values = new double[v.length];
                for (int k = 0; k < v.length; k++) values[k] = Double.parseDouble(v[k]);
                out.put(head[0], Nd4j.create(values, shape, DataType.DOUBLE));
            }
        }
        return out;
    }
}
