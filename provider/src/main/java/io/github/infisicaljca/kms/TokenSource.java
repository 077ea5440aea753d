package io.github.infisicaljca.kms;

/** Supplies the bearer token for KMS calls, and a fresh one after the server refused one. */
interface TokenSource {

    /** A token to use now, logging in or renewing first when needed. */
    String token(long deadlineNanos) throws KmsException;

    /**
     * The server refused {@code rejected} as unauthenticated. Returns a different, fresh token
     * (one login shared by every thread that saw the same refusal), or {@code null} when this
     * source cannot get another (a static token).
     */
    String refreshAfterRejection(String rejected, long deadlineNanos) throws KmsException;

    /** Replaces any secret this source knows in a text that may have come back from the server. */
    String redact(String text);
}
