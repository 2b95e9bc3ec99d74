package org.seqlab.kernel.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * XChart charts (line, bar, pie...) as PNG. PNG rather than SVG: nbconvert strips inline SVG and
 * PNG shows the same in JupyterLab, classic Notebook, GitHub and exported HTML.
 */
public final class ChartRenderer {
    private ChartRenderer() {}

    @SuppressWarnings({"rawtypes", "unchecked"})
    public static void register(Renderer renderer) {
        renderer.createRegistration((Class) Chart.class)
                .preferring(MIMEType.IMAGE_PNG, MIMEType.TEXT_PLAIN)
                .supporting(MIMEType.IMAGE_PNG, MIMEType.TEXT_PLAIN)
                .register((chart, ctx) -> {
                    Chart<?, ?> c = (Chart<?, ?>) chart;
                    ctx.renderIfRequested(MIMEType.IMAGE_PNG, () -> png(c));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> describe(c));
                });
    }

    /** Base64 PNG, as Jupyter carries images. */
    public static String png(Chart<?, ?> chart) {
        try {
            return Base64.getEncoder().encodeToString(BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String describe(Chart<?, ?> chart) {
        String title = chart.getTitle() == null || chart.getTitle().isBlank() ? "" : " \"" + chart.getTitle() + "\"";
        return chart.getClass().getSimpleName() + title + " (" + chart.getWidth() + "x" + chart.getHeight() + " PNG)";
    }
}
