package org.seqlab.inspect;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.data.Tokenizer;
import org.seqlab.data.Vocab;
import org.seqlab.graph.CompiledModel;
import org.seqlab.layers.SeqTensor;

/**
 * One sequence to inspect, in the forms a notebook has at hand: a {@code String} (encoded with the
 * model's vocabulary), token ids ({@code int[]}, or an INDArray {@code [T]} / {@code [1,T]}), or
 * values {@code [1,T,F]}. Carries the labels the pictures put on the time axis.
 *
 * @param batchFirst {@code [1,T]} ids or {@code [1,T,F]} values
 * @param labels     one label per step: the token, or the step number for real-valued input
 * @param spaced     true when tokens are words (shown with spaces between them)
 */
public record InspectInput(INDArray batchFirst, List<String> labels, boolean spaced) {

    public int time() {
        return (int) batchFirst.size(1);
    }

    /** The layers' time-major input. */
    public SeqTensor tensor(CompiledModel model) {
        return model.inputs(batchFirst, null);
    }

    /** Resolves {@code input} (String, int[] or INDArray) for {@code model}. */
    public static InspectInput of(CompiledModel model, Vocab vocab, Object input) {
        boolean tokens = model.spec().input().isTokens();
        if (input instanceof String text) {
            if (vocab == null) {
                throw new IllegalArgumentException("a String input needs the model's Vocab (build with .vocab(vocab) or fit on "
                        + "text windows); pass token ids (int[]) instead");
            }
            return ids(model, vocab, vocab.encodeStrict(text));
        }
        if (input instanceof int[] ids) return ids(model, vocab, ids);
        if (input instanceof INDArray a) {
            if (a.rank() == 1 || (a.rank() == 2 && a.size(0) == 1 && tokens)) {
                double[] d = a.castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
                int[] ids = new int[d.length];
                for (int i = 0; i < d.length; i++) ids[i] = (int) Math.round(d[i]);
                return ids(model, vocab, ids);
            }
            if (a.rank() == 3 && a.size(0) == 1 && !tokens) {
                List<String> labels = new ArrayList<>();
                for (int t = 0; t < a.size(1); t++) labels.add(String.valueOf(t));
                return new InspectInput(a.castTo(model.dtype()), labels, false);
            }
            throw new IllegalArgumentException("inspection looks at one sequence: give "
                    + (tokens ? "[T] or [1, T] token ids" : "[1, T, features] values") + ", got " + java.util.Arrays.toString(a.shape())
                    + (a.rank() >= 2 && a.size(0) > 1 ? " (take one row, e.g. inputs.getRow(0))" : ""));
        }
        throw new IllegalArgumentException("inspect a String, an int[] of token ids or an INDArray, not "
                + (input == null ? "null" : input.getClass().getSimpleName()));
    }

    private static InspectInput ids(CompiledModel model, Vocab vocab, int[] ids) {
        if (!model.spec().input().isTokens()) {
            throw new IllegalArgumentException("the model reads real-valued features: give [1, T, "
                    + model.spec().input().features() + "] values, not token ids");
        }
        if (ids.length == 0) throw new IllegalArgumentException("the sequence to inspect is empty");
        int n = model.spec().input().vocabSize();
        List<String> labels = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= n) {
                throw new IllegalArgumentException("token id " + ids[i] + " at position " + i + " is outside the vocabulary [0, " + n + ")");
            }
            labels.add(vocab != null ? vocab.token(ids[i]) : String.valueOf(ids[i]));
        }
        INDArray x = Nd4j.createFromArray(new int[][] {ids}).castTo(model.dtype());
        return new InspectInput(x, List.copyOf(labels), vocab != null && vocab.tokenizer() == Tokenizer.WORDS);
    }
}
