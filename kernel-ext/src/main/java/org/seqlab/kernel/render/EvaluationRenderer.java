package org.seqlab.kernel.render;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.seqlab.Model;

/** {@code model.evaluate(data)} as a small table; metrics that do not apply (NaN) are left out. */
public final class EvaluationRenderer {
    private EvaluationRenderer() {}

    public static void register(Renderer renderer) {
        renderer.createRegistration(Model.Evaluation.class)
                .preferring(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .supporting(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register((e, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html(e));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, e::toString);
                });
    }

    public static String html(Model.Evaluation e) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("examples", String.format("%,d", e.examples()));
        rows.put("loss", String.format("%.4f", e.loss()));
        if (!Double.isNaN(e.accuracy())) rows.put("accuracy", String.format("%.4f", e.accuracy()));
        if (!Double.isNaN(e.perplexity())) rows.put("perplexity", String.format("%.3f", e.perplexity()));
        return "<div><b>Evaluation</b>\n" + Html.keyValueTable(rows) + "</div>";
    }
}
