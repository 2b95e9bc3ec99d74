package org.seqlab.kernel;

import java.util.List;

/**
 * A cell that failed, already phrased for the notebook: {@code ename} names the user's exception
 * class (or the kind of compile failure), {@code evalue} its message, and {@code traceback} the
 * lines to print (a short stack with cell lines instead of JShell's synthetic names).
 */
final class CellError extends Exception {
    private final String ename;
    private final String evalue;
    private final List<String> traceback;
    private final boolean interrupt;

    CellError(String ename, String evalue, List<String> traceback) {
        this(ename, evalue, traceback, false);
    }

    private CellError(String ename, String evalue, List<String> traceback, boolean interrupt) {
        super(ename + ": " + evalue, null, false, false);
        this.ename = ename;
        this.evalue = evalue == null ? "" : evalue;
        this.traceback = List.copyOf(traceback);
        this.interrupt = interrupt;
    }

    /** The user interrupted the cell (not an exception of the user's code). */
    static CellError interrupted(String ename, String evalue, List<String> traceback) {
        return new CellError(ename, evalue, traceback, true);
    }

    boolean isInterrupt() { return interrupt; }

    String ename() { return ename; }
    String evalue() { return evalue; }
    List<String> traceback() { return traceback; }
}
