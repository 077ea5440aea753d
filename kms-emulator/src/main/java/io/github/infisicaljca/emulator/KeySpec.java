package io.github.infisicaljca.emulator;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;

/** The key algorithms the emulator offers, by their exact Infisical names. */
enum KeySpec {
    AES_256_GCM("aes-256-gcm", Usage.ENCRYPT_DECRYPT),
    AES_128_GCM("aes-128-gcm", Usage.ENCRYPT_DECRYPT),
    RSA_4096("RSA_4096", Usage.SIGN_VERIFY),
    ECC_NIST_P256("ECC_NIST_P256", Usage.SIGN_VERIFY),
    ECC_NIST_P384("ECC_NIST_P384", Usage.SIGN_VERIFY),
    ECC_NIST_P521("ECC_NIST_P521", Usage.SIGN_VERIFY),
    HMAC_SHA_1("HMAC_SHA_1", Usage.GENERATE_VERIFY_MAC),
    HMAC_SHA_224("HMAC_SHA_224", Usage.GENERATE_VERIFY_MAC),
    HMAC_SHA_256("HMAC_SHA_256", Usage.GENERATE_VERIFY_MAC),
    HMAC_SHA_384("HMAC_SHA_384", Usage.GENERATE_VERIFY_MAC),
    HMAC_SHA_512("HMAC_SHA_512", Usage.GENERATE_VERIFY_MAC);

    enum Usage {
        ENCRYPT_DECRYPT("encrypt-decrypt"), SIGN_VERIFY("sign-verify"), GENERATE_VERIFY_MAC("generate-verify-mac");

        final String wire;

        Usage(String wire) {
            this.wire = wire;
        }

        static Usage fromWire(String s) {
            for (Usage u : values()) {
                if (u.wire.equals(s)) {
                    return u;
                }
            }
            return null;
        }
    }

    final String wire;
    final Usage usage;

    KeySpec(String wire, Usage usage) {
        this.wire = wire;
        this.usage = usage;
    }

    static KeySpec fromWire(String s) {
        for (KeySpec k : values()) {
            if (k.wire.equals(s)) {
                return k;
            }
        }
        return null;
    }

    static List<String> wireNames(Usage usage) {
        return java.util.Arrays.stream(values()).filter(k -> k.usage == usage).map(k -> k.wire).toList();
    }

    boolean isRsa() {
        return this == RSA_4096;
    }

    boolean isEc() {
        return name().startsWith("ECC_");
    }

    /** The JDK's name of the HMAC, for example HmacSHA256. */
    String macAlgorithm() {
        return "Hmac" + name().substring("HMAC_".length()).replace("_", "");
    }

    /** Fresh key material of this kind: a SecretKeySpec or a KeyPair. */
    Object generate(SecureRandom random) throws GeneralSecurityException {
        switch (this) {
            case AES_256_GCM:
                return new SecretKeySpec(bytes(random, 32), "AES");
            case AES_128_GCM:
                return new SecretKeySpec(bytes(random, 16), "AES");
            case RSA_4096: {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(new RSAKeyGenParameterSpec(4096, RSAKeyGenParameterSpec.F4), random);
                return g.generateKeyPair();
            }
            case ECC_NIST_P256:
            case ECC_NIST_P384:
            case ECC_NIST_P521: {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp" + name().substring("ECC_NIST_P".length()) + "r1"), random);
                return g.generateKeyPair();
            }
            default: {
                int len = this == HMAC_SHA_1 ? 20 : Integer.parseInt(name().substring("HMAC_SHA_".length())) / 8;
                return new SecretKeySpec(bytes(random, len), macAlgorithm());
            }
        }
    }

    private static byte[] bytes(SecureRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
