package io.github.infisicaljca.emulator;

/**
 * Which Infisical server the emulator imitates where versions differ. The cryptography and
 * the key operations are the same in both.
 */
public enum ServerProfile {
    /**
     * The self-hosted server built from the 2024-10 tree that the reference transcripts were
     * recorded against: validation failures are 401, errors carry no {@code reqId}, keys carry
     * {@code isReserved} and {@code slug} and no {@code keyUsage}, there is no get-by-id or
     * get-by-name route, and there are only AES keys (no sign-verify or MAC keys or routes).
     * The methods below list the smaller differences.
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

    /** Sign-verify and MAC keys, and their routes, came after the 2024 server, which has AES keys only. */
    boolean signingAndMacKeys() {
        return this == CURRENT;
    }

    /** Why the 2024 profile has no {@code what} (for example "RSA_4096 keys"), for the messages that refuse one. */
    static String aesOnly(String what) {
        return "the INFISICAL_2024 profile has no " + what + ": the 2024 server offers only aes-256-gcm and aes-128-gcm keys";
    }

    /** Whether this profile's server has keys of this kind. */
    boolean offers(KeySpec spec) {
        return spec.usage == KeySpec.Usage.ENCRYPT_DECRYPT || signingAndMacKeys();
    }

    /** What the body schema says it received when there was no body: {@code Expected object, received ...}. */
    String missingBodyType() {
        return this == INFISICAL_2024 ? "null" : "undefined";
    }

    /**
     * Whether create, update and delete answer a key with {@code version} and
     * {@code encryptionAlgorithm}; the 2024 server sent the bare key row (its listing has both).
     */
    boolean fullKeyAnswers() {
        return this == CURRENT;
    }

    /** The 2024 server let the database refuse a duplicate key name: a 500 whose {@code error} is "Create". */
    boolean duplicateNameAs500() {
        return this == INFISICAL_2024;
    }

    /** The 2024 server checked the permission on a project before looking it up: 403 for one it cannot see. */
    boolean unknownProjectForbidden() {
        return this == INFISICAL_2024;
    }

    /**
     * The 2024 server's renewal: 401 with its own texts, and a renewal that would run past the
     * max TTL is refused rather than shortened.
     */
    boolean strictRenewal() {
        return this == INFISICAL_2024;
    }

    /**
     * The profile a command-line value names: {@code current} or {@code 2024}.
     *
     * @param value the command-line value
     * @return the profile
     * @throws IllegalArgumentException for anything else, saying what is accepted
     */
    public static ServerProfile parse(String value) {
        switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "current":
                return CURRENT;
            case "2024":
                return INFISICAL_2024;
            default:
                throw new IllegalArgumentException("must be current or 2024, not '" + value + "'");
        }
    }
}
