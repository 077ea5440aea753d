package io.github.infisicaljca.audit;

import io.github.infisicaljca.kms.KmsApiException;
import io.github.infisicaljca.kms.KmsException;

/** Reads a JCA exception's cause chain for the KMS failure behind it. */
final class KmsFailures {
    private KmsFailures() {
    }

    /**
     * Connection failures, timeouts and HTTP 5xx: the KMS could not be reached. Never a 4xx, and
     * never a spent rate limit (a 429, or the 2024 server's 500 with retry-after): that is the
     * application's own request rate, which a fallback to HMAC would hide rather than cure.
     */
    static boolean isUnavailable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof javax.crypto.AEADBadTagException) {
                return false; // the provider's verdict: the ciphertext was refused (a 500 on 2024 servers), not an outage
            }
            if (c instanceof KmsApiException) {
                return ((KmsApiException) c).isServerError();
            }
            if (c instanceof KmsException) {
                return ((KmsException) c).isTransient(); // RATE_LIMITED is not
            }
        }
        return false;
    }
}
