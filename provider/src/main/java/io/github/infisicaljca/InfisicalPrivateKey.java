package io.github.infisicaljca;

import java.security.PrivateKey;

/**
 * A sign-verify key in Infisical KMS, used with {@code Signature.initSign}. RSA handles also
 * implement {@link java.security.interfaces.RSAKey} and EC handles
 * {@link java.security.interfaces.ECKey}, taken from the public key, so code that inspects key
 * sizes keeps working.
 */
public interface InfisicalPrivateKey extends InfisicalKey, PrivateKey {

    /** {@return the public half, as a handle: verifying with it is local unless {@code infisical.verify=remote}} */
    InfisicalPublicKey publicKey();
}
