package io.github.infisicaljca.jca;

import io.github.infisicaljca.kms.KmsApiException;
import io.github.infisicaljca.kms.KmsException;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.ProviderException;
import javax.crypto.AEADBadTagException;
import javax.crypto.IllegalBlockSizeException;

/**
 * Turns a KMS failure into the JCA exception the caller's method declares, keeping the cause
 * and the client's message (operation, key, HTTP status, Infisical's error, reqId; no secrets).
 */
final class RemoteFailures {
    private RemoteFailures() {
    }

    /**
     * A decrypt the server refused because of the ciphertext: 500 on the 2024 server (tampered,
     * truncated or another key's), or a validation failure of the ciphertext field.
     */
    static boolean isRejectedCiphertext(KmsException e) {
        if (!(e instanceof KmsApiException) || !"decrypt".equals(e.operation())) {
            return false;
        }
        KmsApiException a = (KmsApiException) e;
        return a.status() == 500 || a.isValidationFailure() || (a.status() == 400 && !isKeyProblem(a));
    }

    private static boolean isKeyProblem(KmsApiException a) {
        String m = a.serverMessage() == null ? "" : a.serverMessage().toLowerCase(java.util.Locale.ROOT);
        return m.contains("disabled") || m.contains("key usage") || m.contains("not found");
    }

    static AEADBadTagException rejected(KmsException e) {
        return withCause(new AEADBadTagException("Infisical refused to decrypt: the ciphertext was altered, truncated, "
                + "or made by another key (" + e.getMessage() + ")"), e);
    }

    /** For doFinal: a refused ciphertext is a bad tag, anything else cannot complete the block. */
    static GeneralSecurityException forDoFinal(KmsException e) {
        if (isRejectedCiphertext(e)) {
            return rejected(e);
        }
        return withCause(new IllegalBlockSizeException(e.getMessage()), e);
    }

    static InvalidKeyException invalidKey(String context, KmsException e) {
        return withCause(new InvalidKeyException(context + ": " + e.getMessage()), e);
    }

    /** For methods that declare nothing (Mac.doFinal, Cipher.update). */
    static ProviderException unchecked(String context, KmsException e) {
        return new ProviderException(context + ": " + e.getMessage(), e);
    }

    private static <T extends GeneralSecurityException> T withCause(T ex, Throwable cause) {
        ex.initCause(cause);
        return ex;
    }
}
