package org.seqlab.kernel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.Comm;
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
import org.dflib.jjava.jupyter.messages.request.CommInfoRequest;
import org.dflib.jjava.jupyter.messages.request.CompleteRequest;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.InterruptRequest;
import org.dflib.jjava.jupyter.messages.request.IsCompleteRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.dflib.jjava.jupyter.messages.request.ShutdownRequest;
import org.seqlab.kernel.render.Renderers;
import org.seqlab.kernel.wire.RequestChannel;
import org.seqlab.train.ProgressLine;
import org.seqlab.train.StopReason;
import org.seqlab.train.TrainingHistory;
import org.seqlab.train.TrainingListener;
import org.seqlab.train.TrainingListeners;

/**
 * The seqlab Jupyter kernel: jjava-jupyter speaks the wire protocol, a {@link JavaSession} runs
 * the cells in this JVM. We take over the handlers whose jjava versions fall short of protocol
 * 5.3 (execute errors, history, kernel_info, interrupt, shutdown, completion kinds, comm_info,
 * is_complete indents), see {@link Replies}; the shell and control sockets are read by our own
 * loop ({@link org.seqlab.kernel.wire.GuardedConnection}).
 */
public final class SeqlabKernel extends BaseKernel {
    static final String PROTOCOL_VERSION = "5.3";
    /** Grace between setting the interrupt flag and stopping the thread. */
    static final long STOP_GRACE_MILLIS = 1000;
    /** {@code exit}, {@code quit} (as IPython), {@code /exit} (as JShell): end the frontend's session. */
    private static final Pattern EXIT = Pattern.compile("\\s*(?:(?:exit|quit)(?:\\(\\))?;?|/exit)\\s*");

    private final CompletableFuture<JavaSession> sessionReady;
    private final CellHistory cells;
    private final KernelIO kio;
    private final Path workingDir = Path.of("").toAbsolutePath();
    private final CellThreads cellThreads = new CellThreads();
    private final MavenDependencies maven = new MavenDependencies();
    /** The fit a cell's interrupt stopped cleanly: the cell then ends with its progress line, not a traceback. */
    private final AtomicReference<TrainingHistory> interruptedFit = new AtomicReference<>();
    /** True while an execute request is being handled (its own idle status then ends the busy state). */
    private volatile boolean executing;
    /** An interrupt came while a cell waited for JShell to start: that cell does not run. */
    private volatile boolean interruptedBeforeSession;
    private volatile boolean shuttingDown;
    private final ScheduledExecutorService notices = KernelThreads.scheduler("seqlab-notices");
    /** Gives every fit that runs in a cell its live display; see {@link LiveTraining}. */
    private final Supplier<TrainingListener> liveTraining = LiveTraining.factory(this::onCellThread);
    /** Lets an interrupt wait for the end of the current training step; see {@link CooperativeFit}. */
    private final Supplier<TrainingListener> cooperativeFit =
            () -> onCellThread() ? new CooperativeFit(millis -> session().promiseInterruptCheckWithin(millis), h -> {
                if (h.stopReason() == StopReason.INTERRUPTED) {
                    interruptedFit.set(h);
                }
            }) : null;

    public SeqlabKernel() {
        this(new CellHistory(), new KernelIO());
    }

