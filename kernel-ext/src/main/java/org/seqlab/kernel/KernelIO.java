package org.seqlab.kernel;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;

/**
 * The kernel's output plumbing: one {@link CellOutput} per execute request, the process-wide
 * {@link OutputRouter} behind System.out/err, and jjava's stdin (input_request) attached to the
 * request being executed.
 */
final class KernelIO extends JupyterIO {
    private final ScheduledExecutorService flusher = KernelThreads.scheduler("seqlab-output");
    final OutputRouter router = new OutputRouter(ServerLog.out(), ServerLog.err());
    /** System.in for cells: asking the user for input first shows what the cell printed (the prompt). */
    final InputStream cellIn = new FilterInputStream(in) {
        @Override
        public int read() throws IOException {
            flushCurrent();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            flushCurrent();
            return super.read(b, off, len);
        }
    };

    KernelIO() {
        super(StandardCharsets.UTF_8);
    }

    /** Routes output, displays and stdin to the request being executed; returns its output. */
    CellOutput attach(ShellReplyEnvironment env, boolean stdinAllowed, int cellNumber) {
        setEnv(env);
        setJupyterInEnabled(stdinAllowed);
        CellOutput output = new CellOutput(sink(env), Tracebacks.cellName(cellNumber), CellOutput.Limits.DEFAULT, flusher);
        router.cellStarted(output);
        return output;
    }

    /** The cell ended: its output is sent in full (cut note and tail included); its threads still reach it. */
    void detach(ShellReplyEnvironment env, CellOutput output) {
        router.cellEnded(output);
        output.finish();
        retractEnv(env);
    }

    /** The output the calling thread writes to; null outside cells. */
    CellOutput current() {
        return router.target();
    }

    private void flushCurrent() {
        CellOutput o = current();
        if (o != null) {
            o.flush();
        }
    }

    /** Clears the calling cell's output, now or (wait) just before the next output arrives. */
    void clearOutput(boolean wait) {
        CellOutput o = current();
        if (o != null) {
            o.clear(wait);
        }
    }

    /** Shows (or, with {@code update}, replaces) a display in the calling cell; false outside cells. */
    boolean display(DisplayData data, boolean update) {
        CellOutput o = current();
        if (o == null) {
            return false;
        }
        o.display(data, update);
        return true;
    }

    /**
     * Publishes straight on iopub with the request as parent, not through the reply environment:
     * that one's "defer the next message" switch belongs to the shell thread, and threads a cell
     * started may publish at any time.
     */
    private static CellOutput.Sink sink(ShellReplyEnvironment env) {
        return new CellOutput.Sink() {
            @Override
            public void stream(boolean stderr, String text) {
                send(MessageType.PUBLISH_STREAM,
                        new PublishStream(stderr ? PublishStream.StreamType.ERR : PublishStream.StreamType.OUT, text));
            }

            @Override
            public void display(DisplayData data, boolean update) {
                if (update) {
                    send(MessageType.PUBLISH_UPDATE_DISPLAY_DATA, new PublishUpdateDisplayData(data));
                } else {
                    send(MessageType.PUBLISH_DISPLAY_DATA, new PublishDisplayData(data));
                }
            }

            @Override
            public void clear(boolean wait) {
                send(MessageType.PUBLISH_CLEAR_OUTPUT, wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
            }

            private <T> void send(MessageType<T> type, T content) {
                env.getIopub().sendMessage(new Message<>(env.getContext(), type, content));
            }
        };
    }
}
