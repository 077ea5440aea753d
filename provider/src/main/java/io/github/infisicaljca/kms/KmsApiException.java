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

    private final int status;
    private final String error;
    private final String serverMessage;
    private final transient List<String> validationIssues;
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

    public int status() {
        return status;
    }

    /** Infisical's {@code error} field, for example {@code BadRequest}; {@code null} if absent. */
    public String error() {
        return error;
    }

    /** The server's message: its string, or its validation issues joined with "; ". */
    public String serverMessage() {
        return serverMessage;
    }

    /** The validation issues when {@code message} was an array, else empty. */
    public List<String> validationIssues() {
        return validationIssues;
    }

    public Optional<String> reqId() {
        return Optional.ofNullable(reqId);
    }

    /**
     * How long a 503 asked the client to wait ({@code Retry-After}). A rate limit's refusal is a
     * {@link RateLimitedException} instead.
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * The token is missing, expired, revoked or malformed (401 UnauthorizedError, 403
     * TokenError): a fresh login helps. A 401 ValidationFailure is a bad request instead.
     */
    public boolean isAuthenticationFailure() {
        return (status == 401 && "UnauthorizedError".equals(error)) || (status == 403 && "TokenError".equals(error));
    }

    /** The request body or query was refused as invalid (401 on 2024 servers, 422 later). */
    public boolean isValidationFailure() {
        return "ValidationFailure".equals(error) || status == 422;
    }

    /** The identity may not do this: a new token will not help. */
    public boolean isPermissionDenied() {
        return status == 403 && !"TokenError".equals(error);
    }

    /** The key (or, at login, the identity) does not exist. */
    public boolean isNotFound() {
        return status == 404 && !isRouteNotFound();
    }

    /** The server has no such route: it is older than the call (for example get-key on 2024 servers). */
    public boolean isRouteNotFound() {
        return status == 404 && ("Not Found".equals(error)
                || (serverMessage != null && serverMessage.startsWith("Route ")));
    }

    public boolean isServerError() {
        return status >= 500;
    }
}