    private SeqlabKernel(CellHistory history, KernelIO io) {
        super("seqlab", Version.get(),
                // "text/x-java" is the MIME both CodeMirror 5 (classic notebook) and JupyterLab 4's
                // language registry know; the mode name "java" left new cells unhighlighted in classic
                new LanguageInfo("java", Runtime.version().toString(), "text/x-java", ".jshell", "java", "text/x-java", "script"),
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
        this.sessionReady = CompletableFuture.supplyAsync(this::startSession);
    }

    private JavaSession startSession() {
        JavaSession s = new JavaSession(new InProcessExecution(cellThreads, kio.router::adoptCurrentThread));
        List<String> skipped = s.importDefaults();
        if (!skipped.isEmpty()) {
            ServerLog.warn("not imported (not on the class path): " + skipped);
        }
        s.warmUp();
        return s;
    }

    /** System.out/err/in are ours for the life of the process; see {@link OutputRouter}. */
    @Override
    public void onStartup() {
        System.setOut(kio.router.out);
        System.setErr(kio.router.err);
        System.setIn(kio.cellIn);
        super.onStartup();
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
        if (interruptedBeforeSession) { // the user gave up waiting for JShell to start
            interruptedBeforeSession = false;
            throw JavaSession.interrupted(cellNumber);
        }
        String java = Magics.hasMagic(code) ? new Magics(new MagicEffects(s), maven).apply(code, workingDir) : code;
        return s.run(java, cellNumber);
    }

    /** What magics change: the session's class path, and the extensions the new jars bring. */
    private final class MagicEffects implements Magics.Effects {
        private final JavaSession session;

        MagicEffects(JavaSession session) {
            this.session = session;
        }

        @Override
        public void addToClasspath(List<Path> entries) {
            entries.forEach(p -> session.addToClasspath(p.toString()));
            installExtensionsFrom(session.snippetLoader());
        }

        @Override
        public void say(String line) {
            print(line + "\n");
        }
    }

    /**
     * Installs the jjava {@link Extension}s that jars added to the session declare
     * (META-INF/services), loaded through the cells' own class loader so that what they register
     * (renderers, magics) applies to the objects cells create.
     */
    private void installExtensionsFrom(ClassLoader loader) {
        if (loader == null || !extensionsEnabled) {
            return;
        }
        for (ServiceLoader.Provider<Extension> p : extensionProviders(loader)) {
            String name = p.type().getName();
            if (extensions.containsKey(name)) {
                continue;
            }
            try {
                installExtension(p.get());
                print("installed extension " + name + "\n");
            } catch (RuntimeException | LinkageError e) {
                print("extension " + name + " failed to install: " + e + "\n");
            }
        }
    }

    /**
     * The extensions the class path declares, skipping what cannot be read: a jar added earlier and
     * since deleted or rewritten makes ServiceLoader throw for that jar, and must not stop the jars
     * a cell adds now (nor the cell).
     */
    private List<ServiceLoader.Provider<Extension>> extensionProviders(ClassLoader loader) {
        List<ServiceLoader.Provider<Extension>> found = new java.util.ArrayList<>();
        java.util.Iterator<ServiceLoader.Provider<Extension>> it = ServiceLoader.load(Extension.class, loader).stream().iterator();
        for (int unreadable = 0; unreadable < 100; ) {
            try {
                if (!it.hasNext()) break;
                found.add(it.next());
            } catch (java.util.ServiceConfigurationError e) {
                unreadable++;
                print("skipped an extension declaration that cannot be read (" + e.getMessage()
                        + "); was a jar added earlier moved or deleted? Add it again with %jars if you need it\n");
            }
        }
        return found;
    }

    /** Text for the running cell's stdout, from the kernel itself. */
    private void print(String text) {
        CellOutput o = kio.router.runningOrLast();
        if (o != null) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            o.write(false, b, 0, b.length);
        }
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
        interruptedBeforeSession = false;
        executing = true;
        interruptedFit.set(null);
        CellOutput output = kio.attach(env, request.isStdinEnabled(), count);
        Map<String, Object> reply;
        List<Object> payload = List.of();
        boolean failed = false;
        try {
            JavaSession.Result result;
            if (EXIT.matcher(code).matches()) {
                // jupyter-console ends its session on this payload; a notebook ignores it
                result = JavaSession.Result.NONE;
                payload = List.of(Map.of("source", "ask_exit", "keepkernel", false));
                print("ending this session (jupyter console exits; in a notebook use Kernel > Shut Down)\n");
            } else {
                result = runCell(code, count);
            }
            kio.detach(env, output);
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
            TrainingHistory stopped = interruptedFit.getAndSet(null);
            if (e.isInterrupt() && stopped != null) {
                // an intended stop of training: its progress line, not a red traceback
                print(ProgressLine.finished(stopped) + "\n(the rest of the cell did not run; the model and its variables are kept)\n");
            }
            kio.detach(env, output);
            if (store) {
                cells.record(count, code, null);
            }
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("ename", e.ename());
            error.put("evalue", e.evalue());
            error.put("traceback", e.traceback());
            if (!(e.isInterrupt() && stopped != null)) {
                Replies.publish(env, MessageType.PUBLISH_ERROR, error);
            }
            reply = new LinkedHashMap<>();
            reply.put("status", "error");
            reply.putAll(error);
            failed = true;
        } catch (RuntimeException | Error e) {
            // a bug of ours (or a broken jar's ServiceConfigurationError, an OutOfMemoryError) must
            // not cost the user the session: report it in the cell
            kio.detach(env, output);
            ServerLog.warn("executing a cell failed inside the kernel: " + e);
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("ename", e.getClass().getName());
            error.put("evalue", String.valueOf(e.getMessage()));
            error.put("traceback", List.of("seqlab kernel error: " + e + " (the session is intact; please report this)"));
            Replies.publish(env, MessageType.PUBLISH_ERROR, error);
            reply = new LinkedHashMap<>();
            reply.put("status", "error");
            reply.putAll(error);
            failed = true;
        } finally {
            executing = false;
        }
        reply.put("execution_count", count);
        reply.put("user_expressions", Map.of());
        reply.put("payload", payload);
        if (failed && !silent && request.shouldStopOnError() && env.getShell() instanceof RequestChannel channel) {
            channel.abortQueuedExecutions(); // as ipykernel: the cells queued behind a failure do not run
        }
        env.defer();
        Replies.reply(env, MessageType.EXECUTE_REPLY, reply);
    }

