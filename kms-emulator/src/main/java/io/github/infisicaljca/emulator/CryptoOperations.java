package io.github.infisicaljca.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;

/** The key operations, with real JDK cryptography and the server's checks and error texts. */
final class CryptoOperations {
    private final SecureRandom random;
    private volatile PayloadLimits limits;

    CryptoOperations(SecureRandom random, PayloadLimits limits) {
        this.random = random;
        this.limits = limits;
    }

    void limits(PayloadLimits limits) {
        this.limits = limits;
    }

    Object generate(KeySpec spec) {
        try {
            return spec.generate(random);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + spec.wire + " key", e);
        }
    }

    JsonNode operate(String op, EmulatedKey key, RequestBody b) {
        PayloadLimits l = limits;
        switch (op) {
            case "encrypt": {
                byte[] plaintext = b.base64("plaintext", l.plaintext());
                b.check();
                usable(key, KeySpec.Usage.ENCRYPT_DECRYPT);
                return obj().put("ciphertext", b64(run(() -> CiphertextFormat.encrypt(key.secretKey(), plaintext, random))));
            }
            case "decrypt": {
                byte[] ciphertext = b.base64("ciphertext", l.ciphertext());
                b.check();
                usable(key, KeySpec.Usage.ENCRYPT_DECRYPT);
                // A ciphertext that fails to decrypt is a 500 "Something went wrong" on the real server.
                return obj().put("plaintext", b64(run(() -> CiphertextFormat.decrypt(key.secretKey(), ciphertext))));
            }
            case "sign":
            case "verify": {
                String algorithm = b.string("signingAlgorithm");
                Boolean isDigest = b.optionalBoolean("isDigest");
                byte[] data = b.base64("data", l.data());
                byte[] signature = op.equals("verify") ? b.base64("signature", l.signature()) : null;
                SigningScheme scheme = algorithm == null ? null : SigningScheme.fromWire(algorithm);
                if (algorithm != null && scheme == null) {
                    b.issue("signingAlgorithm", "Invalid enum value, received '" + algorithm + "'");
                }
                b.check();
                usable(key, KeySpec.Usage.SIGN_VERIFY);
                boolean digest = isDigest != null && isDigest;
                checkScheme(key, scheme, data, digest);
                if (op.equals("sign")) {
                    byte[] sig = run(() -> scheme.sign(key.keyPair().getPrivate(), data, digest));
                    return obj().put("signature", b64(sig)).put("keyId", key.id()).put("signingAlgorithm", scheme.name());
                }
                boolean valid = run(() -> scheme.verify(key.keyPair().getPublic(), data, digest, signature));
                return obj().put("signatureValid", valid).put("keyId", key.id()).put("signingAlgorithm", scheme.name());
            }
            case "generate-mac":
            case "verify-mac": {
                byte[] data = b.base64("data", l.data());
                byte[] mac = op.equals("verify-mac") ? b.base64("mac", l.mac()) : null;
                b.check();
                usable(key, KeySpec.Usage.GENERATE_VERIFY_MAC);
                byte[] computed = run(() -> {
                    Mac m = Mac.getInstance(key.spec().macAlgorithm());
                    m.init(key.secretKey());
                    return m.doFinal(data);
                });
                ObjectNode out = op.equals("generate-mac") ? obj().put("mac", b64(computed))
                        : obj().put("macValid", java.security.MessageDigest.isEqual(computed, mac));
                return out.put("keyId", key.id()).put("macAlgorithm", key.spec().wire);
            }
            default:
                throw new IllegalArgumentException(op);
        }
    }

    JsonNode publicKey(EmulatedKey key) {
        usable(key, KeySpec.Usage.SIGN_VERIFY);
        return obj().put("publicKey", b64(key.keyPair().getPublic().getEncoded()));
    }

    JsonNode signingAlgorithms(EmulatedKey key) {
        usable(key, KeySpec.Usage.SIGN_VERIFY);
        ObjectNode out = obj();
        var array = out.putArray("signingAlgorithms");
        SigningScheme.forKey(key.spec()).forEach(array::add);
        return out;
    }

    private static void usable(EmulatedKey key, KeySpec.Usage usage) {
        if (key.disabled()) {
            throw ApiError.badRequest("Key is disabled");
        }
        if (key.spec().usage != usage) {
            throw ApiError.badRequest("Key usage must be " + usage.wire + " for this operation; key " + key.name()
                    + (key.spec().usage.wire.startsWith("e") ? " is an " : " is a ") + key.spec().usage.wire + " key");
        }
    }

    private static void checkScheme(EmulatedKey key, SigningScheme scheme, byte[] data, boolean isDigest) {
        if (scheme.isRsa() != key.spec().isRsa()) {
            throw ApiError.badRequest("KMS " + key.spec().wire + " key cannot be used with " + scheme.name());
        }
        if (isDigest && scheme.isPss()) {
            throw ApiError.badRequest("RSA PSS does not support digested input");
        }
        if (isDigest && data.length != scheme.digestLength) {
            throw ApiError.badRequest("Digest length " + data.length + " does not match " + scheme.name()
                    + " (expected " + scheme.digestLength + " bytes)");
        }
    }

    private interface CryptoCall<T> {
        T call() throws GeneralSecurityException;
    }

    private static <T> T run(CryptoCall<T> c) {
        try {
            return c.call();
        } catch (GeneralSecurityException e) {
            throw ApiError.internal();
        }
    }

    private static ObjectNode obj() {
        return HttpFront.JSON.createObjectNode();
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
