package org.seqlab.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Phrases failures for the notebook: the user's exception class, a short stack in which JShell's
 * synthetic frames ({@code REPL.$JShell$12.do_it$(#7:3)}) become cell lines, and compile errors
 * with the offending cell line underlined.
 */
final class Tracebacks {
    static final int MAX_FRAMES = 12;
    private static final String RED = "\u001b[0;31m";
    private static final String BOLD_RED = "\u001b[1;31m";
    private static final String GREEN = "\u001b[0;32m";
    private static final String RESET = "\u001b[0m";

    private Tracebacks() {}

    /**
     * @param where maps a snippet id ("7") and a line in that snippet to "cell [3], line 2";
     *              returns null for snippets it does not know
     */
    static CellError runtime(JShellException e, SnippetLocator where) {
        String ename;
        if (e instanceof EvalException ee) {
            ename = ee.getExceptionClassName();
        } else if (e instanceof UnresolvedReferenceException) {
            ename = "UnresolvedReferenceException";
        } else {
            ename = e.getClass().getName();
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        List<String> lines = new ArrayList<>();
        lines.add(BOLD_RED + ename + RESET + (message.isEmpty() ? "" : ": " + message));
        appendFrames(lines, e.getStackTrace(), where);
        Throwable cause = e.getCause();
        int depth = 0;
        while (cause != null && depth++ < 5) {
            String cname = cause instanceof EvalException ce ? ce.getExceptionClassName() : cause.getClass().getName();
            lines.add("Caused by: " + RED + cname + RESET
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            appendFrames(lines, cause.getStackTrace(), where);
            cause = cause.getCause();
        }
        return new CellError(ename, message, lines);
    }

    /**
     * The user's part of a stack: the cell lines it passed through, innermost first, each with the
     * library call it made ("calling Vocab.chars"). Frames inside libraries, JShell's synthetic
     * wrappers and the kernel are left out; a stack with no cell line at all (a library thread)
     * is shown as it is, up to {@link #MAX_FRAMES}.
     */
    private static void appendFrames(List<String> lines, StackTraceElement[] all, SnippetLocator where) {
        List<StackTraceElement> frames = new ArrayList<>();
        for (StackTraceElement f : all) {
            String cls = f.getClassName();
            if (cls.startsWith("jdk.internal.reflect.") || cls.startsWith("java.lang.reflect.")) {
                continue;
            }
            if (cls.startsWith("org.seqlab.kernel.") && !cls.equals(ExitGuard.class.getName())) {
                break; // below the snippet: our own machinery
            }
            frames.add(f);
        }
        if (frames.stream().noneMatch(Tracebacks::isSnippet)) {
            int shown = Math.min(MAX_FRAMES, frames.size());
            frames.subList(0, shown).forEach(f -> lines.add("    at " + f));
            if (frames.size() > shown) {
                lines.add("    ... " + (frames.size() - shown) + " more");
            }
            return;
        }
        String previous = null;
        StackTraceElement called = null;
        int shown = 0;
        for (StackTraceElement f : frames) {
            if (!isSnippet(f)) {
                called = f; // the outermost library frame above a cell line is the call the user wrote
                continue;
            }
            String line = "    at " + describe(f, where)
                    + (called == null || called.getClassName().equals(ExitGuard.class.getName()) ? "" : " (calling " + callName(called) + ")");
            called = null;
            if (!line.equals(previous) && shown < MAX_FRAMES) {
                lines.add(line);
                shown++;
            }
            previous = line;
            if ("do_it$".equals(f.getMethodName())) {
                break; // the cell's own statement: nothing below it is the user's
            }
        }
    }

    private static boolean isSnippet(StackTraceElement f) {
        return f.getFileName() != null && f.getFileName().startsWith("#");
    }

    /** "cell [3], line 2" for the cell's statements, "boom (cell [1], line 4)" inside a method a cell defined. */
    private static String describe(StackTraceElement f, SnippetLocator where) {
        String location = where.locate(f.getFileName().substring(1), f.getLineNumber());
        if (location == null) {
            location = "snippet " + f.getFileName() + ", line " + f.getLineNumber();
        }
        String method = userMethod(f.getMethodName());
        return method == null ? GREEN + location + RESET : method + " (" + GREEN + location + RESET + ")";
    }

    /** The method name a user wrote, or null for JShell's wrappers (do_it$, do_it$Aux and their lambdas). */
    static String userMethod(String name) {
        String n = name;
        boolean lambda = n.startsWith("lambda$");
        if (lambda) {
            n = n.substring("lambda$".length());
            int cut = n.lastIndexOf('$');
            n = cut > 0 ? n.substring(0, cut) : n;
        }
        if (n.startsWith("do_it$") || n.isEmpty()) {
            return lambda ? "a lambda" : null;
        }
        if (n.equals("<init>")) {
            n = "a constructor";
        } else if (n.equals("<clinit>")) {
            n = "a static initializer";
        }
        return lambda ? n + " (lambda)" : n;
    }

    /** "Vocab.chars", "new Vocab", "Integer.parseInt" */
    private static String callName(StackTraceElement f) {
        String cls = f.getClassName();
        String simple = cls.substring(cls.lastIndexOf('.') + 1).replace('$', '.');
        return "<init>".equals(f.getMethodName()) ? "new " + simple : simple + "." + f.getMethodName();
    }

    /** A compile error of the piece starting at {@code pieceStart} in the cell. */
    static CellError compile(List<Diag> diags, String cell, int pieceStart, int cellNumber, String fallback) {
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag d : diags) {
            if (!d.isError()) {
                continue;
            }
            String msg = d.getMessage(Locale.ROOT);
            if (first == null) {
                first = msg.lines().findFirst().orElse(msg);
            }
            long pos = d.getPosition() < 0 ? d.getStartPosition() : d.getPosition();
            int at = (int) Math.max(0, Math.min(cell.length(), pieceStart + Math.max(0, pos)));
            int lineStart = cell.lastIndexOf('\n', at - 1) + 1;
            int lineEnd = cell.indexOf('\n', at);
            if (lineEnd < 0) {
                lineEnd = cell.length();
            }
            int lineNo = 1 + (int) cell.substring(0, lineStart).chars().filter(c -> c == '\n').count();
            long spanEnd = d.getEndPosition() < 0 ? pos + 1 : d.getEndPosition();
            int width = (int) Math.max(1, Math.min(lineEnd - at, spanEnd - Math.max(0, pos)));
            lines.add(BOLD_RED + "Compile error" + RESET + " (" + GREEN + cellName(cellNumber) + ", line " + lineNo + RESET + "): "
                    + msg.lines().findFirst().orElse(msg));
            lines.add("    " + cell.substring(lineStart, lineEnd));
            lines.add("    " + " ".repeat(at - lineStart) + RED + "^".repeat(width) + RESET);
            msg.lines().skip(1).forEach(l -> lines.add("    " + l.strip()));
        }
        if (first == null) {
            first = fallback != null ? fallback : "the snippet was rejected";
            int lineNo = 1 + (int) cell.substring(0, Math.min(pieceStart, cell.length())).chars().filter(c -> c == '\n').count();
            lines.add(BOLD_RED + "Compile error" + RESET + " (" + GREEN + cellName(cellNumber) + ", line " + lineNo + RESET + "): " + first);
        }
        return new CellError("CompileError", first, lines);
    }

    static String cellName(int cellNumber) {
        return cellNumber > 0 ? "cell [" + cellNumber + "]" : "cell";
    }

    /** Finds the cell and line of a line in a snippet. */
    interface SnippetLocator {
        String locate(String snippetId, int lineInSnippet);

        static SnippetLocator of(Function<String, int[]> cellAndFirstLine) {
            return (id, line) -> {
                int[] loc = cellAndFirstLine.apply(id);
                return loc == null ? null : cellName(loc[0]) + ", line " + (loc[1] + line - 1);
            };
        }
    }
}
