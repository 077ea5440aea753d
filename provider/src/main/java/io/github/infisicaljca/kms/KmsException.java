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
        API
    }

    private final Kind kind;
    private final String operation;
    private final String keyId;

    public KmsException(Kind kind, String operation, String keyId, String detail, Throwable cause) {
        super(describe(operation, keyId, detail), cause);
        this.kind = kind;
        this.operation = operation;
        this.keyId = keyId;
    }

    static String describe(String operation, String keyId, String detail) {
        return "Infisical KMS " + operation + (keyId == null ? "" : " with key " + keyId) + " failed: " + detail;
    }

    public Kind kind() {
        return kind;
    }

    /** The client operation, for example {@code sign} or {@code list-keys}. */
    public String operation() {
        return operation;
    }

    /** The key the operation addressed, or {@code null} for calls without one. */
    public String keyId() {
        return keyId;
    }

    /** Whether trying the same call again may succeed (the client's own retries already did). */
    public boolean isTransient() {
        return kind == Kind.CONNECT || kind == Kind.IO || kind == Kind.TIMEOUT;
    }
}
