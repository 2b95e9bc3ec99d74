package org.seqlab.inspect;

import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqlab.layers.CrossAttention;
import org.seqlab.layers.Layer;
import org.seqlab.layers.MultiHeadCrossAttention;
import org.seqlab.viz.ColorScale;
import org.seqlab.viz.Heatmap;

/**
 * The cross-attention (alignment) matrix of one sentence pair, the picture of Bahdanau et al.'s
 * paper: one row per target token (the step that wrote it, {@code </s>} last), one column per source
 * token ({@code </s>} last), each row the decoder's attention weights over the source (sums to 1).
 * For a transformer decoder it is the mean over the heads of one block's cross-attention.
 */
public final class Alignment {
    private final List<String> source;
    private final List<String> target;
    private final double[][] weights;
    private final String title;

    public Alignment(List<String> source, List<String> target, double[][] weights, String title) {
        if (weights.length != target.size() || (weights.length > 0 && weights[0].length != source.size())) {
            throw new IllegalArgumentException("an alignment of " + target.size() + " target and " + source.size()
                    + " source tokens needs a " + target.size() + " x " + source.size() + " matrix");
        }
        this.source = List.copyOf(source);
        this.target = List.copyOf(target);
        this.weights = weights;
        this.title = title;
    }

    /**
     * Row {@code row} of the attention weights an attending layer recorded in its last forward pass
     * ({@code [target steps][source steps]}; heads averaged for multi-head attention).
     */
    public static double[][] recordedWeights(Layer layer, int row) {
        INDArray w = layer.recorded().get("weights");
        if (w == null) throw new IllegalStateException(layer.name() + " recorded no attention weights");
        INDArray mine = w.castTo(DataType.DOUBLE).slice(row);
        if (layer instanceof MultiHeadCrossAttention) mine = mine.mean(0);
        else if (!(layer instanceof CrossAttention)) throw new IllegalArgumentException(layer.name() + " does not attend to a source");
        return mine.rank() == 1 ? new double[][] {mine.toDoubleVector()} : mine.toDoubleMatrix();
    }

    public List<String> sourceTokens() {
        return source;
    }

    public List<String> targetTokens() {
        return target;
    }

    /** {@code [target token][source token]} weights (a copy). */
    public double[][] weights() {
        double[][] copy = new double[weights.length][];
        for (int i = 0; i < weights.length; i++) copy[i] = weights[i].clone();
        return copy;
    }

    /**
     * The heatmap: source tokens across, target tokens down, every token labelled; cells sized so a
     * 30 x 30 pair still fits about 900 px; source labels upright, no numbers in the cells (as in the paper).
     */
    public Heatmap heatmap() {
        int cells = Math.max(source.size(), target.size());
        int cell = Math.max(18, Math.min(32, 640 / Math.max(1, cells))); // 18 px: one line of 12 px labels per row and column
        int longest = 0;
        for (String s : source) longest = Math.max(longest, s.length());
        int labelBand = Math.min(120, 16 + 8 * longest);
        return Heatmap.of(weights).rows(target).columns(source).title(title).axes("source", "target (output)")
                .scale(ColorScale.sequential(0, 1)).scaleLabel("attention weight").cellValues(false).turnedColumnLabels(true)
                .size(Math.min(1000, 230 + cell * source.size()), 120 + labelBand + cell * target.size());
    }

    public byte[] png() {
        return heatmap().png();
    }

    public Path savePng(Path file) {
        return heatmap().savePng(file);
    }

    /** Text fallback: for each target token, the source token it attends to most and that weight. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Alignment(" + title + ")\n");
        for (int i = 0; i < target.size(); i++) {
            int best = 0;
            for (int j = 1; j < source.size(); j++) if (weights[i][j] > weights[i][best]) best = j;
            s.append(String.format("  %-12s <- %-12s %.2f%n", target.get(i), source.get(best), weights[i][best]));
        }
        return s.toString();
    }
}
