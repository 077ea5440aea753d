package io.github.infisicaljca.kms;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * One REST call as data: what the executor needs to send, authenticate, retry and describe it.
 *
 * @param operation   name used in messages and logs, for example {@code sign}
 * @param keyId       the key addressed, or {@code null}
 * @param method      HTTP method
 * @param path        path and query below {@code /api}, already encoded
 * @param body        JSON body, or {@code null}
 * @param bearer      whether the call carries the access token
 * @param idempotent  whether repeating it after an unknown outcome is harmless; a call that is
 *                    not is retried only when it surely never reached the server
 * @param max500Retries how often an HTTP 500 may be retried, or -1 for the policy's limit: a
 *                    decrypt the server refuses with 500 (tampered or foreign ciphertext on 2024
 *                    servers) will not succeed on the third try
 */
record ApiCall(String operation, String keyId, String method, String path, JsonNode body,
        boolean bearer, boolean idempotent, int max500Retries) {
    private static final Pattern KEY_ID = Pattern.compile(
            "/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?=/|$)");

    ApiCall(String operation, String keyId, String method, String path, JsonNode body, boolean bearer,
            boolean idempotent) {
        this(operation, keyId, method, path, body, bearer, idempotent, -1);
    }

    /**
     * The route as the server's rate limiter counts it: the method and the path without its
     * query, key ids as {@code {keyId}} (every key shares one counter per operation).
     */
    String route() {
        int q = path.indexOf('?');
        return method + " " + KEY_ID.matcher(q < 0 ? path : path.substring(0, q)).replaceAll("/{keyId}");
    }

    static ApiCall get(String operation, String keyId, String path) {
        return new ApiCall(operation, keyId, "GET", path, null, true, true);
    }

    static ApiCall post(String operation, String keyId, String path, JsonNode body) {
        return new ApiCall(operation, keyId, "POST", path, body, true, true);
    }

    ApiCall withoutBearer() {
        return new ApiCall(operation, keyId, method, path, body, false, idempotent, max500Retries);
    }

    ApiCall notIdempotent() {
        return new ApiCall(operation, keyId, method, path, body, bearer, false, max500Retries);
    }

    ApiCall limit500Retries(int retries) {
        return new ApiCall(operation, keyId, method, path, body, bearer, idempotent, retries);
    }
}
