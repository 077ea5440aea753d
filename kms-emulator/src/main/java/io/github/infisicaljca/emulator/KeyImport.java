package io.github.infisicaljca.emulator;

import java.security.KeyPair;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import javax.crypto.spec.SecretKeySpec;

/** Checks imported key material against the algorithm it claims to be. */
final class KeyImport {
    private KeyImport() {
    }

    static Object material(KeySpec spec, Object material) {
        if (spec.usage == KeySpec.Usage.SIGN_VERIFY) {
            if (!(material instanceof KeyPair)) {
                throw new IllegalArgumentException(spec.wire + " needs a KeyPair");
            }
            KeyPair kp = (KeyPair) material;
            if (spec.isRsa()) {
                if (!(kp.getPrivate() instanceof RSAKey) || ((RSAKey) kp.getPrivate()).getModulus().bitLength() != 4096) {
                    throw new IllegalArgumentException("RSA_4096 needs a 4096-bit RSA key pair");
                }
            } else {
                int bits = Integer.parseInt(spec.name().substring("ECC_NIST_P".length()));
                if (!(kp.getPrivate() instanceof ECKey)
                        || ((ECKey) kp.getPrivate()).getParams().getCurve().getField().getFieldSize() != bits) {
                    throw new IllegalArgumentException(spec.wire + " needs an EC key pair on P-" + bits);
                }
            }
            return kp;
        }
        if (!(material instanceof byte[])) {
            throw new IllegalArgumentException(spec.wire + " needs the raw key bytes");
        }
        byte[] raw = ((byte[]) material).clone();
        if (spec.usage == KeySpec.Usage.ENCRYPT_DECRYPT) {
            int expected = spec == KeySpec.AES_256_GCM ? 32 : 16;
            if (raw.length != expected) {
                throw new IllegalArgumentException(spec.wire + " needs " + expected + " key bytes, not " + raw.length);
            }
            return new SecretKeySpec(raw, "AES");
        }
        if (raw.length == 0) {
            throw new IllegalArgumentException("an HMAC key must not be empty");
        }
        return new SecretKeySpec(raw, spec.macAlgorithm());
    }
}
