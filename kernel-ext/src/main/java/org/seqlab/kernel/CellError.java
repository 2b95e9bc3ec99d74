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

    CellError(String ename, String evalue, List<String> traceback) {
        super(ename + ": " + evalue, null, false, false);
        this.ename = ename;
        this.evalue = evalue == null ? "" : evalue;
        this.traceback = List.copyOf(traceback);
    }

    String ename() { return ename; }
    String evalue() { return evalue; }
    List<String> traceback() { return traceback; }
}
