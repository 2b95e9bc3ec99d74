package org.seqlab.viz;

import java.awt.Color;
import java.awt.Font;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.AxesChartStyler;

/** The house style for XChart line and scatter charts (white, light grid, readable fonts). */
final class Charts {
    /** Matplotlib's tab10, so series colours match what readers know from Python notebooks. */
    static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207)};

    private Charts() {
    }

    static XYChart xy(int width, int height, String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart.getStyler(), 11);
        return chart;
    }

    /** The house style on any axes chart (line, scatter, bar), with tick labels of {@code tickFontSize} px. */
    static void style(AxesChartStyler s, int tickFontSize) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setToolTipsEnabled(false);
        s.setSeriesColors(PALETTE);
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, tickFontSize));
    }
}
