package org.seqlab.music;

/** ABC text that cannot be read: says where (line and column of the tune's text) and what to write instead. */
public final class AbcException extends IllegalArgumentException {
    private final int line;
    private final int column;

    AbcException(int line, int column, String message) {
        super("line " + line + ", column " + column + ": " + message);
        this.line = line;
        this.column = column;
    }

    /** 1-based line of the tune's text. */
    public int line() {
        return line;
    }

    /** 1-based column. */
    public int column() {
        return column;
    }
}
