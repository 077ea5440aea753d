package io.github.infisicaljca.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Universal Auth as the server does it: machine identities (client id and secret), access
 * tokens with a TTL and a max TTL counted from login, renewal up to the max TTL (shortened to
 * it on newer servers, refused past it on the 2024 one), revocation, and the bearer check
 * every KMS call passes.
 */
final class TokenAuthority {
    static final String MALFORMED = "The provided access token is malformed. Please use a valid token or generate "
            + "a new one and try again.";

    /** What login and renew answer. */
    record Grant(String accessToken, long expiresIn, long accessTokenMaxTtl) {
    }

    private record Token(String clientId, Instant expiresAt, Instant maxExpiresAt, boolean revoked) {
    }

    private final Map<String, byte[]> identities = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Clock clock;
    private final SecureRandom random;
    private final ServerProfile profile;
    private volatile Duration ttl;
    private volatile Duration maxTtl;

    TokenAuthority(Clock clock, SecureRandom random, ServerProfile profile, Duration ttl, Duration maxTtl) {
        this.clock = clock;
        this.random = random;
        this.profile = profile;
        this.ttl = ttl;
        this.maxTtl = maxTtl;
    }

    void addIdentity(String clientId, String clientSecret) {
        identities.put(clientId, clientSecret.getBytes(StandardCharsets.UTF_8));
    }

    void setLifetimes(Duration ttl, Duration maxTtl) {
        this.ttl = ttl;
        this.maxTtl = maxTtl;
    }

    /** A token for tests that need one without logging in; it lives like a logged-in one. */
    String issue(String clientId) {
        Instant now = clock.instant();
        String token = "emu." + randomText(32);
        Instant max = now.plus(maxTtl);
        tokens.put(token, new Token(clientId, min(now.plus(ttl), max), max, false));
        return token;
    }

    Grant login(String clientId, String clientSecret) {
        byte[] expected = identities.get(clientId);
        if (expected == null) {
            throw ApiError.notFound("No identity with specified client ID was found");
        }
        if (!MessageDigest.isEqual(expected, clientSecret.getBytes(StandardCharsets.UTF_8))) {
            throw ApiError.unauthorized("Invalid credentials");
        }
        return new Grant(issue(clientId), ttl.toSeconds(), maxTtl.toSeconds());
    }

    Grant renew(String accessToken) {
        Token t = tokens.get(accessToken);
        Instant now = clock.instant();
        if (t == null) {
            throw ApiError.tokenError(MALFORMED);
        }
        if (t.revoked) {
            throw ApiError.unauthorized("Token has been revoked");
        }
        if (!now.isBefore(t.expiresAt)) {
            throw ApiError.unauthorized(profile.strictRenewal() ? "Failed to renew MI access token due to TTL expiration"
                    : "Token expired");
        }
        if (profile.strictRenewal()) {
            if (now.plus(ttl).isAfter(t.maxExpiresAt)) {
                throw ApiError.unauthorized("Failed to renew MI access token past its Max TTL expiration");
            }
        } else if (!now.isBefore(t.maxExpiresAt) || !t.expiresAt.isBefore(t.maxExpiresAt)) {
            // Newer servers delete a token they will not renew: it cannot be used again either.
            tokens.put(accessToken, new Token(t.clientId, t.expiresAt, t.maxExpiresAt, true));
            throw ApiError.badRequest("Failed to renew access token due to max TTL expiration");
        }
        Token renewed = new Token(t.clientId, min(now.plus(ttl), t.maxExpiresAt), t.maxExpiresAt, false);
        tokens.put(accessToken, renewed);
        return new Grant(accessToken, Duration.between(now, renewed.expiresAt).toSeconds(), maxTtl.toSeconds());
    }

    void revoke(String accessToken) {
        Token t = tokens.get(accessToken);
        if (t == null) {
            throw ApiError.tokenError(MALFORMED);
        }
        tokens.put(accessToken, new Token(t.clientId, t.expiresAt, t.maxExpiresAt, true));
    }

    /** The bearer check, with the real server's statuses: 401 missing/revoked/expired, 403 malformed/past max TTL. */
    void authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiError.unauthorized("Token missing");
        }
        if (!authorization.startsWith("Bearer ")) {
            throw ApiError.tokenError(MALFORMED);
        }
        Token t = tokens.get(authorization.substring("Bearer ".length()).strip());
        if (t == null) {
            throw ApiError.tokenError(MALFORMED);
        }
        Instant now = clock.instant();
        if (t.revoked) {
            throw ApiError.unauthorized("Token has been revoked");
        }
        if (!now.isBefore(t.maxExpiresAt)) {
            throw ApiError.tokenError("Access token has reached its max TTL. Please log in again.");
        }
        if (!now.isBefore(t.expiresAt)) {
            throw ApiError.unauthorized("Token expired");
        }
    }

    String randomText(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
