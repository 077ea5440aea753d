package io.github.infisicaljca;

import java.security.PublicKey;

/**
 * The public half of an Infisical signing key. It is an ordinary public key too (RSA handles
 * implement {@link java.security.interfaces.RSAPublicKey}, EC handles
 * {@link java.security.interfaces.ECPublicKey}, and {@link #getEncoded()} is the X.509
 * SubjectPublicKeyInfo), so any provider can verify with it; the Infisical provider verifies
 * with it locally, or remotely when {@code infisical.verify=remote}.
 */
public interface InfisicalPublicKey extends InfisicalKey, PublicKey {

    /** {@return the same key as a plain JDK public key, detached from Infisical} */
    PublicKey jdkPublicKey();
}
