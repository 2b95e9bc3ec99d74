package org.seqlab.kernel.wire;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.KernelTimestamp;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.adapters.HeaderAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HistoryRequestAdapter;
import org.dflib.jjava.jupyter.messages.adapters.KernelTimestampAdapter;
import org.dflib.jjava.jupyter.messages.adapters.MessageTypeAdapter;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;

/**
 * The frames of one received Jupyter message ({@code identities..., "<IDS|MSG>", signature,
 * header, parent_header, metadata, content, buffers...}) and their decoding into jjava's
 * {@link Message}, with jjava's own JSON adapters so handlers get the objects they expect.
 */
final class WireFormat {
    static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);

    private static final Gson GSON = new GsonBuilder()
            .registerTypeAdapter(KernelTimestamp.class, KernelTimestampAdapter.INSTANCE)
            .registerTypeAdapter(Header.class, HeaderAdapter.INSTANCE)
            .registerTypeAdapter(MessageType.class, MessageTypeAdapter.INSTANCE)
            .registerTypeAdapter(HistoryRequest.class, HistoryRequestAdapter.INSTANCE)
            .create();
    private static final Type JSON_OBJECT = new TypeToken<Map<String, Object>>() {}.getType();

    /** The parts of a message; {@code identities} route the reply back to the sender. */
    record Frames(List<byte[]> identities, byte[] signature, byte[] header, byte[] parentHeader,
                  byte[] metadata, byte[] content, List<byte[]> buffers) {}

    private WireFormat() {}

    /** Splits raw frames; null when they do not form a Jupyter message (no delimiter, parts missing). */
    static Frames split(List<byte[]> raw) {
        int delimiter = -1;
        for (int i = 0; i < raw.size(); i++) {
            if (Arrays.equals(DELIMITER, raw.get(i))) {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0 || raw.size() < delimiter + 6) {
            return null;
        }
        int d = delimiter;
        return new Frames(List.copyOf(raw.subList(0, d)), raw.get(d + 1), raw.get(d + 2), raw.get(d + 3),
                raw.get(d + 4), raw.get(d + 5), List.copyOf(raw.subList(d + 6, raw.size())));
    }

    /** Decodes the JSON parts; throws a runtime exception (Gson's, or NPE) when they are malformed. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Message<?> decode(Frames f) {
        Header<?> header = GSON.fromJson(utf8(f.header()), Header.class);
        if (header == null || header.getType() == null) {
            throw new IllegalArgumentException("no msg_type in the header");
        }
        Header<?> parent = null;
        JsonElement parentJson = JsonParser.parseString(utf8(f.parentHeader()));
        if (parentJson.isJsonObject() && !parentJson.getAsJsonObject().isEmpty()) {
            parent = GSON.fromJson(parentJson, Header.class);
        }
        Map<String, Object> metadata = GSON.fromJson(utf8(f.metadata()), JSON_OBJECT);
        Object content = GSON.fromJson(utf8(f.content()), header.getType().getContentType());
        return new Message(f.identities(), header, parent, metadata, content, f.buffers().isEmpty() ? null : f.buffers());
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
