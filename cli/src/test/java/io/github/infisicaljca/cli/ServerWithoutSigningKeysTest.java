package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.ServerProfile;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against the 2024 server (AES keys only, as {@code dev-server --profile 2024}), audit events can
 * be sealed with HMAC only: the commands say that the server offers no signing keys and name
 * AUDIT_CRYPTO_SECRET, instead of asking for a signing key the server cannot have.
 */
class ServerWithoutSigningKeysTest {
    private static final String NO_SIGNING = "the server offers no signing keys";
    private static KmsEmulator kms;

    @BeforeAll
    static void start() {
        kms = KmsEmulator.builder().profile(ServerProfile.INFISICAL_2024).start();
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    /** What dev-server --profile 2024 prints: URL, credentials, project and the encryption key, no signing key. */
    private static Map<String, String> devServerExports() {
        Map<String, String> env = KeyCommandsTest.env(kms, true);
        env.put("KMS_ENCRYPTION_KEY_ID", kms.encryptionKeyId());
        return env;
    }

    private static void advisesHmac(CliRun r) {
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains(NO_SIGNING), r::toString);
        assertTrue(r.err().contains("project " + kms.projectId() + " has no sign-verify key"), r::toString);
        assertTrue(r.err().contains("set AUDIT_CRYPTO_SECRET"), r::toString);
        assertFalse(r.err().matches("(?s).*(?<!un)set KMS_SIGNING_KEY_ID.*"), r::toString);
        assertEquals("", r.out(), r::toString);
    }

    @Test
    void sealAndVerifyWithoutAnyKeyNameTheHmacSecretOnly() {
        for (String sub : new String[] {"seal", "verify"}) {
            advisesHmac(CliRun.run(devServerExports(), AuditHmacCommandTest.events(1), "audit", sub));
        }
    }

    @Test
    void aSigningKeyIdOfAnAesKeyIsAnsweredWithTheHmacOption() {
        Map<String, String> env = devServerExports();
        env.put("KMS_SIGNING_KEY_ID", kms.encryptionKeyId());
        CliRun r = CliRun.run(env, AuditHmacCommandTest.events(1), "audit", "seal");
        advisesHmac(r);
        assertTrue(r.err().contains("is not a sign-verify key (it is an aes-256-gcm key)"), r::toString);
        assertTrue(r.err().contains("unset KMS_SIGNING_KEY_ID"), r::toString);
    }

    @Test
    void anUnknownSigningKeyIdIsAnsweredWithTheHmacOption() {
        Map<String, String> env = devServerExports();
        env.put("KMS_SIGNING_KEY_ID", "1b4e28ba-2fa1-41d2-883f-0016d3cca427");
        CliRun r = CliRun.run(env, AuditHmacCommandTest.events(1), "audit", "seal");
        assertEquals(1, r.exit(), r::toString); // still a failed lookup; the advice comes with it
        assertTrue(r.err().contains(NO_SIGNING) && r.err().contains("unset KMS_SIGNING_KEY_ID and set AUDIT_CRYPTO_SECRET"),
                r::toString);
    }

    @Test
    void withTheSecretSealingWorksThere() {
        Map<String, String> env = devServerExports();
        env.put("AUDIT_CRYPTO_SECRET", AuditHmacCommandTest.SECRET);
        CliRun r = CliRun.run(env, AuditHmacCommandTest.events(1), "audit", "seal");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("audit seal: 1 event sealed with HMAC-SHA256\n", r.err());
    }

    @Test
    void doctorSaysSoForAConfiguredSigningKeyAndWithoutOne() {
        Map<String, String> env = devServerExports();
        env.put("KMS_SIGNING_KEY_ID", kms.encryptionKeyId());
        CliRun r = CliRun.run(env, "", "doctor");
        assertEquals(1, r.exit(), r::toString);
        String access = r.out().substring(r.out().indexOf("\n6. "), r.out().indexOf("\n7. "));
        assertTrue(access.contains("likely cause: " + NO_SIGNING), r::toString);
        assertTrue(access.contains("remedy: ") && access.contains("unset KMS_SIGNING_KEY_ID and set AUDIT_CRYPTO_SECRET"),
                r::toString);
        assertFalse(access.contains("at a sign-verify key"), r::toString);

        CliRun plain = CliRun.run(devServerExports(), "", "doctor");
        assertEquals(0, plain.exit(), plain::toString);
        assertTrue(plain.out().contains("note: " + NO_SIGNING) && plain.out().contains("AUDIT_CRYPTO_SECRET"),
                plain::toString);
    }

    @Test
    void onAServerWithSigningKeysTheKmsKeyIsStillOffered() {
        try (KmsEmulator current = KmsEmulator.builder().start()) {
            CliRun r = CliRun.run(KeyCommandsTest.env(current, true), AuditHmacCommandTest.events(1), "audit", "seal");
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.err().contains("set KMS_SIGNING_KEY_ID") && r.err().contains("AUDIT_CRYPTO_SECRET"),
                    r::toString);
            assertFalse(r.err().contains(NO_SIGNING), r::toString);
        }
    }
}
