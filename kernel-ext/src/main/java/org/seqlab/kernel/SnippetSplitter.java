package org.seqlab.kernel;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * Cuts a cell into the snippets JShell evaluates one at a time, remembering where each one
 * starts in the cell so that errors, completion and inspection can speak in cell positions.
 */
final class SnippetSplitter {

    /** One piece of a cell: its text as written, its offset in the cell, and how complete it is. */
    record Piece(String text, String source, int start, Completeness completeness) {
        int end() { return start + text.length(); }
        boolean isIncomplete() {
            return completeness == Completeness.DEFINITELY_INCOMPLETE
                    || completeness == Completeness.CONSIDERED_INCOMPLETE;
        }
    }

    private final SourceCodeAnalysis analysis;

    SnippetSplitter(SourceCodeAnalysis analysis) {
        this.analysis = analysis;
    }

    List<Piece> split(String cell) {
        List<Piece> pieces = new ArrayList<>();
        int offset = 0;
        String rest = cell;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            Completeness c = info.completeness();
            if (c == Completeness.EMPTY) {
                break;
            }
            if (info.source() == null || info.remaining() == null
                    || c == Completeness.DEFINITELY_INCOMPLETE || c == Completeness.CONSIDERED_INCOMPLETE) {
                int lead = leadingBlank(rest);
                pieces.add(new Piece(rest.substring(lead), rest.substring(lead), offset + lead, c));
                break;
            }
            int consumed = rest.length() - info.remaining().length();
            String chunk = rest.substring(0, consumed);
            // JShell drops leading blanks and comments from source(); find where the code starts
            String probe = stripSemicolon(info.source()).strip();
            int at = probe.isEmpty() ? -1 : chunk.indexOf(probe);
            int lead = at >= 0 ? at : leadingBlank(chunk);
            pieces.add(new Piece(chunk.substring(lead), info.source(), offset + lead, c));
            offset += consumed;
            rest = info.remaining();
        }
        return pieces;
    }

    private static String stripSemicolon(String s) {
        String t = s.stripTrailing();
        return t.endsWith(";") ? t.substring(0, t.length() - 1) : t;
    }

    private static int leadingBlank(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
