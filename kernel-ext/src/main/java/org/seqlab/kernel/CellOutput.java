package org.seqlab.kernel;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * The printed output of one cell (its System.out and System.err, and those of the threads it
 * started), sent to the notebook the way ipykernel does: coalesced, one stream message per
 * {@link Limits#flushMillis} or per {@link Limits#flushBytes}, instead of one per println. A loop
 * printing 200,000 lines then sends a handful of messages, none is dropped by ZeroMQ's send
 * queue, and the cell's idle status arrives.
 *
 * <p>A cell that prints more than {@link Limits#headLines} lines (or {@link Limits#headBytes})
 * keeps the head, says so at once, holds back the rest keeping only the last
 * {@link Limits#tailLines}, and when it ends shows how much was cut followed by that tail.
 *
 * <p>stdout and stderr keep their relative order. Any thread may write; publishing happens under
 * {@link InterruptShield} so an interrupt never lands inside a message.
 */
final class CellOutput {

    /** Where the text goes: the notebook (iopub) in the kernel, a list in tests. */
    interface Sink {
        void stream(boolean stderr, String text);

        void display(DisplayData data, boolean update);

        void clear(boolean wait);
    }

    record Limits(int headLines, long headBytes, int tailLines, long tailBytes, int flushBytes, long flushMillis) {
        static final Limits DEFAULT = new Limits(5_000, 2L << 20, 500, 256L << 10, 64 << 10, 200);
    }

    private record Line(boolean stderr, byte[] bytes) {}

    /** A run of bytes of one stream, waiting to be sent. */
    private static final class Segment {
        final boolean stderr;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Segment(boolean stderr) {
            this.stderr = stderr;
        }
    }

    private final Sink sink;
    private final String cellName;
    private final Limits limits;
    private final ScheduledExecutorService timer;

    private final List<Segment> pending = new ArrayList<>();
    private int pendingBytes;
    private boolean flushScheduled;

    private long shownLines;
    private long shownBytes;
    private boolean cutting;
    private final ArrayDeque<Line> tail = new ArrayDeque<>();
    private final ByteArrayOutputStream tailPartial = new ByteArrayOutputStream();
    private boolean tailPartialStderr;
    private long tailBytes;
    private long cutLines;
    private long cutBytes;

    private boolean finished;
    private boolean lateNoteSent;
    private long lateDropped;

    CellOutput(Sink sink, String cellName, Limits limits, ScheduledExecutorService timer) {
        this.sink = sink;
        this.cellName = cellName;
        this.limits = limits;
        this.timer = timer;
    }

    String cellName() {
        return cellName;
    }

    /** Takes bytes printed by any thread; they are sent within {@link Limits#flushMillis}. */
    void write(boolean stderr, byte[] b, int off, int len) {
        if (len <= 0) {
            return;
        }
        boolean flushNow;
        synchronized (this) {
            if (finished && !lateNoteSent) {
                lateNoteSent = true;
                appendPending(true, ("[seqlab: the lines below come from a thread started by " + cellName
                        + ", which has finished; interrupt the kernel to stop that thread]\n").getBytes(StandardCharsets.UTF_8));
            }
            accept(stderr, b, off, len);
            flushNow = pendingBytes >= limits.flushBytes();
            if (!flushNow && pendingBytes > 0 && !flushScheduled && timer != null) {
                flushScheduled = true;
                timer.schedule(this::flush, limits.flushMillis(), TimeUnit.MILLISECONDS);
            }
        }
        if (flushNow) {
            flush();
        }
    }

    private void accept(boolean stderr, byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        if (!cutting) {
            int take = 0;
            boolean byBytes = false;
            while (i + take < end && shownLines < limits.headLines()) {
                if (shownBytes + take >= limits.headBytes()) {
                    byBytes = true;
                    break;
                }
                if (b[i + take++] == '\n') {
                    shownLines++;
                }
            }
            if (byBytes) {
                while (take > 0 && (b[i + take] & 0xC0) == 0x80) {
                    take--; // never split a UTF-8 character
                }
            }
            appendPending(stderr, b, i, take);
            shownBytes += take;
            i += take;
            if (i < end) {
                startCutting();
            }
        }
        if (i < end) {
            if (finished) {
                lateDropped += count(b, i, end);
            } else {
                keepInTail(stderr, b, i, end);
            }
        }
    }

    private void startCutting() {
        cutting = true;
        appendPending(true, String.format("%n[seqlab: %s has printed %,d lines (%s); the rest is held back and its last %,d lines"
                        + " are shown when it ends. Print less often, or write long output to a file.]%n",
                cellName, shownLines, size(shownBytes), limits.tailLines()).getBytes(StandardCharsets.UTF_8));
    }

    private void keepInTail(boolean stderr, byte[] b, int from, int end) {
        int start = from;
        for (int i = from; i < end; i++) {
            if (b[i] == '\n') {
                tailPartial.write(b, start, i + 1 - start);
                tailPartialStderr = stderr;
                pushTailLine();
                start = i + 1;
            }
        }
        if (start < end) {
            if (tailPartial.size() > 0 && tailPartialStderr != stderr) {
                pushTailLine();
            }
            tailPartial.write(b, start, end - start);
            tailPartialStderr = stderr;
            if (tailPartial.size() > limits.tailBytes()) { // one endless line: keep its end only
                byte[] all = tailPartial.toByteArray();
                int keep = (int) limits.tailBytes();
                cutBytes += all.length - keep;
                tailPartial.reset();
                tailPartial.write(all, all.length - keep, keep);
            }
        }
    }

    private void pushTailLine() {
        byte[] line = tailPartial.toByteArray();
        tailPartial.reset();
        tail.addLast(new Line(tailPartialStderr, line));
        tailBytes += line.length;
        while (tail.size() > limits.tailLines() || tailBytes > limits.tailBytes()) {
            Line dropped = tail.removeFirst();
            tailBytes -= dropped.bytes.length;
            cutLines++;
            cutBytes += dropped.bytes.length;
        }
    }

    private void appendPending(boolean stderr, byte[] bytes) {
        appendPending(stderr, bytes, 0, bytes.length);
    }

    private void appendPending(boolean stderr, byte[] b, int off, int len) {
        if (len <= 0) {
            return;
        }
        Segment last = pending.isEmpty() ? null : pending.get(pending.size() - 1);
        if (last == null || last.stderr != stderr) {
            last = new Segment(stderr);
            pending.add(last);
        }
        last.bytes.write(b, off, len);
        pendingBytes += len;
    }

    /** Sends what is pending now, on the calling thread. */
    void flush() {
        InterruptShield.publishing(() -> {
            synchronized (this) {
                flushScheduled = false;
                sendPending();
            }
        });
    }

    private void sendPending() {
        List<Segment> out = new ArrayList<>(pending);
        pending.clear();
        pendingBytes = 0;
        for (int s = 0; s < out.size(); s++) {
            Segment seg = out.get(s);
            byte[] bytes = seg.bytes.toByteArray();
            int complete = bytes.length;
            if (s == out.size() - 1 && !finished) {
                complete = completeUtf8(bytes); // keep a character split across writes for the next flush
                if (complete < bytes.length) {
                    appendPending(seg.stderr, bytes, complete, bytes.length - complete);
                }
            }
            if (complete > 0) {
                sink.stream(seg.stderr, new String(bytes, 0, complete, StandardCharsets.UTF_8));
            }
        }
    }

    /** The cell ended: everything pending goes out, then the note on what was cut and the tail. */
    void finish() {
        InterruptShield.publishing(() -> {
            synchronized (this) {
                finished = true;
                if (cutting) {
                    if (tailPartial.size() > 0) {
                        pushTailLine();
                    }
                    appendPending(true, String.format("[seqlab: %,d lines (%s) of %s's output not shown; the first %,d lines are"
                                    + " above, the last %,d below]%n",
                            cutLines, size(cutBytes), cellName, shownLines, tail.size()).getBytes(StandardCharsets.UTF_8));
                    for (Line l : tail) {
                        appendPending(l.stderr, l.bytes);
                    }
                    tail.clear();
                    tailBytes = 0;
                }
                sendPending();
            }
        });
    }

    /** Lines its threads printed after the cell ended and over the limit (not shown). */
    synchronized long lateDropped() {
        return lateDropped;
    }

    /** A notice from the kernel itself, on stderr, in order with the output. */
    void note(String text) {
        synchronized (this) {
            appendPending(true, (text.endsWith("\n") ? text : text + "\n").getBytes(StandardCharsets.UTF_8));
        }
        flush();
    }

    void display(DisplayData data, boolean update) {
        InterruptShield.publishing(() -> {
            synchronized (this) {
                sendPending();
                sink.display(data, update);
            }
        });
    }

    void clear(boolean wait) {
        InterruptShield.publishing(() -> {
            synchronized (this) {
                sendPending();
                sink.clear(wait);
            }
        });
    }

    /** Length of the prefix of {@code b} that ends on a whole UTF-8 character. */
    static int completeUtf8(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int c = b[n - back] & 0xFF;
            if ((c & 0xC0) == 0x80) {
                continue; // continuation byte: look further back for the lead byte
            }
            int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            return need > back ? n - back : n;
        }
        return n;
    }

    private static long count(byte[] b, int from, int end) {
        long lines = 0;
        for (int i = from; i < end; i++) {
            if (b[i] == '\n') {
                lines++;
            }
        }
        return lines;
    }

    static String size(long bytes) {
        if (bytes < 10_000) {
            return String.format("%,d bytes", bytes);
        }
        if (bytes < 10_000_000) {
            return String.format("%.0f kB", bytes / 1e3);
        }
        return String.format("%.1f MB", bytes / 1e6);
    }
}
