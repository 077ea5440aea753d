package io.github.infisicaljca.audit;

/**
 * Sealing, verifying or encrypting failed. {@link #kmsUnavailable()} tells a failure to reach
 * the KMS (connection, timeout, 5xx) from a refusal (4xx) or a local problem.
 */
public final class AuditCryptoException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean kmsUnavailable;

    public AuditCryptoException(String message, Throwable cause, boolean kmsUnavailable) {
        super(message, cause);
        this.kmsUnavailable = kmsUnavailable;
    }

    public boolean kmsUnavailable() {
        return kmsUnavailable;
    }
}
