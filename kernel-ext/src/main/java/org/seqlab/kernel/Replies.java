package org.seqlab.kernel;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dflib.jjava.jupyter.channels.ReplyEnvironment;
import org.dflib.jjava.jupyter.channels.DefaultReplyEnvironment;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;

/**
 * Replies and broadcasts whose content we write ourselves, as JSON maps. jjava 1.0-a6's reply
 * classes for kernel_info, history, interrupt and shutdown have no {@code status} field, which
 * protocol 5.x requires ({@code jupyter_kernel_test} rejects such replies).
 */
final class Replies {
    private Replies() {}

    static Map<String, Object> ok() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        return m;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static void reply(ReplyEnvironment env, MessageType<?> type, Map<String, Object> content) {
        env.reply(new Message(((DefaultReplyEnvironment) env).getContext(), type, content));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static void publish(ReplyEnvironment env, MessageType<?> type, Map<String, Object> content) {
        env.publish(new Message(((DefaultReplyEnvironment) env).getContext(), type, content));
    }
}
