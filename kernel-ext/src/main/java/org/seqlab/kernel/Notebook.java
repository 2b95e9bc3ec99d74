package org.seqlab.kernel;

import java.util.UUID;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * What notebook code calls, imported statically into every cell: {@code display(obj)},
 * {@code updateDisplay(id, obj)}, {@code liveDisplay()}. Outside a kernel (plain JShell, a unit
 * test) they print the object's text instead, so the same code runs everywhere.
 */
public final class Notebook {
    private Notebook() {}

    /** The id the last {@link #display} returned: a cell ending in {@code display(x);} must not also print it. */
    private static volatile String lastReturnedId;

    /** Shows {@code value} below the cell and returns its display id (for {@link #updateDisplay}). */
    public static String display(Object value) {
        String id = "seqlab-" + UUID.randomUUID();
        show(id, value, true);
        lastReturnedId = id;
        return id;
    }

    /**
     * True for the very String object {@link #display} just returned. JShell gives an expression
     * statement such as {@code display(chart);} a value; IPython's display() returns None, and
     * the id under every picture would look like a bug.
     */
    static boolean isReturnedDisplayId(Object value) {
        return value != null && value == lastReturnedId;
    }

    /** Replaces what display {@code id} shows. */
    public static void updateDisplay(String id, Object value) {
        show(id, value, false);
    }

    /** A display that redraws in place, at most every 0.5 s; see {@link LiveDisplay}. */
    public static LiveDisplay liveDisplay() {
        return new LiveDisplay(Notebook::show);
    }

    /** Clears this cell's output; with {@code wait}, only when the next output arrives (no flicker). */
    public static void clearOutput(boolean wait) {
        if (kernel() instanceof SeqlabKernel k) {
            k.io().clearOutput(wait);
        }
    }

    /** The MIME bundle the notebook would show for {@code value}. */
    public static DisplayData render(Object value) {
        BaseKernel k = kernel();
        if (k == null) {
            DisplayData d = new DisplayData();
            d.putText(String.valueOf(value));
            return d;
        }
        return value instanceof DisplayData dd ? dd : k.getRenderer().render(value);
    }

    static void show(String id, Object value, boolean first) {
        BaseKernel k = kernel();
        if (k == null) {
            System.out.println(String.valueOf(value));
            return;
        }
        DisplayData data = new DisplayData(render(value));
        data.setDisplayId(id);
        if (k instanceof SeqlabKernel sk) {
            // to the calling thread's cell, after what it printed (see OutputRouter)
            sk.io().display(data, !first);
            return;
        }
        InterruptShield.publishing(() -> {
            if (first) {
                k.getIO().display.display(data);
            } else {
                k.getIO().display.updateDisplay(data);
            }
        });
    }

    private static BaseKernel kernel() {
        try {
            return BaseKernel.notebookKernel();
        } catch (NullPointerException | NoClassDefFoundError e) {
            return null; // not running inside a kernel
        }
    }
}
