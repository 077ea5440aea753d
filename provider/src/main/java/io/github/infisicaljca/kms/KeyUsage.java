package io.github.infisicaljca.kms;

import java.util.Locale;

/** What a KMS key is for; the wire values are Infisical's {@code keyUsage} strings. */
public enum KeyUsage {
    /** Encrypts and decrypts ({@code aes-256-gcm}, {@code aes-128-gcm}). */
    ENCRYPT_DECRYPT("encrypt-decrypt"),
    /** Signs and verifies (RSA and EC keys). */
    SIGN_VERIFY("sign-verify"),
    /** Generates and verifies MACs (HMAC keys). */
    GENERATE_VERIFY_MAC("generate-verify-mac");

    private final String wire;

    KeyUsage(String wire) {
        this.wire = wire;
    }

    /** {@return Infisical's {@code keyUsage} string, for example {@code sign-verify}} */
    public String wireName() {
        return wire;
    }

    /** The usage a key has by its algorithm, for 2024 servers that send no {@code keyUsage}. */
    static KeyUsage ofAlgorithm(String algorithm) {
        if (algorithm == null) {
            return ENCRYPT_DECRYPT;
        }
        String a = algorithm.toUpperCase(Locale.ROOT);
        if (a.startsWith("RSA_") || a.startsWith("ECC_") || a.startsWith("ML_DSA") || a.startsWith("ED25519")) {
            return SIGN_VERIFY;
        }
        if (a.startsWith("HMAC_")) {
            return GENERATE_VERIFY_MAC;
        }
        return ENCRYPT_DECRYPT;
    }

    static KeyUsage fromWire(String wire) {
        for (KeyUsage u : values()) {
            if (u.wire.equals(wire)) {
                return u;
            }
        }
        return null;
    }
}
