package io.github.infisicaljca.kms;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The server answered with an HTTP error. Carries the status, Infisical's {@code error} name,
 * its {@code message} (a string, or the joined validation issues when it is an array), and
 * {@code reqId} when the server sends one, so an operator can find the request in its logs.
 */
public final class KmsApiException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** The HTTP status. */
    private final int status;
    /** Infisical's {@code error} field, or null. */
    private final String error;
    /** Infisical's {@code message}, or null. */
    private final String serverMessage;
    private final transient List<String> validationIssues;
    /** Infisical's {@code reqId}, or null. */
    private final String reqId;
    private final transient Duration retryAfter;

    KmsApiException(String operation, String keyId, int status, String error, String serverMessage,
            List<String> validationIssues, String reqId, Duration retryAfter) {
        super(Kind.API, operation, keyId, detail(status, error, serverMessage, reqId), null);
        this.status = status;
        this.error = error;
        this.serverMessage = serverMessage;
        this.validationIssues = List.copyOf(validationIssues);
        this.reqId = reqId;
        this.retryAfter = retryAfter;
    }

    private static String detail(int status, String error, String message, String reqId) {
        StringBuilder sb = new StringBuilder("HTTP ").append(status);
        if (error != null) {
            sb.append(' ').append(error);
        }
        if (message != null && !message.isEmpty()) {
            sb.append(": ").append(message);
        }
        if (reqId != null) {
            sb.append(" (reqId ").append(reqId).append(')');
        }
        return sb.toString();
    }

    /** {@return the HTTP status of the answer} */
    public int status() {
        return status;
    }

    /** {@return Infisical's {@code error} field, for example {@code BadRequest}; {@code null} if absent} */
    public String error() {
        return error;
    }

    /** {@return the server's message: its string, or its validation issues joined with "; "} */
    public String serverMessage() {
        return serverMessage;
    }

    /** {@return the validation issues when {@code message} was an array, else empty} */
    public List<String> validationIssues() {
        return validationIssues;
    }

    /** {@return Infisical's request id, to find the request in the server's logs} */
    public Optional<String> reqId() {
        return Optional.ofNullable(reqId);
    }

    /**
     * How long a 503 asked the client to wait ({@code Retry-After}). A rate limit's refusal is a
     * {@link RateLimitedException} instead.
     *
     * @return the wait, when the server named one
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * The token is missing, expired, revoked or malformed (401 UnauthorizedError, 403
     * TokenError): a fresh login helps. A 401 ValidationFailure is a bad request instead.
     *
     * @return whether this is such a failure
     */
    public boolean isAuthenticationFailure() {
        return (status == 401 && "UnauthorizedError".equals(error)) || (status == 403 && "TokenError".equals(error));
    }

    /** {@return whether the request body or query was refused as invalid (401 on 2024 servers, 422 later)} */
    public boolean isValidationFailure() {
        return "ValidationFailure".equals(error) || status == 422;
    }

    /** {@return whether the identity may not do this: a new token will not help} */
    public boolean isPermissionDenied() {
        return status == 403 && !"TokenError".equals(error);
    }

    /** {@return whether the key (or, at login, the identity) does not exist} */
    public boolean isNotFound() {
        return status == 404 && !isRouteNotFound();
    }

    /** {@return whether the server has no such route: it is older than the call (for example get-key on 2024 servers)} */
    public boolean isRouteNotFound() {
        return status == 404 && ("Not Found".equals(error)
                || (serverMessage != null && serverMessage.startsWith("Route ")));
    }

    /** {@return whether the server failed (5xx)} */
    public boolean isServerError() {
        return status >= 500;
    }
}
