package io.github.infisicaljca.audit.batch;

import io.github.infisicaljca.audit.AuditCryptoException;
import io.github.infisicaljca.audit.KmsEventSigner;
import java.util.Base64;
import java.util.Objects;

/** {@link BatchSigner#kms}: the smart-logs KMS signer, whose input is any string, signs the statement. */
final class KmsBatchSigner implements BatchSigner {
    private final KmsEventSigner signer;

    KmsBatchSigner(KmsEventSigner signer) {
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    @Override
    public String keyId() {
        return signer.keyId();
    }

    @Override
    public String algorithm() {
        return signer.algorithm();
    }

    @Override
    public String sign(String statement) throws AuditCryptoException {
        return signer.sign(statement).signature();
    }

    @Override
    public boolean verify(String statement, byte[] signature) throws AuditCryptoException {
        return signer.verify(statement, Base64.getEncoder().encodeToString(signature), signer.algorithm());
    }

    @Override
    public String toString() {
        return "BatchSigner.kms{" + signer + "}";
    }
}
