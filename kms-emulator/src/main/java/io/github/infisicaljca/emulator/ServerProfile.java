package io.github.infisicaljca.emulator;

/**
 * Which Infisical server the emulator imitates where versions differ. The cryptography and
 * the key operations are the same in both.
 */
public enum ServerProfile {
    /**
     * The self-hosted server built from the 2024-10 tree that the reference transcripts were
     * recorded against: validation failures are 401, errors carry no {@code reqId}, keys carry
     * {@code isReserved} and {@code slug} and no {@code keyUsage}, and there is no get-by-id or
     * get-by-name route.
     */
    INFISICAL_2024(401, false, false),
    /** The current server: validation failures are 422, errors carry {@code reqId}, all routes exist. */
    CURRENT(422, true, true);

    final int validationStatus;
    final boolean requestIds;
    final boolean keyLookupRoutes;

    ServerProfile(int validationStatus, boolean requestIds, boolean keyLookupRoutes) {
        this.validationStatus = validationStatus;
        this.requestIds = requestIds;
        this.keyLookupRoutes = keyLookupRoutes;
    }

    /** The 2024 server answers a request past its rate limit with a plain 500; newer ones with 429 RateLimitError. */
    boolean rateLimitedAs500() {
        return this == INFISICAL_2024;
    }

    /** Newer servers also limit each address over all routes together. */
    boolean globalRateLimit() {
        return this == CURRENT;
    }
}
