package io.github.infisicaljca.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A smart-logs {@code AuditLogEvent} as JSON, every field kept in its order (unknown ones
 * included), so sealing or verifying an event never loses or reorders what it carried.
 * Immutable: {@link #withSeal} returns a new event.
 */
public final class AuditEvent {
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)   // one field, one meaning
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS) // numbers keep their digits,
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES) // trailing zeros included
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Seal field: the event's hash, 64 lower-case hex digits. */
    public static final String HASH = "hash";
    /** Seal field: the hash algorithm, {@code SHA-256}. */
    public static final String HASH_ALGORITHM = "hashAlgorithm";
    /** Seal field: the signature over the hash. */
    public static final String SIGNATURE = "signature";
    /** Seal field: the signature algorithm. */
    public static final String ALGORITHM = "algorithm";

    private final ObjectNode node;

    private AuditEvent(ObjectNode node) {
        this.node = node;
    }

    /**
     * Reads one event (a JSON object).
     *
     * @param json the event's JSON text
     * @return the event
     * @throws IllegalArgumentException when it is not one JSON object (duplicate fields included)
     */
    public static AuditEvent parse(String json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            // Jackson's own text may quote the event, which can hold personal data: say only where.
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            String original = e.getOriginalMessage();
            String kind = original != null && original.startsWith("Duplicate field") ? ": " + original : "";
            throw new IllegalArgumentException("not a valid JSON audit event" + kind
                    + (at == null ? "" : " (at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("an audit event must be a JSON object");
        }
        return new AuditEvent((ObjectNode) n);
    }

    /**
     * An event holding a copy of {@code node}: the batch format builds and reads events as JSON trees.
     *
     * @param node the event's JSON object
     * @return the event
     */
    public static AuditEvent of(ObjectNode node) {
        return new AuditEvent(node.deepCopy());
    }

    /** {@return a copy of the event's JSON tree, fields in their order} */
    public ObjectNode json() {
        return node.deepCopy();
    }

    /**
     * An event from fields, for code that builds events (values are strings; null leaves a field out).
     *
     * @param timestamp the {@code timestamp} field
     * @param action the {@code action} field
     * @param status the {@code status} field
     * @return the event; add more fields with {@link #with}
     */
    public static AuditEvent of(String timestamp, String action, String status) {
        ObjectNode n = JSON.createObjectNode();
        if (timestamp != null) {
            n.put("timestamp", timestamp);
        }
        if (action != null) {
            n.put("action", action);
        }
        if (status != null) {
            n.put("status", status);
        }
        return new AuditEvent(n);
    }

    /**
     * A copy with one more (or a replaced) string field.
     *
     * @param field the field's name
     * @param value its value
     * @return the new event
     */
    public AuditEvent with(String field, String value) {
        ObjectNode copy = node.deepCopy();
        copy.put(field, value);
        return new AuditEvent(copy);
    }

    /**
     * A field's text; {@code null} when absent or JSON null.
     *
     * @param field the field's name
     * @return its string value, or null
     * @throws IllegalArgumentException when the field holds another JSON type
     */
    public String text(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("audit event field '" + field + "' must be a string, not "
                    + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return v.textValue();
    }

    /**
     * Whether the event has a field.
     *
     * @param field the field's name
     * @return whether it is present (with any value, null included)
     */
    public boolean has(String field) {
        return node.has(field);
    }

    /**
     * The event with its seal set (replaced in place if present, else appended); the rest unchanged.
     *
     * @param hash the {@value #HASH} value
     * @param signature the {@value #SIGNATURE} value
     * @param algorithm the {@value #ALGORITHM} value
     * @return the sealed event
     */
    public AuditEvent withSeal(String hash, String signature, String algorithm) {
        ObjectNode copy = node.deepCopy();
        copy.put(HASH, hash);
        copy.put(HASH_ALGORITHM, EventHasher.HASH_ALGORITHM);
        copy.put(SIGNATURE, signature);
        copy.put(ALGORITHM, algorithm);
        return new AuditEvent(copy);
    }

    /** {@return one line of compact JSON} */
    public String toJson() {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditEvent && ((AuditEvent) o).node.equals(node);
    }

    @Override
    public int hashCode() {
        return node.hashCode();
    }

    /** The action and timestamp only: an event may carry personal data. */
    @Override
    public String toString() {
        return "AuditEvent{action=" + safe("action") + ", timestamp=" + safe("timestamp") + "}";
    }

    private String safe(String field) {
        JsonNode v = node.get(field);
        return v == null ? "<none>" : v.asText();
    }
}
