package io.github.infisicaljca.jca;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infisicaljca.kms.KeyUpdate;
import io.github.infisicaljca.kms.KmsClient;
import io.github.infisicaljca.kms.KmsException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.Provider;
import java.util.Base64;
import java.util.Random;
import javax.crypto.Cipher;

/** What CipherTest and MacTest share: test data, cause-chain and leak checks, key administration. */
final class SecretKeyTestSupport {
    /** A distinctive plaintext that must never show up in a message. */
    static final byte[] SECRET_TEXT = "plaintext-CANARY-7d41f0".getBytes(StandardCharsets.UTF_8);

    private SecretKeyTestSupport() {
    }

    /** Deterministic bytes; the same size gives the same bytes. */
    static byte[] bytes(int size) {
        byte[] b = new byte[size];
        new Random(size * 31L + 7).nextBytes(b);
        return b;
    }

    static <T extends Throwable> T inChain(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return fail("no " + type.getSimpleName() + " in the cause chain of " + t);
    }

    /** Neither the client secret nor the canary plaintext (raw or base64) anywhere in the chain. */
    static void assertClean(Throwable t, String clientSecret) {
        String canary = new String(SECRET_TEXT, StandardCharsets.UTF_8);
        String canary64 = Base64.getEncoder().encodeToString(SECRET_TEXT);
        for (Throwable c = t; c != null; c = c.getCause()) {
            for (String text : new String[] {c.getMessage(), c.toString()}) {
                if (text != null) {
                    assertFalse(text.contains(clientSecret), "client secret in " + text);
                    assertFalse(text.contains(canary) || text.contains(canary64), "plaintext in " + text);
                }
            }
        }
    }

    /** Disables a key on the server, as an administrator would (handles made before keep working locally). */
    static void disable(EmulatorFixture fixture, String keyId) throws KmsException {
        try (KmsClient client = KmsClient.create(fixture.config().build())) {
            assertTrue(client.updateKey(keyId, KeyUpdate.disable()).disabled());
        }
    }

    static byte[] encrypt(Provider infisical, Key key, byte[] plaintext) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("INFISICAL-AES", infisical);
        c.init(Cipher.ENCRYPT_MODE, key);
        return c.doFinal(plaintext);
    }

    static byte[] decrypt(Provider infisical, Key key, byte[] ciphertext) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("INFISICAL-AES", infisical);
        c.init(Cipher.DECRYPT_MODE, key);
        return c.doFinal(ciphertext);
    }

    static JsonNode json(String body) throws Exception {
        return new ObjectMapper().readTree(body);
    }
}
