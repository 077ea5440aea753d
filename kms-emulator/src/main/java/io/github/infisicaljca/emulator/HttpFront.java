package io.github.infisicaljca.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The HTTP side of every request: a request id, the request log, injected latency, rate limits
 * and faults, JSON in and out, and errors rendered in Infisical's shape. Routing and the API
 * itself are in {@link KmsApi}; the counting of rate limits in {@link RateLimiter}.
 */
final class HttpFront implements HttpHandler {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 8 << 20;
    private static final int LOG_CAPACITY = 10_000;
    private static final Pattern SECRET_FIELDS =
            Pattern.compile("(\"(?:clientSecret|accessToken)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");

    private final KmsApi api;
    private final Faults faults;
    private final ServerProfile profile;
    private final Clock clock;
    private volatile RateLimiter limiter;
    private final Deque<RecordedRequest> log = new ConcurrentLinkedDeque<>();
    private final AtomicInteger logSize = new AtomicInteger();

    HttpFront(KmsApi api, Faults faults, ServerProfile profile, Clock clock) {
        this.api = api;
        this.faults = faults;
        this.profile = profile;
        this.clock = clock;
    }

    /** Replaces the limits, and with them every counter; null lifts them. */
    void rateLimits(RateLimits limits) {
        limiter = limits == null ? null : new RateLimiter(limits, clock, profile.globalRateLimit());
    }

    RateLimits rateLimits() {
        RateLimiter l = limiter;
        return l == null ? null : l.limits();
    }

    List<RecordedRequest> requests() {
        return List.copyOf(log);
    }

    void clearRequests() {
        log.clear();
        logSize.set(0);
    }

    /** An answer ready to send; built first so the request log is complete before the client hears back. */
    private record Reply(int status, byte[] body, String contentType, Map<String, String> headers) {
        static Reply json(int status, JsonNode body) throws IOException {
            return new Reply(status, JSON.writeValueAsBytes(body), "application/json; charset=utf-8", Map.of());
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String reqId = "req-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        URI uri = exchange.getRequestURI();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        pause(faults.latency());
        Route.Match route = api.resolve(method, uri.getRawPath());
        RateLimiter.Verdict limit = rateLimit(exchange, route);
        boolean refused = limit != null && !limit.allowed();
        Reply reply;
        if (refused) {
            // The limiter runs first on the server: a refused request meets no auth, validation or fault.
            reply = rateLimitedReply(limit, reqId);
        } else {
            Fault fault = faults.match(method, uri.getRawPath());
            if (fault != null && fault.kind == Fault.Kind.DELAY) {
                pause(fault.duration);
                fault = null;
            }
            if (fault != null && fault.kind == Fault.Kind.DROP_CONNECTION) {
                record(exchange, reqId, method, uri, body, 0, false);
                // A handler that throws makes the JDK server close the connection unanswered.
                throw new DroppedConnection();
            }
            reply = fault != null ? faultReply(fault, reqId) : answer(exchange, route, method, uri, body, reqId);
        }
        record(exchange, reqId, method, uri, body, reply.status(), refused);
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", reply.contentType());
        if (limit != null) {
            limit.headers().forEach(headers::set);
        }
        reply.headers().forEach(headers::set);
        exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
        }
    }

    /** Counts the request when its route exists and limits are on; the server's 404 handler has no limit. */
    private RateLimiter.Verdict rateLimit(HttpExchange exchange, Route.Match route) {
        RateLimiter l = limiter;
        if (l == null || route == null) {
            return null;
        }
        return l.hit(exchange.getRemoteAddress().getAddress().getHostAddress(), route.route().pattern(),
                route.route().isRead());
    }

    private Reply rateLimitedReply(RateLimiter.Verdict limit, String reqId) throws IOException {
        if (profile.rateLimitedAs500()) {
            // The 2024 server's error handler turned the limiter's error into a plain 500: only the headers tell.
            return Reply.json(500, errorJson(500, "InternalServerError", "Something went wrong", reqId));
        }
        return Reply.json(429, errorJson(429, "RateLimitError",
                "Rate limit exceeded. Please try again in " + limit.resetSeconds() + " seconds", reqId));
    }

    private Reply answer(HttpExchange exchange, Route.Match route, String method, URI uri, byte[] body, String reqId)
            throws IOException {
        try {
            if (route == null) {
                throw ApiError.routeNotFound(method, pathAndQuery(uri));
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            return Reply.json(200, api.answer(route, uri, exchange.getRequestHeaders().getFirst("Authorization"),
                    () -> parse(body, contentType)));
        } catch (ApiError e) {
            return Reply.json(e.status, errorBody(e, reqId));
        } catch (RuntimeException e) {
            return Reply.json(500, errorBody(ApiError.internal(), reqId));
        }
    }

    /** The request body as JSON, null when there is none; read only by routes that take one. */
    private static JsonNode parse(byte[] body, String contentType) {
        if (body.length > MAX_BODY) {
            throw ApiError.badRequest("Request body is too large");
        }
        if (body.length == 0) {
            return null;
        }
        if (contentType != null && !isJson(contentType)) {
            // The server reads any other body as text, and the route's schema then finds a string, not an object.
            return TextNode.valueOf(new String(body, StandardCharsets.UTF_8));
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw ApiError.badRequest("Body is not valid JSON");
        }
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    private static String pathAndQuery(URI uri) {
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private Reply faultReply(Fault fault, String reqId) throws IOException {
        switch (fault.kind) {
            case MALFORMED_BODY:
                return new Reply(200, "{\"this is\": not json".getBytes(StandardCharsets.UTF_8),
                        "application/json; charset=utf-8", Map.of());
            case RATE_LIMIT: {
                long seconds = Math.max(1, fault.duration.toSeconds());
                ObjectNode e = errorJson(429, "RateLimitError",
                        "Rate limit exceeded. Please try again in " + seconds + " seconds", reqId);
                Reply r = Reply.json(429, e);
                return fault.retryAfterHeader
                        ? new Reply(429, r.body(), r.contentType(), Map.of("Retry-After", Long.toString(seconds))) : r;
            }
            default:
                if (fault.body != null) {
                    return new Reply(fault.status, fault.body.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8",
                            Map.of());
                }
                return Reply.json(fault.status, errorJson(fault.status, errorName(fault.status), "Injected failure", reqId));
        }
    }

    private ObjectNode errorJson(int status, String error, String message, String reqId) {
        ObjectNode e = JSON.createObjectNode().put("statusCode", status).put("message", message).put("error", error);
        if (profile.requestIds) {
            e.put("reqId", reqId);
        }
        return e;
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
            case 429: return "RateLimitError";
            default: return status >= 500 ? "InternalServerError" : "Error";
        }
    }

    private void record(HttpExchange exchange, String reqId, String method, URI uri, byte[] body, int status,
            boolean rateLimited) {
        String path = pathAndQuery(uri);
        String text = new String(body, StandardCharsets.UTF_8);
        if (path.startsWith("/api/v1/auth/")) {
            text = SECRET_FIELDS.matcher(text).replaceAll("$1\"***MASKED***\"");
        }
        log.addLast(new RecordedRequest(reqId, method, path, exchange.getRequestHeaders().getFirst("Authorization") != null,
                exchange.getRequestHeaders().getFirst("User-Agent"), text, status, rateLimited));
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
