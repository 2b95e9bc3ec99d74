package org.seqlab.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Text with every token's background coloured by one value (one unit's activation at that step),
 * as in Karpathy, Johnson and Fei-Fei (2015), "Visualizing and understanding recurrent networks".
 * The main form is HTML (hover a token for its value); a PNG form exists for files and plain JShell.
 */
public final class ColoredText {
    private static final int WRAP = 80;
    private final List<String> tokens;
    private final double[] values;
    private final ColorScale scale;
    private final String title;
    private final boolean spaced;

    /**
     * @param spaced true for word tokens (a space between tokens), false for characters
     */
    public ColoredText(List<String> tokens, double[] values, ColorScale scale, String title, boolean spaced) {
        if (tokens.size() != values.length) {
            throw new IllegalArgumentException(tokens.size() + " tokens but " + values.length + " values");
        }
        this.tokens = List.copyOf(tokens);
        this.values = values.clone();
        this.scale = scale;
        this.title = title;
        this.spaced = spaced;
    }

    public List<String> tokens() {
        return tokens;
    }

    public double[] values() {
        return values.clone();
    }

    /** A self-contained HTML fragment (inline styles only: no scripts, no external CSS). */
    public String html() {
        StringBuilder b = new StringBuilder();
        b.append("<div style=\"font-family:sans-serif;font-size:13px\">");
        b.append("<div style=\"font-weight:bold;margin-bottom:4px\">").append(escape(title)).append("</div>");
        b.append("<div style=\"font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:14px;line-height:1.7;")
                .append("white-space:pre-wrap;word-break:break-all\">");
        for (int t = 0; t < tokens.size(); t++) {
            String tok = tokens.get(t);
            Color bg = scale.color(values[t]);
            Color fg = ColorScale.textOn(bg);
            String shown = tok.equals("\n") ? "\u21b5" : tok;
            b.append(String.format(Locale.ROOT, "<span title=\"step %d: %s\" style=\"background:#%06x;color:#%06x\">",
                    t, Drawing.number(values[t]), bg.getRGB() & 0xFFFFFF, fg.getRGB() & 0xFFFFFF));
            b.append(escape(shown)).append("</span>");
            if (tok.equals("\n")) b.append('\n');
            else if (spaced && t + 1 < tokens.size()) b.append(' ');
        }
        b.append("</div>").append(legendHtml()).append("</div>");
        return b.toString();
    }

    private String legendHtml() {
        StringBuilder b = new StringBuilder("<div style=\"margin-top:6px;font-size:11px;color:#444\">");
        b.append(escape(Drawing.number(scale.min()))).append(' ');
        for (int k = 0; k <= 20; k++) {
            double v = scale.min() + (scale.max() - scale.min()) * k / 20;
            b.append(String.format(Locale.ROOT, "<span style=\"display:inline-block;width:10px;height:10px;background:#%06x\"></span>",
                    scale.rgb(v)));
        }
        return b.append(' ').append(escape(Drawing.number(scale.max()))).append("</div>").toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    public Path saveHtml(Path file) {
        return Png.save(("<!doctype html><meta charset=\"utf-8\">" + html()).getBytes(StandardCharsets.UTF_8), file);
    }

    // ---------------------------------------------------------------- PNG form

    private List<List<Integer>> lines() {
        List<List<Integer>> lines = new ArrayList<>();
        List<Integer> line = new ArrayList<>();
        int chars = 0;
        for (int t = 0; t < tokens.size(); t++) {
            int len = tokens.get(t).length() + (spaced ? 1 : 0);
            if (chars + len > WRAP && !line.isEmpty()) {
                // break after the last blank on the line, so words stay whole (character tokens)
                int cut = line.size();
                for (int k = line.size() - 1; k > 0; k--) {
                    if (tokens.get(line.get(k)).isBlank()) {
                        cut = k + 1;
                        break;
                    }
                }
                List<Integer> carried = new ArrayList<>(line.subList(cut, line.size()));
                lines.add(new ArrayList<>(line.subList(0, cut)));
                line = carried;
                chars = 0;
                for (int k : carried) chars += tokens.get(k).length() + (spaced ? 1 : 0);
            }
            line.add(t);
            chars += len;
            if (tokens.get(t).equals("\n")) {
                lines.add(line);
                line = new ArrayList<>();
                chars = 0;
            }
        }
        if (!line.isEmpty()) lines.add(line);
        return lines;
    }

    private static Font mono() {
        return new Font(Font.MONOSPACED, Font.PLAIN, 15);
    }

    /** As wide as the longest line (monospaced) or the title, whichever is wider. */
    public int width() {
        BufferedImage scratch = Drawing.canvas(1, 1);
        Graphics2D g = scratch.createGraphics();
        FontMetrics text = g.getFontMetrics(mono());
        FontMetrics head = g.getFontMetrics(Drawing.font(14, true));
        g.dispose();
        int longest = 0;
        for (List<Integer> line : lines()) {
            int chars = 0;
            for (int t : line) chars += tokens.get(t).length() + (spaced ? 1 : 0);
            longest = Math.max(longest, chars);
        }
        return Math.max(280, Math.max(head.stringWidth(title), longest * text.charWidth('m')) + 40);
    }

    public int height() {
        return 40 + lines().size() * 24 + 50;
    }

    public BufferedImage image() {
        BufferedImage img = Drawing.canvas(width(), height());
        Graphics2D g = Drawing.graphics(img);
        g.setFont(Drawing.font(14, true));
        g.setColor(Color.BLACK);
        g.drawString(title, 12, 24);
        Font font = mono();
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        int y = 40;
        for (List<Integer> line : lines()) {
            int x = 12;
            for (int t : line) {
                String s = Drawing.visible(tokens.get(t), font, 40);
                if (s.equals("\u2423")) s = " "; // in running text a blank reads better than the symbol
                int w = fm.stringWidth(s);
                Color bg = scale.color(values[t]);
                g.setColor(bg);
                g.fillRect(x, y, w, 22);
                g.setColor(ColorScale.textOn(bg));
                g.drawString(s, x, y + 16);
                x += w + (spaced ? fm.charWidth(' ') : 0);
            }
            y += 24;
        }
        // legend strip
        int lx = 12, ly = y + 14, lw = 240;
        for (int i = 0; i < lw; i++) {
            g.setColor(scale.color(scale.min() + (scale.max() - scale.min()) * i / (lw - 1.0)));
            g.fillRect(lx + i, ly, 1, 12);
        }
        g.setColor(Drawing.FRAME);
        g.drawRect(lx, ly, lw, 12);
        g.setFont(Drawing.font(11, false));
        g.setColor(Drawing.AXIS);
        g.drawString(Drawing.number(scale.min()), lx, ly + 26);
        Drawing.centered(g, Drawing.number((scale.min() + scale.max()) / 2), lx + lw / 2.0, ly + 26);
        String max = Drawing.number(scale.max());
        g.drawString(max, lx + lw - g.getFontMetrics().stringWidth(max), ly + 26);
        g.dispose();
        return img;
    }

    public byte[] png() {
        return Drawing.png(image());
    }

    public Path savePng(Path file) {
        return Png.save(png(), file);
    }

    /** The plain-text fallback: the title and the text itself. */
    @Override
    public String toString() {
        return title + "\n" + String.join(spaced ? " " : "", tokens);
    }
}
