package org.seqlab.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.Model;
import org.seqlab.Seq;
import org.seqlab.data.Vocab;
import org.seqlab.layers.Activation;

/**
 * Writes the saved-model fixtures of {@link SavedModelCompatibilityTest} (into the folder given as the
 * argument): models of every layer kind with random weights, and what they predict for fixed inputs.
 * Uses only the public API, so any seqlab version can run it; the committed files came from commit db5174b.
 */
public final class SavedModelFixtures {
    private SavedModelFixtures() {
    }

    static Map<String, INDArray> inputs() {
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("tokens", Nd4j.createFromArray(new float[][] {{2, 3, 4, 5, 2, 6}, {3, 3, 2, 8, 1, 0}}));
        in.put("features", Nd4j.createFromArray(new float[][][] {{{0.1f, -0.2f, 0.3f}, {0.5f, 0.4f, -0.6f}, {0.9f, -1f, 0.2f}}}));
        in.put("onehot", Nd4j.createFromArray(new float[][] {{1, 2, 3, 6, 5}}));
        return in;
    }

    static Map<String, Model> models() {
        Map<String, Model> m = new LinkedHashMap<>();
        m.put("tokens", Seq.model().vocab(Vocab.chars("abcde .")).embed(6).bidirectional(Seq.rnn(4, Activation.RELU, true))
                .attention(2, true).dropout(0.25).dense(6, Activation.TANH).layerNorm().gru(5).lstm(4).attention(2)
                .softmax().seed(7).build());
        m.put("features", Seq.model().features(3).lstm(4).attention(2).meanPool().dense(3, Activation.RELU).sigmoid(2)
                .seed(8).build());
        m.put("onehot", Seq.model().vocab(7).oneHot().bidirectional(Seq.gru(3)).rnn(3).last().linear(2).seed(9).build());
        return m;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        StringBuilder predictions = new StringBuilder();
        Map<String, INDArray> inputs = inputs();
        for (Map.Entry<String, Model> e : models().entrySet()) {
            Model m = e.getValue();
            Nd4j.getRandom().setSeed(e.getKey().length());
            INDArray w = m.graph().parameters().values();
            w.addi(Nd4j.rand(DataType.FLOAT, w.shape()).subi(0.5)); // trained-looking weights, not the seed's init
            m.save(dir.resolve("v1_" + e.getKey() + ".seqlab"));
            INDArray p = m.predict(inputs.get(e.getKey())).castTo(DataType.DOUBLE);
            predictions.append(e.getKey()).append(' ').append(Arrays.toString(p.shape()).replaceAll("[\\[\\],]", "")).append('\n');
            StringBuilder values = new StringBuilder();
            for (double d : p.reshape(p.length()).toDoubleVector()) values.append(d).append(' ');
            predictions.append(values.toString().trim()).append('\n');
        }
        Files.writeString(dir.resolve("v1_predictions.txt"), predictions.toString());
    }
}
