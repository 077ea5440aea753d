package io.github.infisicaljca.kms;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The server's rate limit for a route is spent: Infisical counts requests per client address
 * and route in windows of a minute (self-hosted default: 200 writes and 60 reads), and newer
 * servers also all routes of an address together. Either the server refused the request (HTTP
 * 429, or on 2024 servers a 500 that only its {@code retry-after} header tells apart from any
 * other failure), or this client refused it before sending because the budget it counted is
 * spent and the window reopens after the call's time bound. Never a rejected ciphertext, never
 * an authentication problem. The message names the limit, when it resets, and what to do.
 */
public final class RateLimitedException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Method and path as the server counts them. */
    private final String route;
    /** Requests a window allows; 0 when unknown. */
    private final int limit;
    /** Milliseconds until the window resets; negative when unknown. */
    private final long resetInMillis;
    /** The refusal's HTTP status; 0 when this client refused unsent. */
    private final int status;
    /** Infisical's {@code reqId}, or null. */
    private final String reqId;
    /** Whether the overall budget of the address is spent. */
    private final boolean overall;
    private final transient RateLimitHeaders headers;

    private RateLimitedException(ApiCall call, String route, int limit, Duration resetIn, int status, String reqId,
            boolean overall, RateLimitHeaders headers, String detail) {
        super(Kind.RATE_LIMITED, call.operation(), call.keyId(), detail, null);
        this.route = route;
        this.limit = limit;
        this.resetInMillis = resetIn == null ? -1 : resetIn.toMillis();
        this.status = status;
        this.reqId = reqId;
        this.overall = overall;
        this.headers = headers;
    }

    /** The server's refusal: {@code error} and {@code reqId} from its body, the budget from its headers. */
    static RateLimitedException refusedByServer(ApiCall call, int status, String error, String reqId,
            RateLimitHeaders h) {
        Duration resetIn = h.asked().orElse(null);
        String answer = "HTTP " + status + (error == null ? "" : " " + error)
                + (status == 429 ? "" : " with retry-after, which is how 2024 servers refuse");
        String detail = "rate limited by the server (" + answer + "): "
                + spentBudget(call.route(), h.limit(), false) + resetText(resetIn) + ". " + remedy(call.operation())
                + (reqId == null ? "" : " (reqId " + reqId + ")");
        return new RateLimitedException(call, call.route(), h.limit(), resetIn, status, reqId, false, h, detail);
    }

    /**
     * Refused here, unsent: the budget this client counted is spent (or the server said the
     * address's overall budget is) and the next window opens after the call's deadline.
     */
    static RateLimitedException spent(ApiCall call, String route, int limit, Duration resetIn, boolean overall) {
        String detail = "rate limited: " + spentBudget(route, limit, overall)
                + " (counted by this client from the server's answers: nothing was sent); " + resetText(resetIn)
                + ", after this call's time bound (infisical.requestTimeoutMillis). " + remedy(call.operation());
        return new RateLimitedException(call, route, limit, resetIn, 0, null, overall, RateLimitHeaders.NONE, detail);
    }

    private static String spentBudget(String route, int limit, boolean overall) {
        if (overall) {
            return "the server's overall limit" + (limit > 0 ? " of " + requests(limit) + " a window" : "")
                    + " for this client address (all routes together) is spent";
        }
        return (limit > 0 ? "the " + requests(limit) + " a window" : "the requests") + " the server allows on " + route
                + " from this client address " + (limit == 1 ? "is" : "are") + " spent";
    }

    private static String requests(int n) {
        return n + (n == 1 ? " request" : " requests");
    }

    private static String resetText(Duration resetIn) {
        return resetIn == null ? "; the server did not say when the window resets"
                : "; the window resets in " + Math.max(0, (resetIn.toMillis() + 999) / 1000) + " s";
    }

    /** What spends less of this route's budget, then what raises or waits for it. */
    static String remedy(String operation) {
        String fewer;
        switch (operation) {
            case "encrypt":
            case "decrypt":
                fewer = "use INFISICAL-ENVELOPE with a data-key cache (EnvelopeParameterSpec.dataKeyCache), so "
                        + "one KMS call serves many messages";
                break;
            case "sign":
                fewer = "sign one digest of a batch of records (a Merkle root, for example) rather than each record";
                break;
            case "verify":
                fewer = "verify locally against the cached public key (infisical.verify=local, the default): no KMS call";
                break;
            case "generate-mac":
            case "verify-mac":
                fewer = "MAC fewer, larger messages";
                break;
            case "login":
            case "renew-token":
                fewer = "share one provider (one token) across the process instead of one per task";
                break;
            default:
                fewer = "keep key handles and a loaded KeyStore instead of looking keys up again";
        }
        return "To stay within the budget: " + fewer + "; raise the server's limits (Infisical plan or license; "
                + "self-hosted servers allow 200 writes and 60 reads a minute per route and address by default); "
                + "or let calls wait longer for the next window with a larger infisical.requestTimeoutMillis.";
    }

    /** {@return method and path as the server counts them, for example {@code POST /v1/kms/keys/{keyId}/decrypt}} */
    public String route() {
        return route;
    }

    /** {@return requests a window allows, when the server announced it} */
    public OptionalInt limit() {
        return limit > 0 ? OptionalInt.of(limit) : OptionalInt.empty();
    }

    /** {@return time until the window resets (from when the refusal was made), when known} */
    public Optional<Duration> resetIn() {
        return resetInMillis < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(resetInMillis));
    }

    /** {@return the HTTP status of the server's refusal (429, or 500 on 2024 servers); 0 when this client refused unsent} */
    public int status() {
        return status;
    }

    /** {@return whether the server refused the call (else this client's own count did, before sending)} */
    public boolean refusedByServer() {
        return status != 0;
    }

    /** {@return whether the spent budget is the address's overall one (all routes together), not this route's} */
    public boolean overall() {
        return overall;
    }

    /** {@return Infisical's request id of the refusal, when the server refused} */
    public Optional<String> reqId() {
        return Optional.ofNullable(reqId);
    }

    /** What the refusal's headers said, for the rate limiter (absent after deserialisation). */
    RateLimitHeaders headers() {
        return headers == null ? RateLimitHeaders.NONE : headers;
    }
}
