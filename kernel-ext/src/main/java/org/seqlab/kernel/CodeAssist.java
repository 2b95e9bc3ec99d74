package org.seqlab.kernel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.Documentation;
import jdk.jshell.SourceCodeAnalysis.Suggestion;

/**
 * Completion, inspection and is-complete for a whole cell, by finding the snippet under the
 * cursor and asking JShell's source analysis about that snippet alone.
 */
final class CodeAssist {

    record Completion(List<String> matches, int start, int end) {}

    private final SourceCodeAnalysis analysis;
    private final SnippetSplitter splitter;

    CodeAssist(SourceCodeAnalysis analysis, SnippetSplitter splitter) {
        this.analysis = analysis;
        this.splitter = splitter;
    }

    Completion complete(String cell, int cursor) {
        Located at = locate(cell, cursor);
        int[] anchor = new int[1];
        List<Suggestion> suggestions = analysis.completionSuggestions(at.text, at.cursor, anchor);
        // suggestions that fit the expected type first, as JShell's own tool shows them
        Set<String> matches = new LinkedHashSet<>();
        suggestions.stream().filter(Suggestion::matchesType).forEach(s -> matches.add(s.continuation()));
        suggestions.forEach(s -> matches.add(s.continuation()));
        return new Completion(new ArrayList<>(matches), at.start + anchor[0], cursor);
    }

    /** Signatures (and javadoc where the JDK has sources) of what is under the cursor; empty if none. */
    List<String> inspect(String cell, int cursor, boolean detail) {
        Located at = locate(cell, cursor);
        List<Documentation> docs = analysis.documentation(at.text, at.cursor, detail);
        // the cursor may sit inside an identifier: look from its end
        int end = at.cursor;
        while (end < at.text.length() && Character.isJavaIdentifierPart(at.text.charAt(end))) {
            end++;
        }
        if (docs.isEmpty() && end != at.cursor) {
            docs = analysis.documentation(at.text, end, detail);
        }
        if (docs.isEmpty() && end > 0 && Character.isJavaIdentifierPart(at.text.charAt(end - 1))) {
            // JShell documents a method once its call is opened: "Math.max" -> "Math.max("
            docs = analysis.documentation(at.text.substring(0, end) + "(", end + 1, detail);
        }
        List<String> out = new ArrayList<>();
        for (Documentation d : docs) {
            String javadoc = d.javadoc();
            out.add(javadoc == null || javadoc.isBlank() ? d.signature() : d.signature() + "\n\n" + javadoc);
        }
        if (out.isEmpty() && end > 0) {
            // a variable or expression: its type is the most useful thing to show
            String type = analysis.analyzeType(at.text.substring(0, end), end);
            if (type != null && !type.isBlank()) {
                out.add(at.text.substring(0, end).strip() + " : " + type);
            }
        }
        return out;
    }

    /** "complete", "incomplete", "invalid" (Jupyter's is_complete vocabulary). */
    String isComplete(String cell) {
        if (Magics.hasMagic(cell)) {
            cell = cell.lines().map(l -> l.stripLeading().startsWith("%") ? "" : l)
                    .reduce((a, b) -> a + "\n" + b).orElse("");
        }
        for (SnippetSplitter.Piece p : splitter.split(cell)) {
            if (p.isIncomplete()) {
                return "incomplete";
            }
            if (p.completeness() == Completeness.UNKNOWN) {
                return "invalid";
            }
        }
        return "complete";
    }

    private record Located(String text, int start, int cursor) {}

    /** The snippet of the cell that contains the cursor, and the cursor relative to it. */
    private Located locate(String cell, int cursor) {
        int c = Math.max(0, Math.min(cursor, cell.length()));
        String before = cell.substring(0, c);
        // snippets that end before the cursor are irrelevant; the one being typed is what is left
        int start = 0;
        for (SnippetSplitter.Piece p : splitter.split(before)) {
            if (p.end() < c && !p.isIncomplete()) {
                start = p.end();
            } else {
                start = p.start();
                break;
            }
        }
        int end = cell.indexOf('\n', c);
        String text = cell.substring(start, end < 0 ? cell.length() : Math.max(end, c));
        return new Located(text, start, c - start);
    }
}
