package io.github.infisicaljca.kms;

import io.github.infisicaljca.Secret;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A Universal Auth login or renewal answer. A zero duration means the server set no limit.
 *
 * @param accessToken the bearer token, masked in {@link #toString()}
 * @param expiresIn   how long the token lives from now
 * @param maxTtl      how long it can live at most from its login, renewals included
 * @param tokenType   {@code Bearer}
 */
public record AuthToken(Secret accessToken, Duration expiresIn, Duration maxTtl, String tokenType) {
    /** A scheme name such as "Bearer". */
    private static final Pattern TOKEN_TYPE = Pattern.compile("[A-Za-z]{1,16}");

    static AuthToken read(Json.Reader r) throws KmsException {
        String token = r.text("accessToken");
        if (token.isEmpty()) {
            throw r.malformed("field 'accessToken' is empty");
        }
        long expiresIn = r.number("expiresIn");
        Long maxTtl = r.optionalNumber("accessTokenMaxTTL");
        if (expiresIn < 0 || (maxTtl != null && maxTtl < 0)) {
            throw r.malformed("negative token lifetime");
        }
        String type = r.optionalText("tokenType");
        if (type != null && !TOKEN_TYPE.matcher(type).matches()) {
            // Not quoted, and not kept for toString: it may be what the login sent (the client secret).
            throw r.malformed("field 'tokenType' is not a token type's name");
        }
        return new AuthToken(Secret.of(token), Duration.ofSeconds(expiresIn),
                Duration.ofSeconds(maxTtl == null ? 0 : maxTtl), type == null ? "Bearer" : type);
    }
}
