package org.seqlab.kernel;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;

/** jjava's stream/display plumbing, with attach and detach opened to our kernel. */
final class KernelIO extends JupyterIO {
    private volatile ShellReplyEnvironment current;
    /** What cells get as System.out/err: the same streams, shielded from interrupts. */
    final PrintStream cellOut = InterruptShield.shielded(out);
    final PrintStream cellErr = InterruptShield.shielded(err);

    KernelIO() {
        super(StandardCharsets.UTF_8);
    }

    /** Routes System.out/err and display calls to the request being executed. */
    void attach(ShellReplyEnvironment env, boolean stdinAllowed) {
        setEnv(env);
        setJupyterInEnabled(stdinAllowed);
        current = env;
    }

    void detach(ShellReplyEnvironment env) {
        out.flush();
        err.flush();
        retractEnv(env);
        if (current == env) {
            current = null;
        }
    }

    /** Clears the running cell's output, now or (wait) just before the next output arrives. */
    void clearOutput(boolean wait) {
        ShellReplyEnvironment env = current;
        if (env != null) {
            InterruptShield.publishing(() -> {
                out.flush();
                err.flush();
                env.publish(wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
            });
        }
    }
}
