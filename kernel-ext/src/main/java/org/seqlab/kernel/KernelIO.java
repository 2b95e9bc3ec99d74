package org.seqlab.kernel;

import java.nio.charset.StandardCharsets;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;

/** jjava's stream/display plumbing, with attach and detach opened to our kernel. */
final class KernelIO extends JupyterIO {
    KernelIO() {
        super(StandardCharsets.UTF_8);
    }

    /** Routes System.out/err and display calls to the request being executed. */
    void attach(ShellReplyEnvironment env, boolean stdinAllowed) {
        setEnv(env);
        setJupyterInEnabled(stdinAllowed);
    }

    void detach(ShellReplyEnvironment env) {
        out.flush();
        err.flush();
        retractEnv(env);
    }
}
