package org.seqlab.kernel.render;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.seqlab.train.EpochRecord;
import org.seqlab.train.ProgressFormat;
import org.seqlab.train.StepRecord;
import org.seqlab.train.TrainingHistory;
import org.seqlab.viz.LossCurve;

/**
 * A finished fit: its loss curve (the engine's {@link LossCurve}) and a table of final metrics.
 * image/png carries the curve alone; text/html (what frontends show first) inlines the same PNG
 * above the table, so the picture and the numbers appear together.
 */
public final class HistoryRenderer {
    private HistoryRenderer() {}

    public static void register(Renderer renderer) {
        renderer.createRegistration(TrainingHistory.class)
                .preferring(MIMEType.TEXT_HTML, MIMEType.IMAGE_PNG, MIMEType.TEXT_PLAIN)
                .supporting(MIMEType.TEXT_HTML, MIMEType.IMAGE_PNG, MIMEType.TEXT_PLAIN)
                .register((history, ctx) -> {
                    String png = history.isEmpty() ? null : Html.base64(LossCurve.of(history).png());
                    if (png != null) {
                        ctx.renderIfRequested(MIMEType.IMAGE_PNG, () -> png);
                    }
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html(history, png));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, history::toString);
                });
    }

    static String html(TrainingHistory history, String png) {
        String picture = png == null ? "" : Html.img(png, "loss curve") + "\n";
        return "<div>" + picture + Html.keyValueTable(metrics(history)) + "</div>";
    }

    /** The last step's numbers, the last validation loss, median throughput and why it stopped. */
    public static Map<String, String> metrics(TrainingHistory h) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("stopped", h.stopDetail()); // for a diverged run: at which step, and what to try
        if (h.isEmpty()) {
            rows.put("steps", "0");
            return rows;
        }
        StepRecord last = h.last();
        rows.put("steps", String.format("%,d of %,d (epoch %d)", last.step(), last.totalSteps(), last.epoch()));
        rows.put("loss (last step)", String.format("%.4f", last.loss()));
        if (!Double.isNaN(last.accuracy())) rows.put("accuracy (last step)", String.format("%.4f", last.accuracy()));
        if (!Double.isNaN(last.perplexity())) rows.put("perplexity (last step)", String.format("%.3f", last.perplexity()));
        List<EpochRecord> epochs = h.epochs();
        for (int i = epochs.size() - 1; i >= 0; i--) {
            if (!Double.isNaN(epochs.get(i).validationLoss())) {
                rows.put("validation loss (epoch " + epochs.get(i).epoch() + ")", String.format("%.4f", epochs.get(i).validationLoss()));
                break;
            }
        }
        rows.put("tokens/s (median)", String.format("%,.0f", h.medianTokensPerSecond()));
        rows.put("time", ProgressFormat.duration(last.elapsedMillis()));
        return rows;
    }
}
