package io.github.infisicaljca;

import io.github.infisicaljca.kms.KeyUsage;
import io.github.infisicaljca.kms.KmsKey;
import java.security.Key;

/**
 * A handle to a key that lives in Infisical KMS. It holds the key's id and metadata, never
 * secret material: {@link #getEncoded()} of private and secret handles is {@code null}, and
 * handles cannot be serialised. Get one from the {@code INFISICAL} KeyStore.
 */
public interface InfisicalKey extends Key {

    /** {@return the KMS key id (a UUID)} */
    String keyId();

    /** {@return the key's metadata as the server reported it when the handle was made} */
    KmsKey metadata();

    /** {@return the key's name in its project} */
    default String keyName() {
        return metadata().name();
    }

    /** {@return what the key does: sign-verify or encrypt-decrypt} */
    default KeyUsage keyUsage() {
        return metadata().keyUsage();
    }

    /** {@return Infisical's key algorithm, for example {@code RSA_4096}, {@code ECC_NIST_P256}, {@code aes-256-gcm}} */
    default String kmsAlgorithm() {
        return metadata().algorithm();
    }
}
