package io.github.infisicaljca.audit;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.kms.SigningAlgorithm;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;

/**
 * KMS signatures through JCA only: {@code Signature} of the Infisical provider, with the
 * Infisical algorithm name as the JCA name, over the UTF-8 bytes of the hex hash (sent raw,
 * as the original sends it, so old signatures stay verifiable). Verification goes through the
 * same provider with the key's public half: local, against the cached public key, unless the
 * provider is configured for remote verification.
 */
public final class KmsEventSigner {
    private final Provider provider;
    private final InfisicalPrivateKey key;
    private final SigningAlgorithm algorithm;

    private KmsEventSigner(Provider provider, InfisicalPrivateKey key, SigningAlgorithm algorithm) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.key = Objects.requireNonNull(key, "key");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    }

    /**
     * A signer with this KMS key through this provider.
     *
     * @param provider the Infisical provider
     * @param key the signing key's handle
     * @param algorithm the Infisical signing algorithm; the original's default is RSASSA_PSS_SHA_256
     * @return the signer
     */
    public static KmsEventSigner of(Provider provider, InfisicalPrivateKey key, SigningAlgorithm algorithm) {
        return new KmsEventSigner(provider, key, algorithm);
    }

    /** {@return Infisical's name of the signing algorithm} */
    public String algorithm() {
        return algorithm.wireName();
    }

    /** {@return the KMS key id} */
    public String keyId() {
        return key.keyId();
    }

    /**
     * Signs an event hash (its UTF-8 bytes) through the KMS.
     *
     * @param hash the event's hash
     * @return the base64 signature and its algorithm
     * @throws AuditCryptoException when the KMS call fails; {@link AuditCryptoException#kmsUnavailable()} says whether it was unreachable
     */
    public EventSignature sign(String hash) throws AuditCryptoException {
        try {
            Signature s = Signature.getInstance(algorithm.wireName(), provider);
            s.initSign(key);
            s.update(Utf8.encode(hash));
            return new EventSignature(Base64.getEncoder().encodeToString(s.sign()), algorithm.wireName());
        } catch (GeneralSecurityException e) {
            throw new AuditCryptoException("KMS signing of the event hash with key " + key.keyId() + " failed: "
                    + e.getMessage(), e, KmsFailures.isUnavailable(e));
        }
    }

    /**
     * Verifies a signature made by {@code algorithm} (any Infisical signing algorithm of this key),
     * given exactly as standard base64 with padding; any other spelling is invalid.
     *
     * @param hash the event's hash
     * @param signatureBase64 the signature
     * @param algorithmName Infisical's name of its algorithm
     * @return whether it is valid
     * @throws AuditCryptoException when it cannot be checked (the KMS is unreachable, say)
     */
    public boolean verify(String hash, String signatureBase64, String algorithmName) throws AuditCryptoException {
        SigningAlgorithm alg = SigningAlgorithm.fromWire(algorithmName).orElse(null);
        if (alg == null || signatureBase64 == null) {
            return false;
        }
        byte[] sig = StrictBase64.decode(signatureBase64);
        if (sig == null) {
            return false; // another spelling of a signature is not the signature that was sealed
        }
        try {
            Signature s = Signature.getInstance(alg.wireName(), provider);
            PublicKey pub = key.publicKey();
            s.initVerify(pub);
            s.update(Utf8.encode(hash));
            return s.verify(sig);
        } catch (java.security.InvalidKeyException e) {
            return false; // an algorithm of another key type (ECDSA on an RSA key) cannot have made it
        } catch (java.security.SignatureException e) {
            if (KmsFailures.isUnavailable(e)) {
                throw new AuditCryptoException("remote verification failed: " + e.getMessage(), e, true);
            }
            return false; // a malformed signature is an invalid one
        } catch (GeneralSecurityException e) {
            throw new AuditCryptoException("cannot verify with " + alg + ": " + e.getMessage(), e, false);
        }
    }

    @Override
    public String toString() {
        return "KmsEventSigner{key=" + key.keyId() + ", algorithm=" + algorithm + "}";
    }
}
