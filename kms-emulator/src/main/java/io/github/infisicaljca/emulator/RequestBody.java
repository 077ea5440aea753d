package io.github.infisicaljca.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Validates a request's JSON fields the way the server's schemas do, collecting every issue
 * so that one answer lists them all. Call {@link #check()} after reading the fields.
 */
final class RequestBody {
    private static final Pattern BASE64 = Pattern.compile("^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$");
    static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final JsonNode root;
    private final int validationStatus;
    private final List<ApiError.Issue> issues = new ArrayList<>();

    RequestBody(JsonNode root, int validationStatus) {
        this.root = root;
        this.validationStatus = validationStatus;
    }

    String string(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            issues.add(new ApiError.Issue(field, "Required"));
            return null;
        }
        if (!n.isTextual()) {
            issues.add(new ApiError.Issue(field, "Expected string, received " + type(n)));
            return null;
        }
        return n.textValue();
    }

    String optionalString(String field) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? null : string(field);
    }

    Boolean optionalBoolean(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            issues.add(new ApiError.Issue(field, "Expected boolean, received " + type(n)));
            return null;
        }
        return n.booleanValue();
    }

    /** A non-empty standard base64 value whose decoded size is at most {@code limit}. */
    byte[] base64(String field, int limit) {
        String text = string(field);
        if (text == null) {
            return null;
        }
        if (text.isEmpty() || !BASE64.matcher(text).matches()) {
            issues.add(new ApiError.Issue(field, field + " must be base64 encoded"));
            return null;
        }
        byte[] decoded = Base64.getDecoder().decode(text);
        if (decoded.length > limit) {
            // The real server words this the same whatever the field.
            issues.add(new ApiError.Issue(field, "data cannot exceed " + limit + " bytes"));
            return null;
        }
        return decoded;
    }

    void issue(String field, String message) {
        issues.add(new ApiError.Issue(field, message));
    }

    /** Throws the collected issues as one validation failure. */
    void check() {
        if (!issues.isEmpty()) {
            throw ApiError.validation(validationStatus, issues);
        }
    }

    static String type(JsonNode n) {
        if (n.isNumber()) {
            return "number";
        }
        if (n.isBoolean()) {
            return "boolean";
        }
        if (n.isArray()) {
            return "array";
        }
        if (n.isObject()) {
            return "object";
        }
        return n.isTextual() ? "string" : "null";
    }
}
