package io.github.infisicaljca.jca;

import io.github.infisicaljca.InfisicalSecretKey;
import io.github.infisicaljca.kms.KmsKey;

/** An encrypt-decrypt or HMAC key: its algorithm name, never its bytes. */
final class SecretKeyHandle extends HandleBase implements InfisicalSecretKey {
    private static final long serialVersionUID = 1L;

    private final String algorithm;

    SecretKeyHandle(KmsBinding binding, KmsKey metadata, String algorithm) {
        super(binding, metadata);
        this.algorithm = algorithm;
    }

    @Override
    public String getAlgorithm() {
        return algorithm;
    }
}
