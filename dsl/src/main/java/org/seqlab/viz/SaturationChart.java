package org.seqlab.viz;

import java.awt.Color;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Gate saturation, as in Karpathy, Johnson and Fei-Fei (2015), figure 3: one dot per unit and
 * gate, at (fraction of steps the gate is below 0.1, fraction of steps it is above 0.9). Dots near
 * the origin are gates that respond to the input; dots on the axes are gates that are (almost)
 * always closed or always open, e.g. forget gates at the top left that remember everything.
 */
public final class SaturationChart {
    /** Per gate: for each unit the fraction of steps below the low threshold and above the high one. */
    public record Fractions(double[] belowLow, double[] aboveHigh) {
    }

    private final Map<String, Fractions> gates;
    private String title = "Gate saturation";
    private int width = 620;
    private int height = 560;

    private SaturationChart(Map<String, Fractions> gates) {
        this.gates = new LinkedHashMap<>(gates);
    }

    public static SaturationChart of(Map<String, Fractions> gates) {
        return new SaturationChart(gates);
    }

    public SaturationChart title(String title) {
        this.title = title;
        return this;
    }

    public SaturationChart size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    public XYChart chart() {
        XYChart chart = Charts.xy(width, height, title, "fraction of steps with gate < 0.1 (closed)",
                "fraction of steps with gate > 0.9 (open)");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setXAxisMin(-0.02).setXAxisMax(1.02).setYAxisMin(-0.02).setYAxisMax(1.02);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(9);
        int k = 0;
        for (Map.Entry<String, Fractions> e : gates.entrySet()) {
            Color c = Charts.PALETTE[k++ % Charts.PALETTE.length];
            XYSeries s = chart.addSeries(e.getKey() + " (" + e.getValue().belowLow().length + " units)",
                    e.getValue().belowLow(), e.getValue().aboveHigh());
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 150));
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
        return "SaturationChart(" + title + ": gates " + gates.keySet() + ")";
    }
}
