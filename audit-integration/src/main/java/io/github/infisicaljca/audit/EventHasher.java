package io.github.infisicaljca.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The smart-logs {@code generateHash}, byte for byte: the eight fields below, sorted by name,
 * each written {@code name:} + JSON.stringify(value), joined with {@code |}, UTF-8, SHA-256,
 * lower-case hex. The five optional fields are {@code null} when absent or empty.
 */
public final class EventHasher {
    /** The hashed fields, already in sorted order. */
    static final List<String> FIELDS = List.of("action", "organizationId", "outcomeDescription", "principalId",
            "status", "targetResourceId", "targetResourceType", "timestamp");
    static final List<String> REQUIRED = List.of("timestamp", "action", "status");
    public static final String HASH_ALGORITHM = "SHA-256";

    private EventHasher() {
    }

    /** The string that is hashed; public so that mismatches can be diagnosed. */
    public static String canonicalString(AuditEvent event) {
        StringBuilder sb = new StringBuilder(256);
        for (String field : FIELDS) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            String value = event.text(field);
            boolean required = REQUIRED.contains(field);
            if (required && value == null) {
                throw new IllegalArgumentException("the audit event has no " + field + ": timestamp, action and status "
                        + "are required to hash it");
            }
            if (!required && value != null && value.isEmpty()) {
                value = null;
            }
            sb.append(field).append(':').append(value == null ? "null" : JsJson.stringify(value));
        }
        return sb.toString();
    }

    /** SHA-256 of the canonical string, 64 lower-case hex digits. */
    public static String generateHash(AuditEvent event) {
        return HexFormat.of().formatHex(sha256(Utf8.encode(canonicalString(event))));
    }

    /** Whether {@code expectedHash} is this event's hash; compared in constant time. */
    public static boolean verifyHash(AuditEvent event, String expectedHash) {
        if (expectedHash == null) {
            return false;
        }
        return MessageDigest.isEqual(generateHash(event).getBytes(StandardCharsets.US_ASCII),
                expectedHash.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance(HASH_ALGORITHM).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
