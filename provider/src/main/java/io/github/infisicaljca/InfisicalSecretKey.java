package io.github.infisicaljca;

import javax.crypto.SecretKey;

/** An encrypt-decrypt or HMAC key in Infisical KMS, for the provider's Cipher and Mac services. */
public interface InfisicalSecretKey extends InfisicalKey, SecretKey {
}
