package org.seqlab.kernel;

import java.util.Objects;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One output area that is redrawn in place (Jupyter's display_id): the first {@link #update}
 * shows it, later ones replace it with update_display_data, at most once per interval
 * (0.5 s by default) so that a training loop running 200 steps a second does not flood the
 * browser. Updates inside the interval are not lost: the newest is kept and sent by the next
 * update after the interval, or by {@link #flush()} at the end.
 *
 * <p>Contents are {@link Supplier}s so that an expensive picture (a loss chart) is only drawn
 * when it is actually sent. Thread-safe; cheap to call on every training step.
 */
public final class LiveDisplay {

    /** Where displays go: the notebook, or anything else in tests. */
    public interface Sink {
        /** Shows {@code content} under {@code displayId}; {@code first} is true for the initial display. */
        void show(String displayId, Object content, boolean first);
    }

    public static final long DEFAULT_INTERVAL_MILLIS = 500;

    private final Sink sink;
    private final LongSupplier clockNanos;
    private final long intervalNanos;
    private final String id;
    private boolean shown;
    private long lastSentNanos;
    private Supplier<?> pending;
    private int sent;

    public LiveDisplay(Sink sink) {
        this(sink, System::nanoTime, DEFAULT_INTERVAL_MILLIS);
    }

    public LiveDisplay(Sink sink, LongSupplier clockNanos, long intervalMillis) {
        this.sink = Objects.requireNonNull(sink);
        this.clockNanos = Objects.requireNonNull(clockNanos);
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.id = "seqlab-" + UUID.randomUUID();
    }

    public String id() {
        return id;
    }

    /** How many displays and updates went out (for tests and diagnostics). */
    public synchronized int sentCount() {
        return sent;
    }

    public void update(Object content) {
        update(() -> content);
    }

    /** Offers new content; it is drawn and sent now if the interval has passed, else kept. */
    public synchronized void update(Supplier<?> content) {
        pending = Objects.requireNonNull(content);
        long now = clockNanos.getAsLong();
        if (!shown || now - lastSentNanos >= intervalNanos) {
            send(now);
        }
    }

    /** Sends the newest content if it has not been sent (call when the loop ends). */
    public synchronized void flush() {
        if (pending != null) {
            send(clockNanos.getAsLong());
        }
    }

    private void send(long now) {
        Object content = pending.get();
        pending = null;
        lastSentNanos = now;
        boolean first = !shown;
        shown = true;
        sent++;
        sink.show(id, content, first);
    }
}
