package org.seqlab.kernel;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager.ResultFlag;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.InterruptRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.dflib.jjava.jupyter.messages.request.ShutdownRequest;
import org.seqlab.kernel.render.Renderers;
import org.seqlab.train.TrainingListener;
import org.seqlab.train.TrainingListeners;

/**
 * The seqlab Jupyter kernel: jjava-jupyter speaks the wire protocol, a {@link JavaSession} runs
 * the cells in this JVM. We take over the handlers whose jjava versions fall short of protocol
 * 5.3 (execute errors, history, kernel_info, interrupt, shutdown), see {@link Replies}.
 */
public final class SeqlabKernel extends BaseKernel {
    static final String PROTOCOL_VERSION = "5.3";
    /** Grace between setting the interrupt flag and stopping the thread. */
    static final long STOP_GRACE_MILLIS = 1000;
    /** The server log; captured before cells redirect System.err to the notebook. */
    private static final java.io.PrintStream LOG = System.err;

    private final CompletableFuture<JavaSession> sessionReady;
    private final CellHistory cells;
    private final KernelIO kio;
    private final Path workingDir = Path.of("").toAbsolutePath();
    /** Gives every fit that runs in a cell its live display; see {@link LiveTraining}. */
    private final Supplier<TrainingListener> liveTraining = LiveTraining.factory(this::onCellThread);
    /** Lets an interrupt wait for the end of the current training step; see {@link CooperativeFit}. */
    private final Supplier<TrainingListener> cooperativeFit =
            () -> onCellThread() ? new CooperativeFit(millis -> session().promiseInterruptCheckWithin(millis)) : null;

    public SeqlabKernel() {
        this(new CellHistory(), new KernelIO());
    }

