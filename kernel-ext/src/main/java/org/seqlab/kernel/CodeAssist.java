package org.seqlab.kernel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** One completion: the text to insert and what it is (method, field, class, keyword, package, variable). */
    record Item(String text, String kind) {}

    record Completion(List<Item> items, int start, int end) {
        List<String> matches() {
            return items.stream().map(Item::text).toList();
        }
    }

    /** Object's methods: every type has them, so they go after the type's own members. */
    static final Set<String> OBJECT_MEMBERS = Set.of("equals(", "getClass()", "hashCode()", "notify()", "notifyAll()",
            "toString()", "wait(", "wait()");
    static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch", "char",
            "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
            "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package",
            "private", "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized",
            "this", "throw", "throws", "transient", "try", "void", "volatile", "while", "var", "record", "yield", "sealed",
            "permits", "true", "false", "null");
    /** First names of packages: a lowercase completion with no qualifier that is one of these is a package. */
    private static final Set<String> PACKAGE_ROOTS = Set.of("java", "javax", "jdk", "org", "com", "net", "sun", "tech", "ai", "io");

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
        String qualifier = qualifierBefore(at.text, anchor[0]);
        // one item per text; those that fit the expected type first, as JShell's own tool shows them,
        // then the type's own members, then Object's
        Map<String, Boolean> fits = new LinkedHashMap<>();
        for (Suggestion s : suggestions) {
            fits.merge(s.continuation(), s.matchesType(), Boolean::logicalOr);
        }
        List<String> texts = new ArrayList<>(fits.keySet());
        texts.sort(Comparator.comparingInt((String t) -> fits.get(t) ? 0 : 1)
                .thenComparingInt(t -> qualifier != null && OBJECT_MEMBERS.contains(t) ? 1 : 0));
        List<Item> items = texts.stream().map(t -> new Item(t, kind(t, qualifier))).toList();
        return new Completion(items, at.start + anchor[0], cursor);
    }

    /** "a.b" for "a.b.c" with the anchor at c; null when the completion is not after a dot. */
    static String qualifierBefore(String text, int anchor) {
        int dot = anchor - 1;
        while (dot >= 0 && Character.isWhitespace(text.charAt(dot))) {
            dot--;
        }
        if (dot < 0 || text.charAt(dot) != '.') {
            return null;
        }
        int start = dot;
        while (start > 0 && (Character.isJavaIdentifierPart(text.charAt(start - 1)) || text.charAt(start - 1) == '.'
                || text.charAt(start - 1) == ')' || text.charAt(start - 1) == '(')) {
            start--;
        }
        return text.substring(start, dot);
    }

    /** What a completion is, from its text and what it follows (JShell's suggestions carry no kind). */
    static String kind(String text, String qualifier) {
        if (text.endsWith("(") || text.endsWith("()")) {
            return "method";
        }
        if (KEYWORDS.contains(text)) {
            return "keyword";
        }
        if (text.isEmpty()) {
            return "variable";
        }
        // after "java." or "org.seqlab." a lowercase name is a package; after "vocab." a member
        boolean packageContext = qualifier != null && qualifier.matches("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*")
                && PACKAGE_ROOTS.contains(qualifier.split("\\.")[0]);
        if (Character.isUpperCase(text.charAt(0))) {
            boolean constant = text.length() > 1 && text.equals(text.toUpperCase()) && text.chars().anyMatch(Character::isLetter);
            return constant && !packageContext ? "field" : "class";
        }
        if (packageContext || (qualifier == null && PACKAGE_ROOTS.contains(text))) {
            return "package";
        }
        return qualifier == null ? "variable" : "field";
    }

    /** Signatures and javadoc of what is under the cursor (seqlab's from the shipped sources); empty if none. */
    List<String> inspect(String cell, int cursor, boolean detail) {
        Located at = locate(cell, cursor);
        // the cursor may sit inside an identifier: look from its end
        int end = at.cursor;
        while (end < at.text.length() && Character.isJavaIdentifierPart(at.text.charAt(end))) {
            end++;
        }
        List<Documentation> docs = analysis.documentation(at.text, end, detail);
        if (docs.isEmpty() && end != at.cursor) {
            docs = analysis.documentation(at.text, at.cursor, detail);
        }
        if (docs.isEmpty() && end > 0 && Character.isJavaIdentifierPart(at.text.charAt(end - 1))) {
            // JShell documents a method once its call is opened: "Math.max" -> "Math.max("
            docs = analysis.documentation(at.text.substring(0, end) + "(", end + 1, detail);
        }
        List<String> out = new ArrayList<>();
        boolean classShown = false;
        for (Documentation d : docs) {
            String javadoc = d.javadoc();
            if (javadoc == null || javadoc.isBlank()) {
                Optional<String> ours = ourDocs(d.signature(), detail);
                if (ours.isPresent()) {
                    if (isClassSignature(d.signature())) {
                        if (classShown) {
                            continue;
                        }
                        classShown = true;
                    }
                    out.add(ours.get());
                    continue;
                }
            }
            out.add(javadoc == null || javadoc.isBlank() ? d.signature() : d.signature() + "\n\n" + javadoc);
        }
        if (out.isEmpty() && end > 0) {
            // a variable or expression: its type is the most useful thing to show
            String type = analysis.analyzeType(at.text.substring(0, end), end);
            if (type != null && !type.isBlank()) {
                out.add(at.text.substring(0, end).strip() + " : " + type);
                qualifiedName(type).flatMap(SourceDocs::forClass)
                        .ifPresent(c -> out.add(classText(type, c, false)));
            }
        }
        return out;
    }

    private static boolean isClassSignature(String signature) {
        return !signature.contains("(") && !signature.contains(" ");
    }

    /** Our javadoc for a JShell signature: "org.seqlab.data.Vocab" or "Vocab Vocab.chars(String text)". */
    private Optional<String> ourDocs(String signature, boolean detail) {
        if (isClassSignature(signature)) {
            return SourceDocs.forClass(signature).map(c -> classText(signature, c, detail));
        }
        int paren = signature.indexOf('(');
        if (paren < 0) {
            return Optional.empty();
        }
        String head = signature.substring(0, paren).strip();
        String member = head.substring(head.lastIndexOf(' ') + 1);
        int dot = member.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String owner = member.substring(0, dot);
        String name = member.substring(dot + 1);
        List<String> params = parameterTypes(signature.substring(paren + 1, signature.lastIndexOf(')')));
        return qualifiedName(owner).flatMap(q -> SourceDocs.members(q, name).stream()
                .filter(m -> sameParameters(m.parameterTypes(), params)).findFirst()
                .map(m -> signature + (m.text().isEmpty() ? "" : "\n\n" + (detail ? m.text() : m.summary()))));
    }

    /** Class signature, its summary (whole comment with detail), then its members' signatures with their first sentences. */
    private static String classText(String name, SourceDocs.ClassDoc c, boolean detail) {
        StringBuilder s = new StringBuilder(name);
        String comment = detail ? c.text() : c.summary();
        if (!comment.isEmpty()) {
            s.append("\n\n").append(comment);
        }
        if (!c.members().isEmpty()) {
            s.append("\n");
            for (SourceDocs.Member m : c.members()) {
                s.append("\n").append(m.signature());
                if (!m.summary().isEmpty()) {
                    s.append("\n    ").append(m.summary());
                }
            }
        }
        return s.toString();
    }

    /** A type name as written in a cell ("Vocab", "org.seqlab.data.Vocab") to its qualified name, through JShell. */
    private Optional<String> qualifiedName(String type) {
        String bare = type.replaceAll("<.*", "").strip();
        if (bare.startsWith("org.seqlab.")) {
            return Optional.of(bare);
        }
        return analysis.documentation(bare, bare.length(), false).stream().map(Documentation::signature)
                .filter(CodeAssist::isClassSignature).findFirst();
    }

    /** "String text, int minCount" -> [String, int]; generic arguments kept out of the split. */
    static List<String> parameterTypes(String params) {
        List<String> types = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char ch : (params + ",").toCharArray()) {
            if (ch == '<') depth++;
            if (ch == '>') depth--;
            if (ch == ',' && depth == 0) {
                String p = current.toString().strip();
                if (!p.isEmpty()) {
                    int space = p.lastIndexOf(' ');
                    types.add(space < 0 ? p : p.substring(0, space).strip());
                }
                current.setLength(0);
            } else {
                current.append(ch);
            }
        }
        return types;
    }

    /** Same arity and same simple type names ("java.util.List<String>" matches "List<String>"). */
    static boolean sameParameters(List<String> declared, List<String> shown) {
        if (declared.size() != shown.size()) {
            return false;
        }
        for (int i = 0; i < declared.size(); i++) {
            if (!simple(declared.get(i)).equals(simple(shown.get(i)))) {
                return false;
            }
        }
        return true;
    }

    private static String simple(String type) {
        String bare = type.replaceAll("<.*>", "").replace("...", "[]").replaceAll("\\s", "");
        return bare.substring(bare.lastIndexOf('.') + 1);
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

    /**
     * The indent for the line after {@code cell} when it is incomplete: the last line's own
     * indent, four spaces more when that line opens a block or a bracket it does not close.
     */
    static String nextIndent(String cell) {
        String last = cell.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("");
        String indent = last.substring(0, last.length() - last.stripLeading().length());
        int opened = 0;
        boolean inString = false;
        boolean inChar = false;
        for (int i = 0; i < last.length(); i++) {
            char c = last.charAt(i);
            if ((inString || inChar) && c == '\\') {
                i++;
                continue;
            }
            if (!inChar && c == '"') {
                inString = !inString;
            } else if (!inString && c == '\'') {
                inChar = !inChar;
            } else if (!inString && !inChar) {
                if (c == '/' && i + 1 < last.length() && last.charAt(i + 1) == '/') {
                    break;
                }
                if (c == '{' || c == '(' || c == '[') {
                    opened++;
                } else if (c == '}' || c == ')' || c == ']') {
                    opened--;
                }
            }
        }
        return opened > 0 ? indent + "    " : indent;
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
