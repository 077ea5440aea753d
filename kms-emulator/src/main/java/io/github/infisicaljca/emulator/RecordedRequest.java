package io.github.infisicaljca.emulator;

/**
 * One request as the emulator received it, for assertions in tests. The bearer token is not
 * kept, only whether there was one; the client secret and token values in auth bodies are
 * masked, and {@link #toString()} shows the body's length, not its content.
 *
 * @param path   path and query as sent, for example {@code /api/v1/kms/keys?projectId=...}
 * @param body   the raw request body (empty for none)
 * @param status      the status answered; 0 when the connection was dropped
 * @param rateLimited whether the emulator's rate limits refused the request (it did not run)
 */
public record RecordedRequest(String reqId, String method, String path, boolean bearer, String userAgent,
        String body, int status, boolean rateLimited) {

    @Override
    public String toString() {
        return "RecordedRequest{" + reqId + " " + method + " " + path + " -> " + status
                + (rateLimited ? " (rate limited)" : "") + ", bearer=" + bearer + ", body=" + body.length() + " chars}";
    }

    /** {@return the path without its query} */
    public String route() {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
