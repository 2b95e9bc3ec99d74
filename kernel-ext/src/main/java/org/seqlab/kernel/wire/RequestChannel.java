package org.seqlab.kernel.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.seqlab.kernel.ServerLog;
import org.zeromq.ZMQ;

/**
 * The shell or control socket, read by our own loop instead of jjava's.
 *
 * <p>Why: jjava's loop lets the {@code SecurityException} of a badly signed message (or the JSON
 * error of a malformed one) escape and end the thread; the kernel then stays up with a beating
 * heart and answers nothing. Here every message is checked ({@link MessageCheck}: signature,
 * replay) and decoded before a handler sees it; a message that fails is dropped with a line in
 * the server log, and the loop goes on. Handlers are jjava's, registered on the connection.
 *
 * <p>It also implements the protocol's {@code stop_on_error}: after a failed execution asks for
 * it, the execute requests already waiting on the socket are answered {@code aborted} instead of
 * run (as ipykernel does); other requests waiting there are handled as usual.
 */
public final class RequestChannel extends ShellChannel {
    private static final long POLL_MILLIS = 100;
    /** Refusals logged in full; after that one line per {@link #LOG_EVERY}. */
    private static final int LOG_FIRST = 20;
    private static final int LOG_EVERY = 1000;

    private final String name;
    private final JupyterConnection connection;
    private final MessageCheck check;
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean running;
    private Thread loop;
    private ZMQ.Poller poller;
    /** Requests that were waiting when a failed execution asked for stop_on_error; answered next. */
    private final List<List<byte[]>> toAbort = new ArrayList<>();

    RequestChannel(ZMQ.Context context, HMACGenerator signer, MessageCheck check, boolean isControl, JupyterConnection connection) {
        super(context, signer, isControl, connection);
        this.name = isControl ? "control" : "shell";
        this.connection = connection;
        this.check = check;
    }

    @Override
    public void bind(KernelConnectionProperties props) {
        String address = formatAddress(props.getTransport(), props.getIp(),
                "control".equals(name) ? props.getControlPort() : props.getShellPort());
        super.bind(address);
        running = true;
        loop = new Thread(this::serve, "seqlab-" + name);
        loop.start();
    }

    /**
     * Called by the execute handler, on this channel's thread, before its reply goes out: the
     * execute requests waiting on the socket now are answered {@code aborted} (stop_on_error after
     * a failure). They are taken off the socket at once, so a request the client sends after it
     * has seen the failure is not among them.
     */
    public void abortQueuedExecutions() {
        if (Thread.currentThread() != loop) {
            throw new IllegalStateException("abortQueuedExecutions must be called by the " + name + " channel's handler");
        }
        while (poller.poll(0) > 0 && poller.pollin(0)) {
            toAbort.add(receive());
        }
    }

    private void serve() {
        poller = ctx.poller(1);
        poller.register(this, ZMQ.Poller.POLLIN);
        try {
            while (running) {
                if (poller.poll(POLL_MILLIS) > 0 && poller.pollin(0)) {
                    handle(receive(), false);
                    List<List<byte[]>> queued = List.copyOf(toAbort);
                    toAbort.clear();
                    for (List<byte[]> message : queued) {
                        handle(message, true);
                    }
                }
            }
        } catch (RuntimeException e) {
            if (running) { // a closed context ends the loop with an exception; anything else is ours to report
                ServerLog.warn(name + " channel stopped: " + e);
            }
        } finally {
            poller.close();
            super.close();
        }
    }

    private List<byte[]> receive() {
        synchronized (this) { // sendMessage on this socket is synchronized on it too
            List<byte[]> frames = new ArrayList<>();
            do {
                byte[] frame = recv(0);
                if (frame == null) {
                    break;
                }
                frames.add(frame);
            } while (hasReceiveMore());
            return frames;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void handle(List<byte[]> raw, boolean aborting) {
        WireFormat.Frames frames = WireFormat.split(raw);
        if (frames == null) {
            refuse("it is not a Jupyter message (" + raw.size() + " frames, no <IDS|MSG> delimiter or parts missing)");
            return;
        }
        MessageCheck.Refusal refusal = check.check(frames.signature(), frames.header(), frames.parentHeader(),
                frames.metadata(), frames.content());
        if (refusal != null) {
            refuse(refusal.why);
            return;
        }
        Message<?> message;
        try {
            message = WireFormat.decode(frames);
        } catch (RuntimeException e) {
            refuse("its JSON could not be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            return;
        }
        MessageType<?> type = message.getHeader().getType();
        ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
        if (aborting && type == MessageType.EXECUTE_REQUEST) {
            env.setStatusBusy();
            env.reply(new Message(message, MessageType.EXECUTE_REPLY, Map.of("status", "aborted")));
            env.setStatusIdle();
            return;
        }
        ShellHandler handler = connection.getHandler(type);
        if (handler == null) {
            ServerLog.warn("no handler for '" + type.getName() + "' on the " + name + " channel; ignored");
            return;
        }
        try {
            handler.handle(env, message);
        } catch (Throwable t) {
            ServerLog.warn("handling " + type.getName() + " failed: " + t);
            replyFailure(env, message, type, t);
        } finally {
            try {
                env.resolveDeferrals();
            } catch (RuntimeException e) {
                ServerLog.warn("finishing " + type.getName() + " failed: " + e);
            }
        }
        if (env.isMarkedForShutdown()) {
            connection.close();
        }
    }

    /**
     * A request whose handler threw still gets its reply, with status error: a client waits for
     * the reply of every request it sends, and a frontend without one shows the kernel busy forever.
     */
    private static void replyFailure(ShellReplyEnvironment env, Message<?> request, MessageType<?> type, Throwable t) {
        String name = type.getName();
        if (!name.endsWith("_request")) return;
        Map<String, Object> content = new java.util.LinkedHashMap<>();
        content.put("status", "error");
        content.put("ename", t.getClass().getName());
        content.put("evalue", String.valueOf(t.getMessage()));
        content.put("traceback", List.of("seqlab kernel error while handling " + name + ": " + t
                + " (the session and its variables are kept; please report this)"));
        try {
            MessageType<?> replyType = MessageType.getType(name.substring(0, name.length() - "_request".length()) + "_reply");
            if (replyType != null) env.reply(new Message(request, replyType, content));
        } catch (RuntimeException e) {
            ServerLog.warn("replying to the failed " + name + " failed too: " + e);
        }
    }

    private void refuse(String why) {
        long n = refused.incrementAndGet();
        if (n <= LOG_FIRST || n % LOG_EVERY == 0) {
            ServerLog.warn("dropped a message on the " + name + " channel (" + n + " so far): " + why
                    + ". The kernel goes on serving. If it came from your own client, connect it with this"
                    + " kernel's connection file (its key signs every message); otherwise another local"
                    + " process is probing the kernel's ports.");
        }
    }

    /** Ends the loop; the socket is closed by the loop's own thread (sockets are single-threaded). */
    void shutdown() {
        running = false;
    }

    @Override
    public void close() {
        shutdown();
    }

    @Override
    public void waitUntilClose() {
        Thread t = loop;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
