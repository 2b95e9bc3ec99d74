package org.seqlab.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Java2D helpers shared by the hand-drawn pictures (heatmaps, grids, coloured text). */
final class Drawing {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final Color AXIS = new Color(60, 60, 60);
    static final Color FRAME = new Color(120, 120, 120);

    private Drawing() {
    }

    /** A white ARGB-free canvas with anti-aliased text. */
    static BufferedImage canvas(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return img;
    }

    static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        return g;
    }

    static Font font(int size, boolean bold) {
        return new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, size);
    }

    static byte[] png(BufferedImage img) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("could not encode the picture as PNG", e);
        }
    }

    /** Text centred horizontally on {@code cx} with its baseline at {@code baseline}. */
    static void centered(Graphics2D g, String s, double cx, double baseline) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, (float) (cx - fm.stringWidth(s) / 2.0), (float) baseline);
    }

    /** Text rotated 90 degrees counter-clockwise, centred vertically on {@code cy}, its top at {@code x}. */
    static void vertical(Graphics2D g, String s, double x, double cy) {
        FontMetrics fm = g.getFontMetrics();
        AffineTransform saved = g.getTransform();
        g.translate(x + fm.getAscent(), cy + fm.stringWidth(s) / 2.0);
        g.rotate(-Math.PI / 2);
        g.drawString(s, 0, 0);
        g.setTransform(saved);
    }

    /** Text rotated 90 degrees counter-clockwise, ending (right-aligned) at {@code top}, centred on {@code cx}. */
    static void verticalEndingAt(Graphics2D g, String s, double cx, double top) {
        FontMetrics fm = g.getFontMetrics();
        AffineTransform saved = g.getTransform();
        g.translate(cx + (fm.getAscent() - fm.getDescent()) / 2.0, top + fm.stringWidth(s));
        g.rotate(-Math.PI / 2);
        g.drawString(s, 0, 0);
        g.setTransform(saved);
    }

    /** Every k-th label is drawn, with k the smallest step that leaves {@code extent} pixels per label. */
    static int thinningStep(double cellSize, double extent) {
        if (cellSize <= 0) return Integer.MAX_VALUE;
        return Math.max(1, (int) Math.ceil(extent / cellSize));
    }

    /** A short number for ticks and cells: 0.5, 1e-03, 12.3. */
    static String number(double v) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e4 || a < 1e-2) return String.format(Locale.ROOT, "%.0e", v);
        String s = String.format(Locale.ROOT, "%.2f", v);
        s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }

    /**
     * A token made visible: space, newline and tab as the symbols editors use, when the font has
     * them (else plain stand-ins), and long tokens shortened.
     */
    static String visible(String token, Font font, int maxChars) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            b.append(switch (c) {
                case ' ' -> font.canDisplay('\u2423') ? "\u2423" : "_";
                case '\n' -> font.canDisplay('\u21b5') ? "\u21b5" : "\\n";
                case '\t' -> font.canDisplay('\u21e5') ? "\u21e5" : "\\t";
                case '\r' -> "\\r";
                default -> Character.isISOControl(c) ? "?" : String.valueOf(c);
            });
        }
        String s = b.toString();
        return s.length() > maxChars ? s.substring(0, Math.max(1, maxChars - 1)) + "\u2026" : s;
    }
}
