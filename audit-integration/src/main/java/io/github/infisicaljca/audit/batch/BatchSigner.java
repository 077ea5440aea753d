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
    String keyId();

    String algorithm();

    /** {@return the signature over {@code statement}, standard base64 with padding} */
    String sign(String statement) throws AuditCryptoException;

    /** {@return whether {@code signature} (already decoded from its one canonical base64) signs {@code statement}} */
    boolean verify(String statement, byte[] signature) throws AuditCryptoException;

    /**
     * A KMS key through the Infisical provider's {@code Signature}, as smart-logs events are
     * signed; verification is local against the public key unless the provider verifies remotely.
     */
    static BatchSigner kms(KmsEventSigner signer) {
        return new KmsBatchSigner(signer);
    }

    /**
     * HMAC-SHA256 keyed with the UTF-8 bytes of the audit secret; {@code keyId} names the secret
     * in seals (so a verifier holding several can tell them apart) and is never the secret itself.
     */
    static BatchSigner hmac(Secret secret, String keyId) {
        return new HmacBatchSigner(HmacEventSigner.of(secret), keyId);
    }
}
