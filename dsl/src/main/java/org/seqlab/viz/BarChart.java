package org.seqlab.viz;

import java.awt.Color;
import java.awt.Font;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * Grouped bars: one group per category (x), one bar per named series in each group, e.g. accuracy per
 * kind of sentence for two models, or forecast error per method.
 *
 * <pre>BarChart.of(List.of("plain", "negated"), Map.of("LSTM", new double[] {1, 0.98})).axes("kind", "accuracy")</pre>
 */
public final class BarChart {
    private final List<String> categories;
    private final Map<String, double[]> series;
    private String title = "";
    private String xTitle = "";
    private String yTitle = "";
    private Double yMax;
    private int width = 720;
    private int height = 380;

    private BarChart(List<String> categories, Map<String, double[]> series) {
        if (categories.isEmpty()) throw new IllegalArgumentException("give at least one category");
        if (series.isEmpty()) throw new IllegalArgumentException("give at least one series of values");
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue().length != categories.size()) {
                throw new IllegalArgumentException("series '" + e.getKey() + "' has " + e.getValue().length
                        + " values but there are " + categories.size() + " categories " + categories);
            }
        }
        this.categories = List.copyOf(categories);
        this.series = new LinkedHashMap<>(series);
    }

    /** {@code series}: name to one value per category, in the categories' order (a LinkedHashMap keeps the legend order). */
    public static BarChart of(List<String> categories, Map<String, double[]> series) {
        return new BarChart(categories, series);
    }

    public BarChart title(String title) {
        this.title = title;
        return this;
    }

    public BarChart axes(String xTitle, String yTitle) {
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        return this;
    }

    /** A fixed top of the y axis (1.0 for accuracies), so charts side by side compare. */
    public BarChart yMax(double max) {
        this.yMax = max;
        return this;
    }

    public BarChart size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    public CategoryChart chart() {
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        CategoryStyler s = chart.getStyler();
        Charts.style(s, 12);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setLabelsVisible(true);
        s.setLabelsFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        s.setLabelsFontColorAutomaticEnabled(false);
        s.setLabelsFontColor(Color.WHITE);
        s.setLabelsPosition(0.9); // inside the top of each bar: XChart cannot place labels above bars
        s.setDecimalPattern("#0.##");
        s.setYAxisMin(0.0);
        if (yMax != null) s.setYAxisMax(yMax);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (double v : e.getValue()) values.add(v);
            chart.addSeries(e.getKey(), categories, values);
        }
        return chart;
    }

    public byte[] png() {
        return Png.of(chart());
    }

    public Path savePng(Path file) {
        return Png.save(png(), file);
    }

    @Override
    public String toString() {
        return "BarChart(" + title + ": " + series.keySet() + " over " + categories + ")";
    }
}
