package io.github.infisicaljca.jca;

import io.github.infisicaljca.InfisicalPublicKey;
import io.github.infisicaljca.kms.KmsKey;
import java.security.PublicKey;

/** The public half of a signing key: real public key material, plus the way back to the KMS. */
abstract class PublicKeyHandle extends HandleBase implements InfisicalPublicKey {
    private static final long serialVersionUID = 1L;

    private final transient PublicKey jdkKey;

    PublicKeyHandle(KmsBinding binding, KmsKey metadata, PublicKey jdkKey) {
        super(binding, metadata);
        this.jdkKey = jdkKey;
    }

    @Override
    public PublicKey jdkPublicKey() {
        return jdkKey;
    }

    @Override
    public String getAlgorithm() {
        return jdkKey.getAlgorithm();
    }

    @Override
    public String getFormat() {
        return jdkKey.getFormat();
    }

    @Override
    public byte[] getEncoded() {
        return jdkKey.getEncoded();
    }
}
