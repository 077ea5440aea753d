package io.github.infisicaljca.reliability;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The fuzz oracle, read from the API reference rather than from the client: given a mutated
 * answer, the only result a call may return, or {@link Impossible} when the answer admits none
 * (a required field missing or mistyped, a binary value that is not base64 of at least one byte,
 * an answer naming another key). A call may always refuse with its declared exception; what it
 * may never do is return anything else.
 */
final class Faithful {
    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** No successful result is acceptable for this answer. */
    static final class Impossible extends Exception {
        private static final long serialVersionUID = 1L;

        Impossible(String why) {
            super(why, null, false, false);
        }
    }

    /** Computes the acceptable result of one answer. */
    interface Oracle {
        Object expect(JsonNode body) throws Impossible;
    }

    private Faithful() {
    }

    /** The answer as a JSON object, or Impossible. */
    static JsonNode object(byte[] body) throws Impossible {
        try {
            JsonNode n = STRICT.readTree(body);
            if (n == null || !n.isObject()) {
                throw new Impossible("not a JSON object");
            }
            return n;
        } catch (java.io.IOException e) {
            throw new Impossible("not JSON");
        }
    }

    static JsonNode field(JsonNode n, String name) throws Impossible {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw new Impossible(name + " missing");
        }
        return v;
    }

    static String text(JsonNode n, String name) throws Impossible {
        JsonNode v = field(n, name);
        if (!v.isTextual()) {
            throw new Impossible(name + " not a string");
        }
        return v.textValue();
    }

    /** Standard base64 of at least one byte. */
    static byte[] binary(JsonNode n, String name) throws Impossible {
        try {
            byte[] b = Base64.getDecoder().decode(text(n, name));
            if (b.length == 0) {
                throw new Impossible(name + " empty");
            }
            return b;
        } catch (IllegalArgumentException e) {
            throw new Impossible(name + " not base64");
        }
    }

    static boolean bool(JsonNode n, String name) throws Impossible {
        JsonNode v = field(n, name);
        if (!v.isBoolean()) {
            throw new Impossible(name + " not a boolean");
        }
        return v.booleanValue();
    }

    static long wholeNumber(JsonNode n, String name) throws Impossible {
        JsonNode v = field(n, name);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw new Impossible(name + " not a non-negative whole number");
        }
        return v.longValue();
    }

    /** An answer may leave the key out, but one that names a key must name the one asked. */
    static void sameKey(JsonNode n, String keyId) throws Impossible {
        JsonNode v = n.get("keyId");
        if (v != null && !v.isNull() && !(v.isTextual() && v.textValue().equalsIgnoreCase(keyId))) {
            throw new Impossible("names another key");
        }
    }

    /** "id/name" of each key of an array field. */
    static List<String> keys(JsonNode n, String arrayField) throws Impossible {
        JsonNode arr = field(n, arrayField);
        if (!arr.isArray()) {
            throw new Impossible(arrayField + " not an array");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode k : arr) {
            if (!k.isObject()) {
                throw new Impossible("a key is not an object");
            }
            out.add(text(k, "id") + "/" + text(k, "name"));
        }
        return out;
    }

    static List<String> strings(JsonNode n, String arrayField) throws Impossible {
        JsonNode arr = field(n, arrayField);
        if (!arr.isArray()) {
            throw new Impossible(arrayField + " not an array");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : arr) {
            if (!s.isTextual()) {
                throw new Impossible("an element is not a string");
            }
            out.add(s.textValue());
        }
        return out;
    }
}