    /** Output streams are installed once, in {@link #onStartup}: nothing to swap per cell. */
    @Override
    protected void replaceOutputStreams(ShellReplyEnvironment env) {
    }

    /** A renderer that throws must not lose the value: fall back to its text. */
    private DisplayData renderSafely(Object value) {
        try {
            return value instanceof DisplayData d ? d : renderer.render(value);
        } catch (RuntimeException | LinkageError e) {
            DisplayData d = new DisplayData();
            String text;
            try {
                text = String.valueOf(value);
            } catch (RuntimeException | LinkageError again) {
                text = value.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(value));
            }
            d.putText(text + "\n(rendering failed: " + e + ")");
            return d;
        }
    }

    // ---- interrupt, shutdown ------------------------------------------------------------------

    /** Stops the running cell and the threads cells started (see {@link CellThreads}). */
    @Override
    public void interrupt() {
        JavaSession s = sessionReady.getNow(null);
        if (s == null) {
            interruptedBeforeSession = executing; // a cell waits for JShell to start: it will not run
            return;
        }
        s.interrupt(STOP_GRACE_MILLIS);
        Thread cellThread = s.cellThread();
        CellThreads.Outcome outcome = cellThreads.interruptAll(cellThread);
        if (!outcome.stopped().isEmpty()) {
            notice("stopped " + threads(outcome.stopped()) + " started by a cell (the earlier interrupt did not end it)");
        }
        if (!outcome.interrupted().isEmpty()) {
            List<String> names = outcome.interrupted();
            notices.schedule(() -> {
                List<String> alive = cellThreads.stillAlive(s.cellThread(), names);
                if (!alive.isEmpty()) {
                    notice(threads(alive) + " started by a cell ignored the interrupt; interrupt again to stop it");
                }
            }, 2 * STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private static String threads(List<String> names) {
        return (names.size() == 1 ? "thread " : "threads ") + String.join(", ", names.stream().map(n -> "'" + n + "'").toList());
    }

    /** A line about the kernel's state where the user looks: under the running (else the last) cell, and in the log. */
    private void notice(String text) {
        ServerLog.warn(text);
        CellOutput o = kio.router.runningOrLast();
        if (o != null) {
            o.note("[seqlab: " + text + "]");
        }
    }

    /**
     * Busy, reply, then idle only when no cell runs: JupyterLab shows the kernel idle on any idle
     * status, and the running cell will say idle itself when the interrupt has ended it.
     */
    @Override
    protected void handleInterruptRequest(ShellReplyEnvironment env, Message<InterruptRequest> message) {
        env.setStatusBusy();
        interrupt();
        Replies.reply(env, MessageType.INTERRUPT_REPLY, Replies.ok());
        if (!executing) {
            env.setStatusIdle();
        }
    }

    /** True once a shutdown_request is being handled. */
    boolean isShuttingDown() {
        return shuttingDown;
    }

    @Override
    protected void handleShutdownRequest(ShellReplyEnvironment env, Message<ShutdownRequest> message) {
        shuttingDown = true;
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

    /** matches, plus each match's kind for frontends that show it (JupyterLab's completer icons). */
    @Override
    protected void handleCompleteRequest(ShellReplyEnvironment env, Message<CompleteRequest> message) {
        env.setBusyDeferIdle();
        CompleteRequest request = message.getContent();
        Map<String, Object> reply = Replies.ok();
        try {
            CodeAssist.Completion c = new CodeAssist(session().analysis(), session().splitter())
                    .complete(request.getCode(), request.getCursorPos());
            List<Map<String, Object>> typed = new ArrayList<>();
            for (CodeAssist.Item item : c.items()) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("start", c.start());
                t.put("end", c.end());
                t.put("text", item.text());
                t.put("type", item.kind());
                typed.add(t);
            }
            reply.put("matches", c.matches());
            reply.put("cursor_start", c.start());
            reply.put("cursor_end", c.end());
            reply.put("metadata", Map.of("_jupyter_types_experimental", typed));
        } catch (RuntimeException e) {
            reply.put("matches", List.of());
            reply.put("cursor_start", request.getCursorPos());
            reply.put("cursor_end", request.getCursorPos());
            reply.put("metadata", Map.of());
        }
        Replies.reply(env, MessageType.COMPLETE_REPLY, reply);
    }

    /** With the indent for the next line of an open block (jupyter-console and qtconsole use it). */
    @Override
    protected void handleIsCodeCompeteRequest(ShellReplyEnvironment env, Message<IsCompleteRequest> message) {
        env.setBusyDeferIdle();
        String code = message.getContent().getCode();
        Map<String, Object> reply = new LinkedHashMap<>();
        String status = new CodeAssist(session().analysis(), session().splitter()).isComplete(code);
        reply.put("status", status);
        if ("incomplete".equals(status)) {
            reply.put("indent", CodeAssist.nextIndent(code));
        }
        Replies.reply(env, MessageType.IS_COMPLETE_REPLY, reply);
    }

    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        connection.setHandler(MessageType.COMM_INFO_REQUEST, this::handleCommInfoRequest);
    }

    /** jjava's, with the {@code status} field protocol 5.1+ requires. */
    private void handleCommInfoRequest(ShellReplyEnvironment env, Message<CommInfoRequest> message) {
        env.setBusyDeferIdle();
        String target = message.getContent() == null ? null : message.getContent().getTargetName();
        Map<String, Object> comms = new LinkedHashMap<>();
        for (Comm comm : commManager) {
            if (target == null || target.equals(comm.getTargetName())) {
                comms.put(comm.getID(), Map.of("target_name", comm.getTargetName()));
            }
        }
        Map<String, Object> reply = Replies.ok();
        reply.put("comms", comms);
        Replies.reply(env, MessageType.COMM_INFO_REPLY, reply);
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
            default -> CodeAssist.nextIndent(code);
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
