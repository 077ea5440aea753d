package io.github.infisicaljca.audit;

/**
 * When event signatures may use the local HMAC instead of the KMS. The choice is explicit and
 * visible: every fallback is logged, and verifiers decide which algorithms they accept.
 */
public enum FallbackPolicy {
    /** KMS signatures only; a KMS failure fails the seal. The production default. */
    KMS_ONLY,
    /** HMAC-SHA256 when no KMS signing is configured; a configured KMS that fails is an error. */
    HMAC_WHEN_KMS_DISABLED,
    /**
     * HMAC-SHA256 when no KMS is configured, or when the KMS cannot be reached (connection
     * failures, timeouts, HTTP 5xx); never on a 4xx, which is a problem to fix, not to hide.
     */
    HMAC_WHEN_KMS_UNAVAILABLE
}
