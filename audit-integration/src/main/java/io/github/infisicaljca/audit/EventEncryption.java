package io.github.infisicaljca.audit;

import io.github.infisicaljca.InfisicalSecretKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;

/**
 * Event payload encryption ({@code enableLogEncryption}) through the Infisical provider's
 * ciphers: payloads that fit one KMS call go through {@code INFISICAL-AES} (the KMS's own
 * ciphertext, as the original stores it), larger ones through {@code INFISICAL-ENVELOPE}.
 * Decryption tells the two apart by the envelope's magic, and falls back to the other.
 */
public final class EventEncryption {
    private static final byte[] ENVELOPE_MAGIC = {'I', 'N', 'F', 'E'};

    private final Provider provider;
    private final InfisicalSecretKey key;
    private final int directLimit;

    /**
     * Encryption with this KMS key through this provider.
     *
     * @param provider the Infisical provider
     * @param key an encrypt-decrypt key's handle
     * @param maxPayloadBytes the provider's {@code infisical.maxPayloadBytes}
     */
    public EventEncryption(Provider provider, InfisicalSecretKey key, int maxPayloadBytes) {
        this.provider = provider;
        this.key = key;
        this.directLimit = maxPayloadBytes - 31;
    }

    /**
     * Encrypts an event payload.
     *
     * @param payload the payload
     * @return base64 of the ciphertext of the UTF-8 payload
     * @throws AuditCryptoException when the KMS call fails
     */
    public String encrypt(String payload) throws AuditCryptoException {
        byte[] data = Utf8.encode(payload);
        String name = data.length >= 1 && data.length <= directLimit ? "INFISICAL-AES" : "INFISICAL-ENVELOPE";
        try {
            Cipher c = Cipher.getInstance(name, provider);
            c.init(Cipher.ENCRYPT_MODE, key);
            return Base64.getEncoder().encodeToString(c.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new AuditCryptoException("encrypting the audit payload with " + name + " failed: " + e.getMessage(), e,
                    KmsFailures.isUnavailable(e));
        } finally {
            Arrays.fill(data, (byte) 0);
        }
    }

    /**
     * Decrypts what {@link #encrypt} returned.
     *
     * @param ciphertextBase64 the ciphertext, base64
     * @return the payload
     * @throws AuditCryptoException when it cannot be decrypted (wrong key, changed ciphertext, KMS failure)
     */
    public String decrypt(String ciphertextBase64) throws AuditCryptoException {
        byte[] ct;
        try {
            ct = Base64.getDecoder().decode(ciphertextBase64);
        } catch (IllegalArgumentException e) {
            throw new AuditCryptoException("the encrypted payload is not base64", e, false);
        }
        boolean envelope = ct.length >= 4 && Arrays.equals(Arrays.copyOf(ct, 4), ENVELOPE_MAGIC);
        try {
            return decrypt(envelope ? "INFISICAL-ENVELOPE" : "INFISICAL-AES", ct);
        } catch (GeneralSecurityException first) {
            if (!envelope) {
                throw new AuditCryptoException("decrypting the audit payload failed: " + first.getMessage(), first,
                        KmsFailures.isUnavailable(first));
            }
            try {
                // An Infisical ciphertext starts with a random IV, which may (2^-32) look like the magic.
                return decrypt("INFISICAL-AES", ct);
            } catch (GeneralSecurityException second) {
                throw new AuditCryptoException("decrypting the audit payload failed: " + first.getMessage(), first,
                        KmsFailures.isUnavailable(first));
            }
        }
    }

    private String decrypt(String name, byte[] ct) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(name, provider);
        c.init(Cipher.DECRYPT_MODE, key);
        return new String(c.doFinal(ct), StandardCharsets.UTF_8);
    }
}
