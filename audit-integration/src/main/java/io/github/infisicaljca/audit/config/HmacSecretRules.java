package io.github.infisicaljca.audit.config;

import java.util.Optional;

/**
 * What an HMAC secret ({@code AUDIT_CRYPTO_SECRET}) must be, in one place for
 * {@link AuditConfigFactory} and for other readers of the variable (the command line): not
 * empty, not a placeholder (the rule of every variable), not one character repeated, and at
 * least as long as the reader requires (production: {@value SecurityConfig#MIN_PRODUCTION_SECRET_LENGTH}).
 * The messages name the variable and never show the value.
 */
public final class HmacSecretRules {
    private HmacSecretRules() {
    }

    /**
     * Checks a candidate HMAC secret: not empty, not a placeholder, not one character repeated,
     * long enough.
     *
     * @param variable  the name to put in the message
     * @param value     the candidate secret; never quoted in the answer
     * @param minLength the fewest characters accepted
     * @return why {@code value} cannot be the secret; empty when it can
     */
    public static Optional<String> problem(String variable, String value, int minLength) {
        if (value == null || value.isBlank()) {
            return Optional.of(EnvReader.emptyProblem(variable));
        }
        if (Placeholders.isPlaceholder(value)) {
            return Optional.of(EnvReader.placeholderProblem(variable, null));
        }
        if (value.length() > 1 && value.codePoints().distinct().count() == 1) {
            return Optional.of(variable + " is one character repeated, not a secret: set a random value (for example"
                    + " 32 random bytes, base64url)");
        }
        if (value.length() < minLength) {
            return Optional.of(variable + " is too short: it needs at least " + minLength + " characters (for example"
                    + " 32 random bytes, base64url)");
        }
        return Optional.empty();
    }
}
