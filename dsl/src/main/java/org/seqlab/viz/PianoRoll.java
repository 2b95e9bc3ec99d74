package org.seqlab.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.seqlab.music.Note;
import org.seqlab.music.Tune;

/**
 * A tune as written, drawn as a piano roll: time runs across, pitch up (black-key rows shaded, every C
 * marked), one bar-numbered row of bars per line as in a score, with repeat signs at the bar lines.
 */
public final class PianoRoll {
    private static final Color NOTE = new Color(31, 119, 180);
    private static final Color NOTE_EDGE = new Color(20, 70, 120);
    private static final Color BLACK_KEY_ROW = new Color(240, 240, 240);
    private static final Color C_LINE = new Color(190, 190, 190);
    private static final int PITCH_HEIGHT = 8;
    private static final int LEFT = 48;
    private static final int RIGHT = 14;
    private static final int ROW_GAP = 30;

    private final List<Note> notes;
    private final List<Tune.BarLine> barLines;
    private final double length;
    private final String title;
    private int width = 900;
    private int barsPerRow;

    private PianoRoll(Tune tune) {
        this.notes = tune.writtenNotes();
        this.barLines = tune.writtenBarLines();
        this.length = tune.writtenLength();
        this.title = tune.title().isEmpty() ? "Tune " + tune.number() : tune.title();
        double barQuarters = typicalBar();
        this.barsPerRow = barQuarters >= 4 ? 4 : 8;
    }

    public static PianoRoll of(Tune tune) {
        return new PianoRoll(tune);
    }

    public PianoRoll width(int width) {
        if (width < 300) throw new IllegalArgumentException("width " + width + " px is too narrow; use at least 300");
        this.width = width;
        return this;
    }

    public PianoRoll barsPerRow(int bars) {
        if (bars < 1) throw new IllegalArgumentException("barsPerRow must be at least 1");
        this.barsPerRow = bars;
        return this;
    }

    /** The most common distance between bar lines, in quarter notes. */
    private double typicalBar() {
        List<Double> gaps = new ArrayList<>();
        double previous = 0;
        for (Tune.BarLine b : barLines) {
            if (b.onset() > previous + 1e-9) gaps.add(b.onset() - previous);
            previous = b.onset();
        }
        if (gaps.isEmpty()) return Math.max(length, 1);
        double best = gaps.get(0);
        int bestCount = 0;
        for (double g : gaps) {
            int count = 0;
            for (double h : gaps) if (Math.abs(g - h) < 1e-9) count++;
            if (count > bestCount) {
                best = g;
                bestCount = count;
            }
        }
        return best;
    }

