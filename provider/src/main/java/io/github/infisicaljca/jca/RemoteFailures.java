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
     * A decrypt the server refused because of the ciphertext: its catch-all 500 (below), or a
     * validation failure of the ciphertext field.
     */
    static boolean isRejectedCiphertext(KmsException e) {
        if (!(e instanceof KmsApiException) || !"decrypt".equals(e.operation())) {
            return false;
        }
        KmsApiException a = (KmsApiException) e;
        if (a.status() == 500) {
            return isCatchAll(a);
        }
        return a.isValidationFailure() || (a.status() == 400 && !isKeyProblem(a));
    }

    /**
     * How both servers answer a ciphertext that does not authenticate: AES-GCM's plain error falls
     * through Infisical's error handler to its last branch, {@code 500 InternalServerError "Something
     * went wrong"} (the 2024 server, transcript 27-kms-decrypt-tampered; today's adds a reqId). Any
     * other 500 (a named internal error such as DatabaseError, another message, a proxy's page) is
     * the server failing, which says nothing of the ciphertext.
     */
    private static boolean isCatchAll(KmsApiException a) {
        return "InternalServerError".equals(a.error()) && "Something went wrong".equals(a.serverMessage());
    }

    private static boolean isKeyProblem(KmsApiException a) {
        String m = a.serverMessage() == null ? "" : a.serverMessage().toLowerCase(java.util.Locale.ROOT);
        return m.contains("disabled") || m.contains("key usage") || m.contains("not found");
    }

    /**
     * The client's message, and for a server error of a decrypt that it is not a verdict on the
     * ciphertext: callers (and the audit module) tell tampering from an outage by the exception,
     * a reader by this text.
     */
    static String describe(KmsException e) {
        if (e instanceof KmsApiException && ((KmsApiException) e).isServerError() && "decrypt".equals(e.operation())) {
            return "Infisical server failure (HTTP " + ((KmsApiException) e).status() + "), not a sign of tampering: "
                    + "the server did not judge the ciphertext; try again later (" + e.getMessage() + ")";
        }
        return e.getMessage();
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
        return withCause(new IllegalBlockSizeException(describe(e)), e);
    }

    static InvalidKeyException invalidKey(String context, KmsException e) {
        return withCause(new InvalidKeyException(context + ": " + describe(e)), e);
    }

    /** For methods that declare nothing (Mac.doFinal, Cipher.update). */
    static ProviderException unchecked(String context, KmsException e) {
        return new ProviderException(context + ": " + describe(e), e);
    }

    private static <T extends GeneralSecurityException> T withCause(T ex, Throwable cause) {
        ex.initCause(cause);
        return ex;
    }
}
