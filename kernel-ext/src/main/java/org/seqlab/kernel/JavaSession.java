package org.seqlab.kernel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * One JShell, in this JVM, that runs notebook cells: splits a cell into snippets, evaluates them
 * in order, stops at the first failure, and hands back the real value of a trailing expression.
 */
final class JavaSession implements AutoCloseable {

    /** Imports every cell sees; those whose package is absent (engine not built yet) are skipped. */
    static final List<String> DEFAULT_IMPORTS = List.of(
            "java.util.*", "java.util.function.*", "java.util.stream.*", "java.io.*",
            "java.nio.file.*", "java.math.*", "java.time.*",
            "org.seqlab.*", "org.seqlab.data.*", "org.seqlab.model.*", "org.seqlab.layers.*",
            "org.seqlab.graph.*", "org.seqlab.train.*", "org.seqlab.inspect.*", "org.seqlab.viz.*",
            "org.nd4j.linalg.api.ndarray.INDArray", "org.nd4j.linalg.factory.Nd4j",
            "static org.seqlab.kernel.Notebook.*");

    /** The value of a cell: present only when the cell ends in an expression. */
    record Result(boolean hasValue, Object value) {
        static final Result NONE = new Result(false, null);
    }

    private final InProcessExecution execution;
    private final JShell shell;
    private final SnippetSplitter splitter;
    /** snippet id -> {cell number, first line of the snippet in that cell}. */
    private final Map<String, int[]> snippetHomes = new ConcurrentHashMap<>();
    private volatile boolean interruptRequested;

    JavaSession() {
        this(new InProcessExecution());
    }

    JavaSession(InProcessExecution execution) {
        this.execution = execution;
        shell = JShell.builder()
                .executionEngine(execution.provider(), Map.of())
                .compilerOptions("-Xlint:-removal,-deprecation")
                .build();
        String cp = System.getProperty("java.class.path", "");
        if (!cp.isBlank()) {
            shell.addToClasspath(cp);
        }
        splitter = new SnippetSplitter(shell.sourceCodeAnalysis());
    }

    /** Evaluates the default imports; returns the ones that were rejected. */
    List<String> importDefaults() {
        return DEFAULT_IMPORTS.stream().filter(i -> !importOne(i)).toList();
    }

    private boolean importOne(String what) {
        List<SnippetEvent> events = shell.eval("import " + what + ";");
        return events.stream().allMatch(e -> e.status().isDefined());
    }

    /**
     * Runs one trivial snippet (then forgets it): the cell thread and JShell's class loader exist
     * from then on, so the first real cell starts faster and magics can load extensions through
     * that loader.
     */
    void warmUp() {
        for (SnippetEvent e : shell.eval("0")) {
            if (e.causeSnippet() == null) {
                shell.drop(e.snippet());
            }
        }
        execution.takeLastValue();
    }

    SourceCodeAnalysis analysis() {
        return shell.sourceCodeAnalysis();
    }

    SnippetSplitter splitter() {
        return splitter;
    }

    void addToClasspath(String path) {
        shell.addToClasspath(path);
    }

    /** Runs a cell; {@code cellNumber} is used to name lines in tracebacks. */
    Result run(String cell, int cellNumber) throws CellError {
        interruptRequested = false;
        execution.clearPendingInterrupt();
        Result last = Result.NONE;
        for (SnippetSplitter.Piece piece : splitter.split(cell)) {
            if (piece.isIncomplete()) {
                throw Tracebacks.compile(List.of(), cell, piece.start(), cellNumber, "the statement is not complete");
            }
            last = runPiece(cell, piece, cellNumber);
            if (interruptRequested) {
                throw interrupted(cellNumber);
            }
        }
        return last;
    }

    private Result runPiece(String cell, SnippetSplitter.Piece piece, int cellNumber) throws CellError {
        int firstLine = 1 + (int) cell.substring(0, piece.start()).chars().filter(c -> c == '\n').count();
        List<SnippetEvent> events = shell.eval(piece.source());
        Result result = Result.NONE;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue; // a consequence for an older snippet, not this piece's outcome
            }
            Snippet snippet = event.snippet();
            snippetHomes.put(snippet.id(), new int[] {cellNumber, firstLine});
            if (event.status() == Snippet.Status.REJECTED) {
                throw Tracebacks.compile(shell.diagnostics(snippet).toList(), cell, piece.start(), cellNumber, null);
            }
            if (event.exception() != null) {
                if (interruptRequested) {
                    throw interrupted(cellNumber);
                }
                throw Tracebacks.runtime(event.exception(), Tracebacks.SnippetLocator.of(snippetHomes::get));
            }
            if (interruptRequested) {
                throw interrupted(cellNumber);
            }
            Object value = execution.takeLastValue();
            if (showsValue(snippet)) {
                result = new Result(true, value);
            }
        }
        return result;
    }

    /** Expressions show their value; declarations, assignments and statements do not. */
    private static boolean showsValue(Snippet s) {
        return s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                || s.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND;
    }

    static CellError interrupted(int cellNumber) {
        return CellError.interrupted("InterruptedException", "interrupted by the user",
                List.of("\u001b[1;31mInterruptedException\u001b[0m: " + Tracebacks.cellName(cellNumber)
                        + " was interrupted; the kernel and its variables are intact"));
    }

    /**
     * Called from the control thread: stops the running cell. Code that checks the interrupt
     * flag (the trainer does, every step) stops cleanly; a busy loop is stopped after {@code graceMillis}.
     */
    void interrupt(long graceMillis) {
        interruptRequested = true;
        execution.interrupt(graceMillis);
    }

    boolean isRunning() {
        return execution.isRunning();
    }

    /** See {@link InProcessExecution#promiseInterruptCheckWithin}. */
    void promiseInterruptCheckWithin(long millis) {
        execution.promiseInterruptCheckWithin(millis);
    }

    /** The thread that runs cells; null before the first one. */
    Thread cellThread() {
        return execution.cellThread();
    }

    /** The class loader of cell code (sees jars added with %jars / %maven); null before the first cell. */
    ClassLoader snippetLoader() {
        return execution.snippetLoader();
    }

    CellThreads threads() {
        return execution.threads();
    }

    /** True when the calling code runs inside a cell, on the cell's own thread. */
    boolean isCellThread(Thread t) {
        return execution.isCellThread(t);
    }


    @Override
    public void close() {
        shell.close();
    }
}
