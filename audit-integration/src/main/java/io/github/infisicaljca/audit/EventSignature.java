package io.github.infisicaljca.audit;

import java.util.Objects;

/**
 * A signature over an event hash and the algorithm that made it: an Infisical signing
 * algorithm ({@code RSASSA_PSS_SHA_256}, ...; base64 signature) or {@code HMAC-SHA256}
 * (lower-case hex), as the original stores them.
 */
public record EventSignature(String signature, String algorithm) {
    /** The algorithm name of HMAC signatures. */
    public static final String HMAC_SHA256 = "HMAC-SHA256";

    /**
     * Checks that both are present.
     *
     * @param signature the signature: base64 for KMS signatures, lower-case hex for HMAC
     * @param algorithm its algorithm
     */
    public EventSignature {
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(algorithm, "algorithm");
    }

    /** {@return whether this is an HMAC-SHA256 signature} */
    public boolean isHmac() {
        return HMAC_SHA256.equals(algorithm);
    }
}
