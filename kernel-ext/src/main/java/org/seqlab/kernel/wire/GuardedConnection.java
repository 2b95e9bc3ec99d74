package org.seqlab.kernel.wire;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.ZMQ;

/**
 * jjava's connection with the shell and control sockets replaced by {@link RequestChannel}s, so
 * that no message a local process can send stops the kernel from answering its owner. Heartbeat,
 * stdin and iopub stay jjava's. jjava's own shell and control sockets are created by its
 * constructor but never bound.
 */
public final class GuardedConnection extends JupyterConnection {
    private final KernelConnectionProperties props;
    private final ZMQ.Context context = ZMQ.context(1);
    private final RequestChannel guardedShell;
    private final RequestChannel guardedControl;
    private boolean connected;

    public GuardedConnection(KernelConnectionProperties props) throws NoSuchAlgorithmException, InvalidKeyException {
        super(props);
        this.props = props;
        guardedShell = new RequestChannel(context, props.createHMACGenerator(),
                MessageCheck.of(props.getSignatureScheme(), props.getKey()), false, this);
        guardedControl = new RequestChannel(context, props.createHMACGenerator(),
                MessageCheck.of(props.getSignatureScheme(), props.getKey()), true, this);
    }

    @Override
    public synchronized void connect() {
        if (connected) {
            return;
        }
        heartbeat.bind(props);
        guardedShell.bind(props);
        guardedControl.bind(props);
        stdin.bind(props);
        iopub.bind(props);
        iopub.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
        connected = true;
    }

    @Override
    public void close() {
        guardedShell.shutdown();
        guardedControl.shutdown();
        super.close();
    }

    @Override
    public void waitUntilClose() {
        guardedShell.waitUntilClose();
        guardedControl.waitUntilClose();
        super.waitUntilClose();
        context.close();
    }
}
