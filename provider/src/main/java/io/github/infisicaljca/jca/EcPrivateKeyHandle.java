package io.github.infisicaljca.jca;

import io.github.infisicaljca.kms.KmsKey;
import java.security.interfaces.ECKey;
import java.security.spec.ECParameterSpec;

/** An EC signing key; {@link #getParams()} comes from its public half, so the curve can be read. */
final class EcPrivateKeyHandle extends PrivateKeyHandle implements ECKey {
    private static final long serialVersionUID = 1L;

    EcPrivateKeyHandle(KmsBinding binding, KmsKey metadata, EcPublicKeyHandle publicKey) {
        super(binding, metadata, publicKey);
    }

    @Override
    public String getAlgorithm() {
        return "EC";
    }

    @Override
    public ECParameterSpec getParams() {
        return ((EcPublicKeyHandle) publicHandle()).getParams();
    }
}
