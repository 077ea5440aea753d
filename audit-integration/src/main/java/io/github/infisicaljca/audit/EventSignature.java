package io.github.infisicaljca.audit;

import java.util.Objects;

/**
 * A signature over an event hash and the algorithm that made it: an Infisical signing
 * algorithm ({@code RSASSA_PSS_SHA_256}, ...; base64 signature) or {@code HMAC-SHA256}
 * (lower-case hex), as the original stores them.
 */
public record EventSignature(String signature, String algorithm) {
    public static final String HMAC_SHA256 = "HMAC-SHA256";

    public EventSignature {
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(algorithm, "algorithm");
    }

    public boolean isHmac() {
        return HMAC_SHA256.equals(algorithm);
    }
}