    /** Where each line of the picture starts and ends, in quarter notes: every {@code barsPerRow} bars. */
    private List<double[]> rows() {
        List<Double> bounds = new ArrayList<>();
        bounds.add(0.0);
        for (Tune.BarLine b : barLines) {
            if (b.onset() > bounds.get(bounds.size() - 1) + 1e-9 && b.onset() < length - 1e-9) bounds.add(b.onset());
        }
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < bounds.size(); i += barsPerRow) {
            double start = bounds.get(i);
            double end = i + barsPerRow < bounds.size() ? bounds.get(i + barsPerRow) : length;
            rows.add(new double[] {start, end, i + 1});
        }
        return rows;
    }

    public BufferedImage image() {
        int low = 127, high = 0;
        for (Note n : notes) {
            low = Math.min(low, n.pitch());
            high = Math.max(high, n.pitch());
        }
        if (notes.isEmpty()) {
            low = 60;
            high = 72;
        }
        low -= 1;
        high += 1;
        int pitches = high - low + 1;
        List<double[]> rows = rows();
        double rowQuarters = 0;
        for (double[] r : rows) rowQuarters = Math.max(rowQuarters, r[1] - r[0]);
        int rowHeight = pitches * PITCH_HEIGHT;
        int top = 34;
        int height = top + rows.size() * (rowHeight + ROW_GAP) + 6;
        BufferedImage img = Drawing.canvas(width, height);
        Graphics2D g = Drawing.graphics(img);
        g.setColor(Color.BLACK);
        g.setFont(Drawing.font(15, true));
        Drawing.centered(g, title, width / 2.0, 8 + g.getFontMetrics().getAscent());
        double pxPerQuarter = (width - LEFT - RIGHT) / Math.max(rowQuarters, 1e-9);
        for (int r = 0; r < rows.size(); r++) {
            double[] row = rows.get(r);
            int y0 = top + r * (rowHeight + ROW_GAP) + ROW_GAP - 10;
            int x1 = LEFT + (int) Math.round((row[1] - row[0]) * pxPerQuarter);
            drawKeys(g, low, high, y0, x1);
            drawBars(g, row, y0, rowHeight, pxPerQuarter, (int) row[2]);
            drawNotes(g, row, low, high, y0, pxPerQuarter);
        }
        g.dispose();
        return img;
    }

    private void drawKeys(Graphics2D g, int low, int high, int y0, int x1) {
        g.setFont(Drawing.font(11, false));
        int lastLabel = Integer.MIN_VALUE / 2;
        for (int p = high; p >= low; p--) {
            int y = y0 + (high - p) * PITCH_HEIGHT;
            boolean black = isBlack(p);
            g.setColor(black ? BLACK_KEY_ROW : Color.WHITE);
            g.fillRect(LEFT, y, x1 - LEFT, PITCH_HEIGHT);
            if (Math.floorMod(p, 12) == 0) {
                g.setColor(C_LINE);
                g.drawLine(LEFT, y + PITCH_HEIGHT, x1, y + PITCH_HEIGHT);
            }
            // name white keys from the top down, as many as fit 12 px apart
            int baseline = y + PITCH_HEIGHT / 2 + 4;
            if (!black && baseline - lastLabel >= 12) {
                g.setColor(Drawing.AXIS);
                String name = Note.name(p);
                g.drawString(name, LEFT - 6 - g.getFontMetrics().stringWidth(name), baseline);
                lastLabel = baseline;
            }
        }
        g.setColor(Drawing.FRAME);
        g.drawRect(LEFT, y0, x1 - LEFT, (high - low + 1) * PITCH_HEIGHT);
    }

    private static boolean isBlack(int pitch) {
        int k = Math.floorMod(pitch, 12);
        return k == 1 || k == 3 || k == 6 || k == 8 || k == 10;
    }

    private void drawBars(Graphics2D g, double[] row, int y0, int rowHeight, double px, int firstBar) {
        g.setFont(Drawing.font(11, false));
        int bar = firstBar;
        g.setColor(Drawing.AXIS);
        g.drawString(String.valueOf(bar), LEFT + 2, y0 - 4);
        for (Tune.BarLine b : barLines) {
            if (b.onset() < row[0] - 1e-9 || b.onset() > row[1] + 1e-9) continue;
            int x = LEFT + (int) Math.round((b.onset() - row[0]) * px);
            // a ":|" + "|:" where one line ends and the next begins: the end sign here, the start sign there
            boolean atStart = b.onset() < row[0] + 1e-9;
            boolean atEnd = b.onset() > row[1] - 1e-9;
            boolean repeatEnd = b.repeatEnd() && !atStart;
            boolean repeatStart = b.repeatStart() && !atEnd;
            boolean thick = repeatStart || repeatEnd || b.sectionEnd();
            g.setColor(Color.DARK_GRAY);
            g.setStroke(new BasicStroke(thick ? 3f : 1f));
            g.drawLine(x, y0, x, y0 + rowHeight);
            g.setStroke(new BasicStroke(1f));
            int mid = y0 + rowHeight / 2;
            if (repeatEnd) dots(g, x - 8, mid);
            if (repeatStart) dots(g, x + 5, mid);
            if (b.onset() > row[0] + 1e-9 && b.onset() < row[1] - 1e-9) {
                bar++;
                g.setColor(Drawing.AXIS);
                g.drawString(String.valueOf(bar), x + 3, y0 - 4);
            }
        }
    }

    private static void dots(Graphics2D g, int x, int mid) {
        g.setColor(Color.DARK_GRAY);
        g.fillOval(x, mid - 9, 4, 4);
        g.fillOval(x, mid + 5, 4, 4);
    }

    private void drawNotes(Graphics2D g, double[] row, int low, int high, int y0, double px) {
        for (Note n : notes) {
            if (n.onset() < row[0] - 1e-9 || n.onset() >= row[1] - 1e-9) continue;
            int x = LEFT + (int) Math.round((n.onset() - row[0]) * px);
            int w = Math.max(2, (int) Math.round(n.duration() * px) - 2);
            int y = y0 + (high - n.pitch()) * PITCH_HEIGHT;
            g.setColor(NOTE);
            g.fillRoundRect(x + 1, y + 1, w, PITCH_HEIGHT - 1, 3, 3);
            g.setColor(NOTE_EDGE);
            g.drawRoundRect(x + 1, y + 1, w, PITCH_HEIGHT - 1, 3, 3);
        }
    }

    public byte[] png() {
        return Drawing.png(image());
    }

    public Path savePng(Path file) {
        return Png.save(png(), file);
    }

    @Override
    public String toString() {
        return "PianoRoll(" + title + ": " + notes.size() + " notes, " + rows().size() + " lines)";
    }
}
