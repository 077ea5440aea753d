package io.github.infisicaljca.jca;

import io.github.infisicaljca.kms.KmsKey;
import java.math.BigInteger;
import java.security.spec.AlgorithmParameterSpec;
import java.security.interfaces.RSAKey;

/** An RSA signing key; {@link #getModulus()} comes from its public half, so key sizes can be read. */
final class RsaPrivateKeyHandle extends PrivateKeyHandle implements RSAKey {
    private static final long serialVersionUID = 1L;

    RsaPrivateKeyHandle(KmsBinding binding, KmsKey metadata, RsaPublicKeyHandle publicKey) {
        super(binding, metadata, publicKey);
    }

    @Override
    public String getAlgorithm() {
        return "RSA";
    }

    @Override
    public BigInteger getModulus() {
        return ((RsaPublicKeyHandle) publicHandle()).getModulus();
    }

    /**
     * Declared here because, from JDK 22 on, both {@code AsymmetricKey} (through PrivateKey) and
     * {@code RSAKey} have a default {@code getParams()}: without this the JVM refuses the call.
     */
    @Override
    public AlgorithmParameterSpec getParams() {
        return ((RsaPublicKeyHandle) publicHandle()).getParams();
    }
}
