package org.seqlab.kernel.render;

import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.seqlab.Model;
import org.seqlab.model.ModelSummary;

/**
 * A model, or its summary, as a Keras-style HTML table: layer, kind, output shape, parameters.
 * A model that has not seen its input yet (no summary) shows its text, which says so.
 */
public final class ModelRenderer {
    private ModelRenderer() {}

    public static void register(Renderer renderer) {
        renderer.createRegistration(ModelSummary.class)
                .preferring(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .supporting(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register((summary, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html(summary));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, summary::toString);
                });
        renderer.createRegistration(Model.class)
                .preferring(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .supporting(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register((model, ctx) -> {
                    if (model.isCompiled()) {
                        ModelSummary summary = model.summary();
                        ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html(summary));
                    }
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, model::toString);
                });
    }

    public static String html(ModelSummary s) {
        StringBuilder h = new StringBuilder("<div><table class=\"seqlab-summary\">\n<thead><tr>"
                + "<th style=\"text-align:left\">Layer</th><th style=\"text-align:left\">Kind</th>"
                + "<th style=\"text-align:left\">Output shape</th><th style=\"text-align:right\">Params</th></tr></thead>\n<tbody>\n");
        for (ModelSummary.Row r : s.rows()) {
            h.append("<tr><td style=\"text-align:left\"><code>").append(Html.escape(r.name())).append("</code></td>")
                    .append("<td style=\"text-align:left\">").append(Html.escape(r.kind())).append("</td>")
                    .append("<td style=\"text-align:left\"><code>").append(Html.escape(r.outputShape())).append("</code></td>")
                    .append("<td style=\"text-align:right\">").append(String.format("%,d", r.params())).append("</td></tr>\n");
        }
        h.append("</tbody>\n<tfoot><tr><th colspan=\"3\" style=\"text-align:left\">Total parameters</th>")
                .append("<th style=\"text-align:right\">").append(String.format("%,d", s.totalParams())).append("</th></tr></tfoot>\n")
                .append("</table>\n<p>Loss: <code>").append(Html.escape(s.loss())).append("</code></p></div>");
        return h.toString();
    }
}
