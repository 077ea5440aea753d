package io.github.infisicaljca.jca;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.kms.SigningAlgorithm;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;

/**
 * Signing with a handle where there is no {@link java.security.Provider} instance to ask, for
 * the provider's own builders in other packages: the handle carries its binding, so the same
 * engine the provider registers does the work (payload limits, the check of the server's
 * answer, error mapping). Public for those packages only: this package is not exported.
 */
public final class HandleSigning {
    private HandleSigning() {
    }

    /**
     * Signs {@code message} in the KMS with {@code key}.
     *
     * @param key a private-key handle from the INFISICAL KeyStore or {@code InfisicalProvider}
     * @param algorithm the Infisical signing algorithm, fitting the key
     * @param message the bytes to sign
     * @return the signature (DER for ECDSA), already checked against the key's public half
     * @throws InvalidKeyException if {@code key} is not this provider's handle or does not fit
     * @throws GeneralSecurityException if the KMS fails or its signature does not verify
     */
    public static byte[] sign(InfisicalPrivateKey key, SigningAlgorithm algorithm, byte[] message)
            throws GeneralSecurityException {
        Objects.requireNonNull(message, "message");
        KmsSignatureSpi engine = new KmsSignatureSpi(SignatureScheme.standard(Objects.requireNonNull(algorithm)));
        engine.engineInitSign(key);
        engine.engineUpdate(message, 0, message.length);
        return engine.engineSign();
    }

    /**
     * A JDK Signature (never this provider's) initialised to verify {@code algorithm} with
     * {@code key}, PSS parameters set.
     *
     * @param algorithm the Infisical signing algorithm
     * @param key an ordinary public key
     * @return the verifier
     * @throws InvalidKeyException if no JDK provider verifies {@code algorithm} with {@code key}
     */
    public static Signature jdkVerifier(SigningAlgorithm algorithm, PublicKey key) throws InvalidKeyException {
        return JdkSignatures.verifier(algorithm, key);
    }
}
