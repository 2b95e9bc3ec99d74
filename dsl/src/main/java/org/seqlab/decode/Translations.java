package org.seqlab.decode;

import java.util.ArrayList;
import java.util.List;
import org.seqlab.metrics.Bleu;
import org.seqlab.metrics.ExactMatch;

/**
 * A model's translations of a set of sentence pairs, next to their references: exact match, corpus
 * BLEU and the mean model score, and each pair for a look by eye.
 */
public final class Translations {
    private final List<String> sources;
    private final List<List<String>> references;
    private final List<Translation> hypotheses;
    private final String method;

    public Translations(List<String> sources, List<List<String>> references, List<Translation> hypotheses, String method) {
        if (sources.size() != references.size() || references.size() != hypotheses.size()) {
            throw new IllegalArgumentException("sources, references and hypotheses must have the same length");
        }
        this.sources = List.copyOf(sources);
        this.references = List.copyOf(references);
        this.hypotheses = List.copyOf(hypotheses);
        this.method = method;
    }

    public int size() {
        return hypotheses.size();
    }

    /** How they were decoded, such as {@code greedy} or {@code beam 5}. */
    public String method() {
        return method;
    }

    public String source(int i) {
        return sources.get(i);
    }

    public List<String> reference(int i) {
        return references.get(i);
    }

    public Translation get(int i) {
        return hypotheses.get(i);
    }

    public List<Translation> all() {
        return hypotheses;
    }

    /** The fraction of translations equal to their reference, token for token. */
    public double exactMatch() {
        return ExactMatch.rate(tokens(), references);
    }

    /** Corpus BLEU against the references (one each). */
    public Bleu bleu() {
        return Bleu.corpus(tokens(), references);
    }

    /** The mean of the translations' length-normalised scores under the model. */
    public double meanScore() {
        double sum = 0;
        for (Translation t : hypotheses) sum += t.score();
        return sum / hypotheses.size();
    }

    private List<List<String>> tokens() {
        List<List<String>> out = new ArrayList<>(hypotheses.size());
        for (Translation t : hypotheses) out.add(t.tokens());
        return out;
    }

    /** The scores and the first {@code rows} pairs as an HTML table (source, translation, and the reference where they differ). */
    public String html(int rows) {
        StringBuilder h = new StringBuilder("<div><b>").append(escape(String.format("%d pairs, %s: exact match %.1f%%, %s",
                size(), method, 100 * exactMatch(), bleu()))).append("</b><table><tr><th>source</th><th>translation</th>"
                + "<th>reference (where it differs)</th><th>score</th></tr>");
        for (int i = 0; i < Math.min(rows, size()); i++) {
            Translation t = hypotheses.get(i);
            boolean same = t.tokens().equals(references.get(i));
            h.append("<tr><td>").append(escape(sources.get(i))).append("</td><td>").append(escape(t.text()))
                    .append(t.ended() ? "" : " &hellip;").append("</td><td>").append(same ? "=" : escape(String.join(" ", references.get(i))))
                    .append("</td><td>").append(String.format("%.3f", t.score())).append("</td></tr>");
        }
        return h.append("</table></div>").toString();
    }

    /** What a notebook shows: {@link #html(int)} of the first 10 pairs. */
    public String html() {
        return html(10);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format("Translations(%d pairs, %s): exact match %.1f%%, %s, mean score %.4f",
                size(), method, 100 * exactMatch(), bleu(), meanScore()));
        for (int i = 0; i < Math.min(3, size()); i++) {
            s.append("\n  ").append(sources.get(i)).append("\n    -> ").append(hypotheses.get(i).text())
                    .append(hypotheses.get(i).tokens().equals(references.get(i)) ? "" : "\n    expected " + String.join(" ", references.get(i)));
        }
        return s.toString();
    }
}
