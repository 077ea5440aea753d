package io.github.infisicaljca.audit.batch;

import io.github.infisicaljca.Secret;
import io.github.infisicaljca.audit.AuditCryptoException;
import io.github.infisicaljca.audit.HmacEventSigner;
import io.github.infisicaljca.audit.KmsEventSigner;

/**
 * Signs and verifies batch statements (their UTF-8 bytes); signatures are raw bytes, written as
 * standard padded base64. One instance stands for one key: {@link #keyId} and {@link #algorithm}
 * are signed into every statement, and a verifier finds its key by them.
 */
public interface BatchSigner {
    /** {@return the key's name in seals: the KMS key id, or the name given to an HMAC secret} */
    String keyId();

    /** {@return the signature algorithm's name in seals, for example {@code RSASSA_PSS_SHA_256}} */
    String algorithm();

    /**
     * Signs a batch statement.
     *
     * @param statement the statement's canonical JSON
     * @return the signature, standard base64 with padding
     * @throws AuditCryptoException when signing fails
     */
    String sign(String statement) throws AuditCryptoException;

    /**
     * Checks a batch signature.
     *
     * @param statement the statement's canonical JSON
     * @param signature the signature, already decoded from its one canonical base64
     * @return whether it signs {@code statement}
     * @throws AuditCryptoException when it cannot be checked (the KMS is unreachable, say)
     */
    boolean verify(String statement, byte[] signature) throws AuditCryptoException;

    /**
     * A KMS key through the Infisical provider's {@code Signature}, as smart-logs events are
     * signed; verification is local against the public key unless the provider verifies remotely.
     *
     * @param signer the KMS key and algorithm
     * @return the batch signer
     */
    static BatchSigner kms(KmsEventSigner signer) {
        return new KmsBatchSigner(signer);
    }

    /**
     * HMAC-SHA256 keyed with the UTF-8 bytes of the audit secret; {@code keyId} names the secret
     * in seals (so a verifier holding several can tell them apart) and is never the secret itself.
     *
     * @param secret the audit secret
     * @param keyId the secret's name in seals
     * @return the batch signer
     */
    static BatchSigner hmac(Secret secret, String keyId) {
        return new HmacBatchSigner(HmacEventSigner.of(secret), keyId);
    }
}
