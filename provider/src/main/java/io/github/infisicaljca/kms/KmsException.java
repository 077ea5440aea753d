package io.github.infisicaljca.kms;

/**
 * A KMS call failed without an Infisical error answer: the connection, a timeout, an
 * unreadable response, or an interrupt. {@link KmsApiException}, its subclass, is the server's
 * own refusal. Messages name the operation and key and never carry a secret or plaintext.
 */
public class KmsException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong, so callers can decide without parsing messages. */
    public enum Kind {
        /** No connection could be made: the request was never sent. */
        CONNECT,
        /** The connection failed while the request or response was under way. */
        IO,
        /** The operation's time budget ({@code infisical.requestTimeoutMillis}) ran out. */
        TIMEOUT,
        /** The server answered 2xx with a body the client cannot read or that is inconsistent. */
        MALFORMED_RESPONSE,
        /** The calling thread was interrupted; its interrupt flag is set again. */
        INTERRUPTED,
        /** The server refused the request with an HTTP error: see {@link KmsApiException}. */
        API,
        /**
         * The server's rate limit is spent (its refusal, or this client's own count before sending):
         * see {@link RateLimitedException}. Not an outage and not a rejected request: the same call
         * succeeds once the window reopens.
         */
        RATE_LIMITED
    }

    /** What failed. */
    private final Kind kind;
    /** The client operation. */
    private final String operation;
    /** The key addressed, or null. */
    private final String keyId;

    /**
     * A failure of one client operation; the message names the operation, the key and the detail.
     *
     * @param kind what failed
     * @param operation the client operation, for example {@code sign}
     * @param keyId the key addressed, or null
     * @param detail what went wrong, never a secret
     * @param cause the underlying failure, or null
     */
    public KmsException(Kind kind, String operation, String keyId, String detail, Throwable cause) {
        super(describe(operation, keyId, detail), cause);
        this.kind = kind;
        this.operation = operation;
        this.keyId = keyId;
    }

    static String describe(String operation, String keyId, String detail) {
        return "Infisical KMS " + operation + (keyId == null ? "" : " with key " + keyId) + " failed: " + detail;
    }

    /** {@return what failed} */
    public Kind kind() {
        return kind;
    }

    /** {@return the client operation, for example {@code sign} or {@code list-keys}} */
    public String operation() {
        return operation;
    }

    /** {@return the key the operation addressed, or {@code null} for calls without one} */
    public String keyId() {
        return keyId;
    }

    /** {@return whether the server's rate limit for this call is spent; see {@link RateLimitedException}} */
    public boolean isRateLimited() {
        return kind == Kind.RATE_LIMITED;
    }

    /**
     * Whether the connection or the time bound failed, so trying again may succeed (the client's
     * own retries already did). A rate limit is not transient in this sense: it lasts until its
     * window resets, which {@link RateLimitedException} says.
     *
     * @return whether trying again may succeed
     */
    public boolean isTransient() {
        return kind == Kind.CONNECT || kind == Kind.IO || kind == Kind.TIMEOUT;
    }
}
