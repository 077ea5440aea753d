package io.github.infisicaljca.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.audit.config.AuditConfigFactory;
import io.github.infisicaljca.audit.config.SecurityConfig;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.nio.file.Path;
import java.security.KeyException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factory end to end: a configuration from the environment, keys resolved on the emulator. */
class AuditCryptoFactoryTest {
    private static KmsEmulator kms;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kms = KmsEmulator.builder().start();
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    private Map<String, String> env(String signingKeyId, String encryptionKeyId) {
        Map<String, String> env = new HashMap<>();
        env.put(AuditConfigFactory.INFISICAL_URL, kms.url().toString());
        env.put(AuditConfigFactory.INFISICAL_UNIVERSAL_AUTH_CLIENT_ID, kms.clientId());
        env.put(AuditConfigFactory.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET, kms.clientSecret());
        env.put(AuditConfigFactory.INFISICAL_PROJECT_ID, kms.projectId());
        env.put(AuditConfigFactory.KMS_SIGNING_KEY_ID, signingKeyId);
        env.put(AuditConfigFactory.AUDIT_CRYPTO_SECRET, "q7Vd2kLx9PzR4mWt8YbN3cJf6HsA1eGu");
        if (encryptionKeyId != null) {
            env.put(AuditConfigFactory.KMS_ENCRYPTION_KEY_ID, encryptionKeyId);
        }
        return env;
    }

    @Test
    void theConfiguredKmsKeySealsAndVerifies() throws Exception {
        SecurityConfig config = AuditConfigFactory.create("staging", env(kms.signingKeyId(), kms.encryptionKeyId()), dir);
        AuditCrypto crypto = AuditCryptoFactory.create(config);
        AuditEvent sealed = crypto.seal(AuditEvent.of("2026-12-06T00:00:00.000Z", "login", "success"));
        assertEquals("RSASSA_PSS_SHA_256", sealed.text(AuditEvent.ALGORITHM));
        assertTrue(crypto.verify(sealed).valid());
        assertNotNull(crypto.encryption(), "staging encrypts when KMS_ENCRYPTION_KEY_ID is set");
    }

    @Test
    void withoutAnEncryptionKeyThereIsNoEncryption() throws Exception {
        AuditCrypto crypto = AuditCryptoFactory.create(AuditConfigFactory.create("staging",
                env(kms.signingKeyId(), null), dir));
        assertThrows(IllegalStateException.class, crypto::encryption);
    }

    @Test
    void keysOfTheWrongKindAreRefusedNamingTheirUsage() {
        KeyException notSigning = assertThrows(KeyException.class, () -> AuditCryptoFactory.create(
                AuditConfigFactory.create("staging", env(kms.encryptionKeyId(), null), dir)));
        assertEquals("KMS_SIGNING_KEY_ID " + kms.encryptionKeyId() + " is an encrypt-decrypt key, not a sign-verify key",
                notSigning.getMessage());

        KeyException notEncryption = assertThrows(KeyException.class, () -> AuditCryptoFactory.create(
                AuditConfigFactory.create("staging", env(kms.signingKeyId(), kms.keyId(KmsEmulator.HMAC_KEY)), dir)));
        assertEquals("KMS_ENCRYPTION_KEY_ID " + kms.keyId(KmsEmulator.HMAC_KEY) + " is a generate-verify-mac key, "
                + "not an encrypt-decrypt key", notEncryption.getMessage());
    }
}
