package io.github.infisicaljca.emulator;

import java.util.List;

/**
 * An error answer in Infisical's shape: {@code {statusCode, message, error}}. A validation
 * failure carries its issues as an array in {@code message}, as the real server does.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** One validation issue: the field path and what is wrong with it. */
    record Issue(String field, String message) {
    }

    final int status;
    final String error;
    final transient List<Issue> issues;

    private ApiError(int status, String error, String message, List<Issue> issues) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.issues = issues;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "BadRequest", message, List.of());
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "NotFound", message, List.of());
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, "UnauthorizedError", message, List.of());
    }

    static ApiError tokenError(String message) {
        return new ApiError(403, "TokenError", message, List.of());
    }

    static ApiError internal() {
        return internal("InternalServerError");
    }

    /** A 500 whose {@code error} names what failed inside, as the 2024 server's database errors do ("Create"). */
    static ApiError internal(String error) {
        return new ApiError(500, error, "Something went wrong", List.of());
    }

    static ApiError permissionDenied(String message) {
        return new ApiError(403, "PermissionDenied", message, List.of());
    }

    /** The status is the profile's: 401 on the 2024 server, 422 on newer ones. */
    static ApiError validation(int status, List<Issue> issues) {
        return new ApiError(status, "ValidationFailure", null, List.copyOf(issues));
    }

    static ApiError routeNotFound(String method, String path) {
        return new ApiError(404, "Not Found", "Route " + method + ":" + path + " not found", List.of());
    }

    boolean isValidation() {
        return !issues.isEmpty();
    }

    /** Framework 404s carry no request id, just like the real server's. */
    boolean isRouteNotFound() {
        return "Not Found".equals(error);
    }
}
