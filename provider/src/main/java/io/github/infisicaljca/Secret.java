package io.github.infisicaljca;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret string (access token, client secret) that never shows itself: {@link #toString()}
 * is {@value #MASK}, and {@link #equals(Object)} compares in constant time. Only
 * {@link #reveal()} gives the value, so every place that uses the secret is easy to find.
 */
public final class Secret {
    /** What every masked secret prints as. */
    public static final String MASK = "***MASKED***";

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * Wraps a non-empty secret value.
     *
     * @param value the secret
     * @return the wrapper, whose {@code toString()} is {@value #MASK}
     * @throws IllegalArgumentException when the value is empty
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "secret value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        return new Secret(value);
    }

    /** {@return the secret itself; for the one place that sends it, never for messages or logs} */
    public String reveal() {
        return value;
    }

    /**
     * Constant-time comparison with a candidate value.
     *
     * @param candidate the value to compare, may be null
     * @return whether it equals the secret
     */
    public boolean matches(String candidate) {
        return candidate != null
                && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                        candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret && matches(((Secret) o).value);
    }

    @Override
    public int hashCode() {
        // Deliberately constant: a hash would leak information about the value.
        return 0x5ec7e7;
    }

    @Override
    public String toString() {
        return MASK;
    }
}
