package org.seqlab.kernel.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decides whether a received message may be acted on: its HMAC signature must be the one the
 * connection file's key gives (compared in constant time), and it must not be a replay of a
 * message already accepted (the protocol's digest history: a signature is accepted once).
 *
 * <p>With an empty key the connection is unsigned, as the protocol allows, and every message passes.
 * One instance per socket: {@link Mac} is not thread-safe.
 */
final class MessageCheck {
    /** As jupyter_client's Session: the last 2^16 signatures are remembered. */
    static final int DIGEST_HISTORY = 1 << 16;

    /** Why a message was refused; null fields of {@link #check} mean it passed. */
    enum Refusal {
        BAD_SIGNATURE("its signature does not match this kernel's key (unsigned, signed with another key, or changed on the way)"),
        REPLAYED("it repeats a message already received (same signature): a replay");

        final String why;

        Refusal(String why) {
            this.why = why;
        }
    }

    private final Mac mac;
    private final Map<String, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > DIGEST_HISTORY;
        }
    };

    private MessageCheck(Mac mac) {
        this.mac = mac;
    }

    /** {@code scheme} as in the connection file ("hmac-sha256"); an empty key means unsigned. */
    static MessageCheck of(String scheme, String key) {
        if (key == null || key.isEmpty()) {
            return new MessageCheck(null);
        }
        String algorithm = (scheme == null || scheme.isEmpty() ? "hmac-sha256" : scheme).replace("-", "");
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.US_ASCII), algorithm));
            return new MessageCheck(mac);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unsupported signature scheme '" + scheme + "' in the connection file", e);
        }
    }

    /** Null when the message may be handled; otherwise why not. Accepting it records its signature. */
    synchronized Refusal check(byte[] signature, byte[] header, byte[] parentHeader, byte[] metadata, byte[] content) {
        if (mac == null) {
            return null;
        }
        for (byte[] part : new byte[][] {header, parentHeader, metadata, content}) {
            mac.update(part);
        }
        byte[] expected = hex(mac.doFinal()).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature)) {
            return Refusal.BAD_SIGNATURE;
        }
        String digest = new String(signature, StandardCharsets.US_ASCII);
        if (seen.putIfAbsent(digest, Boolean.TRUE) != null) {
            return Refusal.REPLAYED;
        }
        return null;
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            s.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return s.toString();
    }
}