    private SeqlabKernel(CellHistory history, KernelIO io) {
        super("seqlab", Version.get(),
                new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".jshell", "java", "java", "script"),
                List.of(new HelpLink("seqlab", "https://github.com/seqlab/seqlab"),
                        new HelpLink("Java " + Runtime.version().feature() + " API",
                                "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/docs/api/")),
                history, io, new CommManager(), new Renderer(), null, new MagicsRegistry(), true,
                new StringStyler("\u001b[1;31m", "\u001b[0;31m", "\u001b[1;33m", i -> ""));
        this.cells = history;
        this.kio = io;
        Renderers.registerAll(renderer);
        TrainingListeners.register(cooperativeFit);
        TrainingListeners.register(liveTraining);
        // JShell's compiler takes ~1 s to warm up: do it while Jupyter connects
        this.sessionReady = CompletableFuture.supplyAsync(SeqlabKernel::startSession);
    }

    private static JavaSession startSession() {
        JavaSession s = new JavaSession();
        List<String> skipped = s.importDefaults();
        if (!skipped.isEmpty()) {
            LOG.println("seqlab: not imported (not on the class path): " + skipped);
        }
        return s;
    }

    /** True on the thread running a cell's code: a fit there gets a live display, a fit elsewhere none. */
    boolean onCellThread() {
        JavaSession s = sessionReady.getNow(null);
        return s != null && s.isCellThread(Thread.currentThread());
    }

    KernelIO io() {
        return kio;
    }

    JavaSession session() {
        return sessionReady.join();
    }

    // ---- evaluation -------------------------------------------------------------------------

    /** Runs magics, then the Java; used by execute requests and by {@code eval} from notebook code. */
    JavaSession.Result runCell(String code, int cellNumber) throws CellError {
        JavaSession s = session();
        String java = Magics.hasMagic(code) ? new Magics(s::addToClasspath).apply(code, workingDir) : code;
        return s.run(java, cellNumber);
    }

    @Override
    public Object evalRaw(String code) {
        try {
            JavaSession.Result r = runCell(code, 0);
            return r.hasValue() ? r.value() : null;
        } catch (CellError e) {
            throw new IllegalStateException(e.ename() + ": " + e.evalue(), e);
        }
    }

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        String code = request.getCode();
        boolean silent = request.isSilent();
        boolean store = request.shouldStoreHistory() && !silent;
        int count = store ? executionCount.getAndIncrement() : Math.max(1, executionCount.get() - 1);

        env.setBusyDeferIdle();
        if (!silent) {
            env.publish(new PublishExecuteInput(code, count));
        }
        replaceOutputStreams(env);
        kio.attach(env, request.isStdinEnabled());
        env.defer(() -> kio.detach(env));

        Map<String, Object> reply;
        try {
            JavaSession.Result result = runCell(code, count);
            flushStreams();
            String shown = null;
            if (result.hasValue() && result.value() != null && !silent && !Notebook.isReturnedDisplayId(result.value())) {
                DisplayData data = renderSafely(result.value());
                env.publish(new PublishExecuteResult(count, data));
                Object text = data.getData(MIMEType.TEXT_PLAIN);
                shown = text == null ? "" : text.toString();
            }
            if (store) {
                cells.record(count, code, shown);
            }
            reply = Replies.ok();
        } catch (CellError e) {
            flushStreams();
            if (store) {
                cells.record(count, code, null);
            }
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("ename", e.ename());
            error.put("evalue", e.evalue());
            error.put("traceback", e.traceback());
            Replies.publish(env, MessageType.PUBLISH_ERROR, error);
            reply = new LinkedHashMap<>();
            reply.put("status", "error");
            reply.putAll(error);
        }
        reply.put("execution_count", count);
        reply.put("user_expressions", Map.of());
        reply.put("payload", List.of());
        env.defer();
        Replies.reply(env, MessageType.EXECUTE_REPLY, reply);
    }

    /** jjava's version, with the cell's System.out/err shielded from interrupts (see {@link InterruptShield}). */
    @Override
    protected void replaceOutputStreams(ShellReplyEnvironment env) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        System.setOut(kio.cellOut);
        System.setErr(kio.cellErr);
        System.setIn(kio.in);
        env.defer(() -> {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        });
    }

    private void flushStreams() {
        kio.out.flush();
        kio.err.flush();
    }

    /** A renderer that throws must not lose the value: fall back to its text. */
    private DisplayData renderSafely(Object value) {
        try {
            return value instanceof DisplayData d ? d : renderer.render(value);
        } catch (RuntimeException e) {
            DisplayData d = new DisplayData();
            d.putText(String.valueOf(value) + "\n(rendering failed: " + e + ")");
            return d;
        }
    }

    // ---- interrupt, shutdown ------------------------------------------------------------------

    @Override
    public void interrupt() {
        JavaSession s = sessionReady.getNow(null);
        if (s != null) {
            s.interrupt(STOP_GRACE_MILLIS);
        }
    }

    @Override
    protected void handleInterruptRequest(ShellReplyEnvironment env, Message<InterruptRequest> message) {
        env.setBusyDeferIdle();
        interrupt();
        env.defer();
        Replies.reply(env, MessageType.INTERRUPT_REPLY, Replies.ok());
    }

    @Override
    protected void handleShutdownRequest(ShellReplyEnvironment env, Message<ShutdownRequest> message) {
        boolean restart = message.getContent().isRestart();
        env.setBusyDeferIdle();
        JavaSession s = sessionReady.getNow(null);
        if (s != null) {
            s.interrupt(100);
        }
        Map<String, Object> reply = Replies.ok();
        reply.put("restart", restart);
        env.defer();
        Replies.reply(env, MessageType.SHUTDOWN_REPLY, reply);
        onShutdown(restart);
        env.resolveDeferrals();
        env.markForShutdown();
    }

    // ---- introspection --------------------------------------------------------------------------

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        Map<String, Object> reply = Replies.ok();
        reply.put("protocol_version", PROTOCOL_VERSION);
        reply.put("implementation", name);
        reply.put("implementation_version", version);
        Map<String, Object> lang = new LinkedHashMap<>();
        lang.put("name", languageInfo.getName());
        lang.put("version", languageInfo.getVersion());
        lang.put("mimetype", languageInfo.getMimetype());
        lang.put("file_extension", languageInfo.getFileExtension());
        lang.put("pygments_lexer", languageInfo.getPygmentsLexer());
        lang.put("codemirror_mode", languageInfo.getCodemirrorMode());
        lang.put("nbconvert_exporter", languageInfo.getNbconvertExporter());
        reply.put("language_info", lang);
        reply.put("banner", "seqlab " + version + " :: Java " + Runtime.version() + " (JShell, in-process)");
        List<Map<String, String>> links = new ArrayList<>();
        for (HelpLink l : helpLinks) {
            links.add(Map.of("text", l.getText(), "url", l.getUrl()));
        }
        reply.put("help_links", links);
        reply.put("debugger", false);
        Replies.reply(env, MessageType.KERNEL_INFO_REPLY, reply);
    }

    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        env.setBusyDeferIdle();
        HistoryRequest request = message.getContent();
        Set<ResultFlag> flags = EnumSet.noneOf(ResultFlag.class);
        if (request.includeOutput()) {
            flags.add(ResultFlag.INCLUDE_OUTPUT);
        }
        List<HistoryEntry> entries = switch (request.getAccessType()) {
            case TAIL -> cells.lookupTail(((HistoryRequest.Tail) request).getMaxReturnLength(), flags);
            case RANGE -> {
                HistoryRequest.Range r = (HistoryRequest.Range) request;
                yield cells.lookupRange(r.getSessionIndex(), r.getStart(), r.getStop(), flags);
            }
            case SEARCH -> {
                HistoryRequest.Search s = (HistoryRequest.Search) request;
                if (s.filterUnique()) {
                    flags.add(ResultFlag.UNIQUE);
                }
                yield cells.search(s.getPattern(), s.getMaxReturnLength(), flags);
            }
        };
        List<List<Object>> rows = new ArrayList<>();
        for (HistoryEntry e : entries) {
            Object content = e.hasOutput() ? List.of(e.getInput(), e.getOutput()) : e.getInput();
            rows.add(List.of(e.getSession(), e.getCellNumber(), content));
        }
        Map<String, Object> reply = Replies.ok();
        reply.put("history", rows);
        Replies.reply(env, MessageType.HISTORY_REPLY, reply);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<String> docs = new CodeAssist(session().analysis(), session().splitter()).inspect(code, at, extraDetail);
        if (docs.isEmpty()) {
            return null;
        }
        DisplayData d = new DisplayData();
        d.putText(String.join("\n\n", docs));
        return d;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        CodeAssist.Completion c = new CodeAssist(session().analysis(), session().splitter()).complete(code, at);
        return new ReplacementOptions(c.matches(), c.start(), c.end());
    }

    @Override
    public String isComplete(String code) {
        String status = new CodeAssist(session().analysis(), session().splitter()).isComplete(code);
        return switch (status) {
            case "complete" -> IS_COMPLETE_YES;
            case "invalid" -> IS_COMPLETE_BAD;
            default -> ""; // incomplete, no extra indent
        };
    }

    @Override
    public void onShutdown(boolean restart) {
        super.onShutdown(restart);
        TrainingListeners.unregister(liveTraining);
        TrainingListeners.unregister(cooperativeFit);
        JavaSession s = sessionReady.getNow(null);
        if (s != null) {
            s.close();
        }
    }
}
