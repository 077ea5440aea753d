package io.github.infisicaljca.kms;

import java.time.Duration;

/**
 * One route's rate limit as the server last announced it to this client (Infisical counts per
 * client address and route, in windows of a minute by default).
 *
 * @param route     method and path as the server counts it, for example
 *                  {@code POST /v1/kms/keys/{keyId}/encrypt}
 * @param limit     requests a window allows, or -1 when the server announced no limit
 * @param remaining requests left in the window when last seen, or -1
 * @param resetIn   time from now until that window ends, or {@code null} when not announced
 */
public record RequestBudget(String route, int limit, int remaining, Duration resetIn) {

    /** {@return whether the server announced a limit on this route} */
    public boolean limited() {
        return limit > 0;
    }

    @Override
    public String toString() {
        if (!limited()) {
            return route + ": no rate limit announced";
        }
        return route + ": " + limit + " a window, " + (remaining < 0 ? "?" : String.valueOf(remaining)) + " left"
                + (resetIn == null ? "" : ", resets in " + Math.max(0, (resetIn.toMillis() + 999) / 1000) + " s");
    }
}
