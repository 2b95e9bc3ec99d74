package org.seqlab.kernel.render;

import java.util.Base64;
import java.util.Map;

/** Small HTML pieces the renderers share: escaping, inline PNG images, two-column tables. */
public final class Html {
    private Html() {}

    public static String escape(String s) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    public static String base64(byte[] png) {
        return Base64.getEncoder().encodeToString(png);
    }

    /**
     * An image inlined as a data URI. Frontends show one representation per output, HTML first,
     * so an output that also needs text (a table, a progress line) carries its picture this way;
     * nbconvert keeps data URIs in exported HTML.
     */
    public static String img(String base64Png, String alt) {
        return "<img src=\"data:image/png;base64," + base64Png + "\" alt=\"" + escape(alt) + "\" style=\"max-width:100%\">";
    }

    /** A two-column name/value table (values already formatted). */
    public static String keyValueTable(Map<String, String> rows) {
        StringBuilder h = new StringBuilder("<table class=\"seqlab-metrics\">\n<tbody>\n");
        rows.forEach((k, v) -> h.append("<tr><th style=\"text-align:left\">").append(escape(k))
                .append("</th><td style=\"text-align:right\">").append(escape(v)).append("</td></tr>\n"));
        return h.append("</tbody></table>").toString();
    }
}
