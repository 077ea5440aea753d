package io.github.infisicaljca.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure the emulator injects instead of (or before) answering a request. Create with the
 * static factories; attach with {@link KmsEmulator#inject(String, String, Fault, int)}.
 */
public final class Fault {
    enum Kind { STATUS, DROP_CONNECTION, MALFORMED_BODY, RATE_LIMIT, DELAY }

    final Kind kind;
    final int status;
    final String body;
    final Duration duration;
    final boolean retryAfterHeader;

    private Fault(Kind kind, int status, String body, Duration duration, boolean retryAfterHeader) {
        this.kind = kind;
        this.status = status;
        this.body = body;
        this.duration = duration;
        this.retryAfterHeader = retryAfterHeader;
    }

    /**
     * Answers with this status and an Infisical-shaped error body.
     *
     * @param status the HTTP status to answer with
     * @return the fault
     */
    public static Fault status(int status) {
        return new Fault(Kind.STATUS, status, null, Duration.ZERO, false);
    }

    /**
     * Answers with this status and exactly this body (for example a proxy's HTML page).
     *
     * @param status the HTTP status to answer with
     * @param rawBody the response body, sent as is
     * @return the fault
     */
    public static Fault status(int status, String rawBody) {
        return new Fault(Kind.STATUS, status, Objects.requireNonNull(rawBody), Duration.ZERO, false);
    }

    /** {@return a fault that closes the connection without answering} */
    public static Fault dropConnection() {
        return new Fault(Kind.DROP_CONNECTION, 0, null, Duration.ZERO, false);
    }

    /** {@return a fault that answers 200 with a body that is not JSON} */
    public static Fault malformedBody() {
        return new Fault(Kind.MALFORMED_BODY, 200, null, Duration.ZERO, false);
    }

    /**
     * Answers 429 RateLimitError, "Rate limit exceeded. Please try again in N seconds", as newer
     * servers do, with a {@code Retry-After} header when asked (a proxy in front may drop it). For
     * limits that count requests as the server does, see {@link KmsEmulator#rateLimits(RateLimits)}.
     *
     * @param retryAfter the wait the answer asks for
     * @param withHeader whether to send it in a {@code Retry-After} header too
     * @return the fault
     */
    public static Fault rateLimited(Duration retryAfter, boolean withHeader) {
        return new Fault(Kind.RATE_LIMIT, 429, null, retryAfter, withHeader);
    }

    /**
     * Delays the answer, then answers normally.
     *
     * @param delay how long to wait before answering
     * @return the fault
     */
    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, 0, null, delay, false);
    }

    @Override
    public String toString() {
        return "Fault{" + kind + (status > 0 ? " " + status : "") + (duration.isZero() ? "" : " " + duration) + "}";
    }
}
