package io.github.infisicaljca.jca;

import io.github.infisicaljca.kms.KmsKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;

final class EcPublicKeyHandle extends PublicKeyHandle implements ECPublicKey {
    private static final long serialVersionUID = 1L;

    private final transient ECPublicKey key;

    EcPublicKeyHandle(KmsBinding binding, KmsKey metadata, ECPublicKey key) {
        super(binding, metadata, key);
        this.key = key;
    }

    @Override
    public ECPoint getW() {
        return key.getW();
    }

    @Override
    public ECParameterSpec getParams() {
        return key.getParams();
    }
}
