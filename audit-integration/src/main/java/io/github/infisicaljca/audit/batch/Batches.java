package io.github.infisicaljca.audit.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.StrictBase64;
import java.util.Base64;
import java.util.List;

/** The batch format's shared definitions: the leaf of an event, and strict reading of seal fields. */
final class Batches {
    static final String SEAL = "seal";
    /** The fields a leaf leaves out: the smart-logs seal and the batch seal. */
    static final List<String> SEAL_FIELDS = List.of(AuditEvent.HASH, AuditEvent.HASH_ALGORITHM, AuditEvent.SIGNATURE,
            AuditEvent.ALGORITHM, SEAL);
    /** Counts stay where every JSON reader holds them exactly (RFC 8785 numbers are doubles). */
    static final long MAX_COUNT = 1L << 53;

    private Batches() {
    }

    /** The event without any seal field: what a leaf covers, and what the sealer seals. */
    static ObjectNode unsealed(AuditEvent event) {
        ObjectNode o = event.json();
        o.remove(SEAL_FIELDS);
        return o;
    }

    /** SHA-256(0x00 || JCS(event without seal fields)). */
    static byte[] leafHash(ObjectNode unsealed) {
        return MerkleTree.leafHash(Jcs.canonicalBytes(unsealed));
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static void requireVersion(JsonNode o, String what) {
        JsonNode v = o.get("v");
        if (v == null || !v.isIntegralNumber() || v.asLong() != BatchStatement.VERSION) {
            throw new IllegalArgumentException(what + ": field 'v' must be " + BatchStatement.VERSION);
        }
    }

    static String text(JsonNode o, String field, String what) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(what + ": field '" + field + "' must be a string");
        }
        return v.textValue();
    }

    static long number(JsonNode o, String field, String what) {
        JsonNode v = o.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0 || v.asLong() > MAX_COUNT) {
            throw new IllegalArgumentException(what + ": field '" + field + "' must be an integer from 0 to 2^53");
        }
        return v.asLong();
    }

    static byte[] bytes(String s, String field, String what) {
        byte[] b = StrictBase64.decode(s);
        if (b == null) {
            throw new IllegalArgumentException(what + ": field '" + field + "' is not " + StrictBase64.FORM + ": "
                    + StrictBase64.problem(s));
        }
        return b;
    }

    static byte[] hash(JsonNode o, String field, String what) {
        return hash(text(o, field, what), field, what);
    }

    static byte[] hash(String s, String field, String what) {
        byte[] b = bytes(s, field, what);
        if (b.length != MerkleTree.HASH_LENGTH) {
            throw new IllegalArgumentException(what + ": field '" + field + "' must hold 32 bytes, not " + b.length);
        }
        return b;
    }
}
