package io.github.infisicaljca.kms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The client's reading of the wire format: JSON via Jackson's tree model (so unknown fields are
 * ignored by construction and every missing or mistyped field gets a message naming it), and
 * binary values as standard base64 with padding, decoded strictly.
 */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /** Parses a body; {@code null} when it is not a JSON object (callers decide what that means). */
    static JsonNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    /**
     * Strict standard base64: the alphabet, padding to a multiple of four, and canonical (the
     * unused bits of the last character are zero), so one value has exactly one spelling.
     */
    static byte[] unbase64(String text) {
        if (text.length() % 4 != 0) {
            throw new IllegalArgumentException("length " + text.length() + " is not a multiple of 4");
        }
        byte[] decoded = Base64.getDecoder().decode(text);
        if (!base64(decoded).equals(text)) {
            throw new IllegalArgumentException("not canonical base64");
        }
        return decoded;
    }

    static boolean isUuid(String id) {
        return id != null && UUID.matcher(id).matches();
    }

    /**
     * An id the server sent, for a message: quoted only when it is a UUID, as ids are. Anything
     * else may be what the server was sent (the token, the plaintext), echoed to get it logged.
     */
    static String quotedId(String id) {
        return isUuid(id) ? id : "a value that is not a UUID";
    }

    static KmsException malformed(String operation, String keyId, String detail) {
        return new KmsException(KmsException.Kind.MALFORMED_RESPONSE, operation, keyId,
                "unreadable response: " + detail, null);
    }

    /** Reads the fields of one 2xx response, turning every defect into a MALFORMED_RESPONSE. */
    static final class Reader {
        private final JsonNode root;
        private final String operation;
        private final String keyId;

        Reader(JsonNode root, String operation, String keyId) {
            this.root = root;
            this.operation = operation;
            this.keyId = keyId;
        }

        Reader object(String field) throws KmsException {
            JsonNode n = root.get(field);
            if (n == null || !n.isObject()) {
                throw malformed("field '" + field + "' is " + (n == null ? "missing" : "not an object"));
            }
            return new Reader(n, operation, keyId);
        }

        JsonNode array(String field) throws KmsException {
            JsonNode n = root.get(field);
            if (n == null || !n.isArray()) {
                throw malformed("field '" + field + "' is " + (n == null ? "missing" : "not an array"));
            }
            return n;
        }

        Reader wrap(JsonNode element, String what) throws KmsException {
            if (!element.isObject()) {
                throw malformed(what + " is not an object");
            }
            return new Reader(element, operation, keyId);
        }

        String text(String field) throws KmsException {
            String v = optionalText(field);
            if (v == null) {
                throw malformed("field '" + field + "' is missing");
            }
            return v;
        }

        String optionalText(String field) throws KmsException {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isTextual()) {
                throw malformed("field '" + field + "' is not a string");
            }
            return n.textValue();
        }

        boolean bool(String field) throws KmsException {
            Boolean v = optionalBool(field);
            if (v == null) {
                throw malformed("field '" + field + "' is missing");
            }
            return v;
        }

        Boolean optionalBool(String field) throws KmsException {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isBoolean()) {
                throw malformed("field '" + field + "' is not a boolean");
            }
            return n.booleanValue();
        }

        long number(String field) throws KmsException {
            Long v = optionalNumber(field);
            if (v == null) {
                throw malformed("field '" + field + "' is missing");
            }
            return v;
        }

        Long optionalNumber(String field) throws KmsException {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isIntegralNumber() || !n.canConvertToLong()) {
                throw malformed("field '" + field + "' is not a whole number");
            }
            return n.longValue();
        }

        /** A non-empty base64 field, decoded. The value is never quoted in the message. */
        byte[] binary(String field) throws KmsException {
            String v = text(field);
            byte[] decoded;
            try {
                decoded = unbase64(v);
            } catch (IllegalArgumentException e) {
                throw malformed("field '" + field + "' is not valid base64 (" + e.getMessage() + ")");
            }
            if (decoded.length == 0) {
                throw malformed("field '" + field + "' is empty");
            }
            return decoded;
        }

        /** Guards against a response meant for another key (a proxy mix-up, a server bug); UUIDs ignore case. */
        void expectKeyId(String field) throws KmsException {
            String answered = optionalText(field);
            if (answered != null && keyId != null && !answered.equalsIgnoreCase(keyId)) {
                throw malformed("the response names another key (" + quotedId(answered) + ") instead of " + keyId);
            }
        }

        KmsException malformed(String detail) {
            return Json.malformed(operation, keyId, detail);
        }
    }
}
