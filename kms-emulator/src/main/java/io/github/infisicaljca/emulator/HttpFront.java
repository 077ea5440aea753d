package io.github.infisicaljca.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of every request: a request id, the request log, injected latency and faults,
 * JSON in and out, and errors rendered in Infisical's shape. Routing and the API itself are in
 * {@link KmsApi}.
 */
final class HttpFront implements HttpHandler {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 8 << 20;
    private static final int LOG_CAPACITY = 10_000;

    private final KmsApi api;
    private final Faults faults;
    private final ServerProfile profile;
    private final Deque<RecordedRequest> log = new ConcurrentLinkedDeque<>();
    private final AtomicInteger logSize = new AtomicInteger();

    HttpFront(KmsApi api, Faults faults, ServerProfile profile) {
        this.api = api;
        this.faults = faults;
        this.profile = profile;
    }

    List<RecordedRequest> requests() {
        return List.copyOf(log);
    }

    void clearRequests() {
        log.clear();
        logSize.set(0);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String reqId = "req-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        URI uri = exchange.getRequestURI();
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        int status = 0;
        try {
            pause(faults.latency());
            Fault fault = faults.match(method, uri.getRawPath());
            if (fault != null && fault.kind == Fault.Kind.DELAY) {
                pause(fault.duration);
                fault = null;
            }
            if (fault != null && fault.kind == Fault.Kind.DROP_CONNECTION) {
                // A handler that throws makes the JDK server close the connection unanswered.
                throw new DroppedConnection();
            }
            status = fault != null ? sendFault(exchange, fault, reqId) : sendAnswer(exchange, method, uri, body, reqId);
        } finally {
            record(new RecordedRequest(reqId, method, path,
                    exchange.getRequestHeaders().getFirst("Authorization") != null,
                    exchange.getRequestHeaders().getFirst("User-Agent"),
                    new String(body, StandardCharsets.UTF_8), status));
        }
    }

    private int sendAnswer(HttpExchange exchange, String method, URI uri, byte[] body, String reqId) throws IOException {
        try {
            if (body.length > MAX_BODY) {
                throw ApiError.badRequest("Request body is too large");
            }
            JsonNode json = null;
            if (body.length > 0) {
                try {
                    json = JSON.readTree(body);
                } catch (IOException e) {
                    throw ApiError.badRequest("Body is not valid JSON");
                }
            }
            JsonNode answer = api.route(method, uri, json, exchange.getRequestHeaders().getFirst("Authorization"));
            return send(exchange, 200, JSON.writeValueAsBytes(answer), null);
        } catch (ApiError e) {
            return send(exchange, e.status, JSON.writeValueAsBytes(errorBody(e, reqId)), null);
        } catch (RuntimeException e) {
            return send(exchange, 500, JSON.writeValueAsBytes(errorBody(ApiError.internal(), reqId)), null);
        }
    }

    private int sendFault(HttpExchange exchange, Fault fault, String reqId) throws IOException {
        switch (fault.kind) {
            case MALFORMED_BODY:
                return send(exchange, 200, "{\"this is\": not json".getBytes(StandardCharsets.UTF_8), null);
            case RATE_LIMIT: {
                long seconds = Math.max(1, fault.duration.toSeconds());
                ObjectNode e = JSON.createObjectNode().put("statusCode", 429)
                        .put("message", "Rate limit exceeded. Please try again in " + seconds + " seconds")
                        .put("error", "RateLimitExceeded");
                if (profile.requestIds) {
                    e.put("reqId", reqId);
                }
                return send(exchange, 429, JSON.writeValueAsBytes(e), fault.retryAfterHeader ? Long.toString(seconds) : null);
            }
            default:
                if (fault.body != null) {
                    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                    return send(exchange, fault.status, fault.body.getBytes(StandardCharsets.UTF_8), null);
                }
                ObjectNode e = JSON.createObjectNode().put("statusCode", fault.status)
                        .put("message", "Injected failure").put("error", errorName(fault.status));
                if (profile.requestIds) {
                    e.put("reqId", reqId);
                }
                return send(exchange, fault.status, JSON.writeValueAsBytes(e), null);
        }
    }

    private ObjectNode errorBody(ApiError e, String reqId) {
        ObjectNode n = JSON.createObjectNode();
        n.put("statusCode", e.status);
        if (e.isValidation()) {
            ArrayNode issues = n.putArray("message");
            for (ApiError.Issue i : e.issues) {
                ObjectNode issue = issues.addObject().put("code", "custom").put("message", i.message());
                issue.putArray("path").add(i.field());
            }
        } else {
            n.put("message", e.getMessage());
        }
        n.put("error", e.error);
        if (profile.requestIds && !e.isRouteNotFound()) {
            n.put("reqId", reqId);
        }
        return n;
    }

    private static String errorName(int status) {
        switch (status) {
            case 400: return "BadRequest";
            case 401: return "UnauthorizedError";
            case 403: return "PermissionDenied";
            case 404: return "NotFound";
            case 429: return "RateLimitExceeded";
            default: return status >= 500 ? "InternalServerError" : "Error";
        }
    }

    private static int send(HttpExchange exchange, int status, byte[] body, String retryAfter) throws IOException {
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        }
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        return status;
    }

    private void record(RecordedRequest r) {
        log.addLast(r);
        if (logSize.incrementAndGet() > LOG_CAPACITY) {
            log.pollFirst();
            logSize.decrementAndGet();
        }
    }

    private static void pause(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Thrown to make the server close the connection without an answer. */
    private static final class DroppedConnection extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DroppedConnection() {
            super("injected dropped connection", null, false, false);
        }
    }
}
