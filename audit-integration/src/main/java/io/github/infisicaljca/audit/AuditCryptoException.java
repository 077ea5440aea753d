package io.github.infisicaljca.audit;

/**
 * Sealing, verifying or encrypting failed. {@link #kmsUnavailable()} tells a failure to reach
 * the KMS (connection, timeout, 5xx) from a refusal (4xx) or a local problem.
 */
public final class AuditCryptoException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Whether the KMS could not be reached (connection, timeout, 5xx). */
    private final boolean kmsUnavailable;

    /**
     * A failure; the message never holds a secret.
     *
     * @param message what failed
     * @param cause the underlying failure, or null
     * @param kmsUnavailable whether it was a failure to reach the KMS (connection, timeout, 5xx)
     */
    public AuditCryptoException(String message, Throwable cause, boolean kmsUnavailable) {
        super(message, cause);
        this.kmsUnavailable = kmsUnavailable;
    }

    /** {@return whether the KMS could not be reached, which {@link FallbackPolicy#HMAC_WHEN_KMS_UNAVAILABLE} may cover} */
    public boolean kmsUnavailable() {
        return kmsUnavailable;
    }
}
