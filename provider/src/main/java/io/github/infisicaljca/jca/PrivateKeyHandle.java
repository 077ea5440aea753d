package io.github.infisicaljca.jca;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalPublicKey;
import io.github.infisicaljca.kms.KmsKey;

/** A sign-verify key: no material, only the way to ask the KMS to sign. */
abstract class PrivateKeyHandle extends HandleBase implements InfisicalPrivateKey {
    private static final long serialVersionUID = 1L;

    private final transient PublicKeyHandle publicKey;

    PrivateKeyHandle(KmsBinding binding, KmsKey metadata, PublicKeyHandle publicKey) {
        super(binding, metadata);
        this.publicKey = publicKey;
    }

    @Override
    public InfisicalPublicKey publicKey() {
        return publicKey;
    }

    PublicKeyHandle publicHandle() {
        return publicKey;
    }
}
