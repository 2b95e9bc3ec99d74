package org.seqlab.kernel.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.junit.jupiter.api.Test;

class MessageCheckTest {
    static final byte[] HEADER = "{\"msg_id\":\"1\",\"username\":\"u\",\"session\":\"s\",\"date\":\"2024-01-01T00:00:00.000000Z\",\"msg_type\":\"execute_request\",\"version\":\"5.3\"}".getBytes(StandardCharsets.UTF_8);
    static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);
    static final byte[] CONTENT = "{\"code\":\"1+1\",\"silent\":false,\"stop_on_error\":true}".getBytes(StandardCharsets.UTF_8);

    static byte[] sign(String key, byte[] content) throws Exception {
        return new HMACGenerator("hmac-sha256", key).calculateSignature(HEADER, EMPTY, EMPTY, content).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void acceptsOnceRefusesBadSignaturesAndReplays() throws Exception {
        MessageCheck check = MessageCheck.of("hmac-sha256", "secret");
        byte[] good = sign("secret", CONTENT);
        assertNull(check.check(good, HEADER, EMPTY, EMPTY, CONTENT));
        assertEquals(MessageCheck.Refusal.REPLAYED, check.check(good, HEADER, EMPTY, EMPTY, CONTENT));
        assertEquals(MessageCheck.Refusal.BAD_SIGNATURE, check.check(sign("other", CONTENT), HEADER, EMPTY, EMPTY, CONTENT));
        assertEquals(MessageCheck.Refusal.BAD_SIGNATURE, check.check(new byte[0], HEADER, EMPTY, EMPTY, CONTENT));
        byte[] tampered = "{\"code\":\"System.exit(0)\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(MessageCheck.Refusal.BAD_SIGNATURE, check.check(good, HEADER, EMPTY, EMPTY, tampered));
    }

    @Test
    void anEmptyKeyMeansAnUnsignedConnection() {
        MessageCheck open = MessageCheck.of("hmac-sha256", "");
        assertNull(open.check(new byte[0], HEADER, EMPTY, EMPTY, CONTENT));
        assertNull(open.check(new byte[0], HEADER, EMPTY, EMPTY, CONTENT));
    }

    @Test
    void anUnknownSchemeIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MessageCheck.of("hmac-md17", "k"));
        assertEquals("unsupported signature scheme 'hmac-md17' in the connection file", e.getMessage());
    }

    @Test
    void framesSplitAndDecodeIntoJjavasMessage() {
        byte[] identity = {7, 7};
        List<byte[]> raw = List.of(identity, WireFormat.DELIMITER, new byte[0], HEADER, EMPTY, EMPTY, CONTENT);
        WireFormat.Frames f = WireFormat.split(raw);
        Message<?> m = WireFormat.decode(f);
        assertEquals(MessageType.EXECUTE_REQUEST, m.getHeader().getType());
        assertEquals("1+1", ((ExecuteRequest) m.getContent()).getCode());
        assertEquals(1, m.getIdentities().size());
        assertNull(WireFormat.split(List.of(identity, CONTENT)), "no delimiter");
        assertNull(WireFormat.split(List.of(WireFormat.DELIMITER, new byte[0], HEADER)), "parts missing");
    }
}
