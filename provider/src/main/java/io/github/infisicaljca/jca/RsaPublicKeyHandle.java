package io.github.infisicaljca.jca;

import io.github.infisicaljca.kms.KmsKey;
import java.math.BigInteger;
import java.security.spec.AlgorithmParameterSpec;
import java.security.interfaces.RSAPublicKey;

final class RsaPublicKeyHandle extends PublicKeyHandle implements RSAPublicKey {
    private static final long serialVersionUID = 1L;

    private final transient RSAPublicKey key;

    RsaPublicKeyHandle(KmsBinding binding, KmsKey metadata, RSAPublicKey key) {
        super(binding, metadata, key);
        this.key = key;
    }

    @Override
    public BigInteger getModulus() {
        return key.getModulus();
    }

    @Override
    public BigInteger getPublicExponent() {
        return key.getPublicExponent();
    }

    /** See {@link RsaPrivateKeyHandle#getParams()}: the JDK 22+ default-method conflict. */
    @Override
    public AlgorithmParameterSpec getParams() {
        return key.getParams();
    }
}
