package io.github.infisicaljca.jca;

import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.kms.KeyUsage;
import io.github.infisicaljca.kms.KmsException;
import io.github.infisicaljca.kms.KmsKey;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Locale;

/** Makes handles from key metadata; a signing key's public half comes from the binding, fetched once. */
public final class KeyHandles {
    private KeyHandles() {
    }

    /**
     * A private-key handle for a sign-verify key (fetching its public key unless the binding
     * already has it), or a secret-key handle for an encrypt-decrypt or MAC key.
     *
     * @param binding the client and configuration the handle will use
     * @param key the key's metadata from the server
     * @return the handle
     * @throws KmsException when the public key cannot be fetched
     * @throws InvalidKeyException when the key's algorithm is not one the provider supports
     */
    public static InfisicalKey forKey(KmsBinding binding, KmsKey key) throws KmsException, InvalidKeyException {
        if (key.keyUsage() != KeyUsage.SIGN_VERIFY) {
            return new SecretKeyHandle(binding, key, secretAlgorithm(key));
        }
        PublicKey pub = binding.publicKey(key);
        if (pub instanceof RSAPublicKey) {
            return new RsaPrivateKeyHandle(binding, key, new RsaPublicKeyHandle(binding, key, (RSAPublicKey) pub));
        }
        if (pub instanceof ECPublicKey) {
            return new EcPrivateKeyHandle(binding, key, new EcPublicKeyHandle(binding, key, (ECPublicKey) pub));
        }
        throw new InvalidKeyException("key " + key.id() + " (" + key.name() + ") has algorithm " + key.algorithm()
                + ", which this provider cannot use for JCA signatures");
    }

    static PublicKey decodePublicKey(KmsKey key, byte[] spki) throws InvalidKeyException {
        String alg = key.algorithm() == null ? "" : key.algorithm().toUpperCase(Locale.ROOT);
        String family = alg.startsWith("RSA") ? "RSA" : alg.startsWith("ECC") ? "EC" : null;
        if (family == null) {
            throw new InvalidKeyException("key " + key.id() + " (" + key.name() + ") has algorithm " + key.algorithm()
                    + ", which this provider cannot use for JCA signatures (RSA and ECC keys only)");
        }
        try {
            return KeyFactory.getInstance(family).generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyException("the public key the server sent for key " + key.id()
                    + " is not a valid " + family + " SubjectPublicKeyInfo", e);
        }
    }

    /** {@code AES} for encryption keys, {@code HmacSHA256}-style for MAC keys. */
    static String secretAlgorithm(KmsKey key) {
        String alg = key.algorithm() == null ? "" : key.algorithm().toUpperCase(Locale.ROOT);
        if (key.keyUsage() == KeyUsage.GENERATE_VERIFY_MAC && alg.startsWith("HMAC_SHA_")) {
            return "HmacSHA" + alg.substring("HMAC_SHA_".length());
        }
        return key.keyUsage() == KeyUsage.GENERATE_VERIFY_MAC ? "Hmac" : "AES";
    }
}
