package org.seqlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LiveDisplayTest {
    record Shown(String id, Object content, boolean first) {}

    @Test
    void firstUpdateShowsThenUpdatesAreThrottledToTheInterval() {
        List<Shown> shown = new ArrayList<>();
        AtomicLong now = new AtomicLong();
        LiveDisplay live = new LiveDisplay((id, c, first) -> shown.add(new Shown(id, c, first)), now::get, 500);
        // a training loop: one step every 10 ms for 3 s
        for (int step = 0; step < 300; step++) {
            now.set(step * 10_000_000L);
            live.update("step " + step);
        }
        live.flush();
        assertTrue(shown.get(0).first());
        assertTrue(shown.stream().skip(1).noneMatch(Shown::first));
        assertTrue(shown.stream().allMatch(s -> s.id().equals(live.id())));
        // one display at t=0, then one per 0.5 s (6 in 3 s), then the final flush
        assertEquals(1 + 5 + 1, shown.size(), shown.toString());
        assertEquals("step 299", shown.get(shown.size() - 1).content());
    }

    @Test
    void contentIsOnlyDrawnWhenSent() {
        AtomicInteger drawn = new AtomicInteger();
        AtomicLong now = new AtomicLong();
        LiveDisplay live = new LiveDisplay((id, c, first) -> {}, now::get, 500);
        for (int step = 0; step < 100; step++) {
            now.set(step * 1_000_000L);
            live.update(() -> "chart " + drawn.incrementAndGet());
        }
        assertEquals(1, drawn.get()); // only the initial display: 100 ms have passed
        live.flush();
        assertEquals(2, drawn.get());
        live.flush();
        assertEquals(2, drawn.get()); // nothing pending
    }

    @Test
    void outsideAKernelNotebookFunctionsPrint() {
        LiveDisplay live = Notebook.liveDisplay();
        live.update("hello");
        assertFalse(live.id().isEmpty());
        assertEquals(1, live.sentCount());
    }
}
