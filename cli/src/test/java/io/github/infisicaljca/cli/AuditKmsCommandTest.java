package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code audit seal}/{@code audit verify} signing with a KMS key of an in-process emulator. */
class AuditKmsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KmsEmulator kms;

    @BeforeAll
    static void start() {
        kms = KmsEmulator.builder().start();
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    static Map<String, String> kmsEnv(String keyId) {
        return kmsEnv(kms, keyId);
    }

    /** The variables that make audit seal sign with {@code keyId} of {@code kms}. */
    static Map<String, String> kmsEnv(KmsEmulator kms, String keyId) {
        Map<String, String> env = new HashMap<>();
        env.put("INFISICAL_URL", kms.url().toString());
        env.put("INFISICAL_UNIVERSAL_AUTH_CLIENT_ID", kms.clientId());
        env.put("INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", kms.clientSecret());
        env.put("KMS_SIGNING_KEY_ID", keyId);
        return env;
    }

    private static String[] secrets() {
        return new String[] {kms.clientSecret(), AuditHmacCommandTest.SECRET};
    }

    @Test
    void sealsWithTheKmsKeyAndVerifies() throws Exception {
        Map<String, String> env = kmsEnv(kms.signingKeyId());
        env.put("AUDIT_CRYPTO_SECRET", AuditHmacCommandTest.SECRET); // present, but the KMS wins
        CliRun sealed = CliRun.run(env, AuditHmacCommandTest.events(2), "audit", "seal").assertNoSecrets(secrets());
        assertEquals(0, sealed.exit(), sealed::toString);
        assertEquals(2, sealed.outLines().size());
        for (String line : sealed.outLines()) {
            assertEquals("RSASSA_PSS_SHA_256", JSON.readTree(line).get("algorithm").asText(), line);
            assertEquals(512, java.util.Base64.getDecoder().decode(JSON.readTree(line).get("signature").asText()).length);
        }

        CliRun verified = CliRun.run(kmsEnv(kms.signingKeyId()), sealed.out(), "audit", "verify")
                .assertNoSecrets(secrets());
        assertEquals(0, verified.exit(), verified::toString);
        assertTrue(verified.err().contains("2 events, 0 failed"), verified::toString);

        String tampered = sealed.out().replace("user-2", "user-X");
        CliRun bad = CliRun.run(kmsEnv(kms.signingKeyId()), tampered, "audit", "verify");
        assertEquals(1, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("line 2: the hash does not match"), bad::toString);
    }

    @Test
    void anEcKeyDefaultsToEcdsa() throws Exception {
        Map<String, String> env = kmsEnv(kms.keyId(KmsEmulator.EC_SIGNING_KEY));
        CliRun sealed = CliRun.run(env, AuditHmacCommandTest.events(1), "audit", "seal");
        assertEquals(0, sealed.exit(), sealed::toString);
        assertEquals("ECDSA_SHA_256", JSON.readTree(sealed.outLines().get(0)).get("algorithm").asText());
        assertEquals(0, CliRun.run(env, sealed.out(), "audit", "verify").exit());

        // An RSA-sealed event does not verify with the EC key.
        CliRun rsa = CliRun.run(kmsEnv(kms.signingKeyId()), AuditHmacCommandTest.events(1), "audit", "seal");
        CliRun cross = CliRun.run(env, rsa.out(), "audit", "verify", "--accept", "RSASSA_PSS_SHA_256");
        assertEquals(1, cross.exit(), cross::toString);
    }

    @Test
    void kmsSigningAlgorithmIsHonouredAndChecked() throws Exception {
        Map<String, String> env = kmsEnv(kms.signingKeyId());
        env.put("KMS_SIGNING_ALGORITHM", "RSASSA_PKCS1_V1_5_SHA_256");
        CliRun sealed = CliRun.run(env, AuditHmacCommandTest.events(1), "audit", "seal");
        assertEquals(0, sealed.exit(), sealed::toString);
        assertEquals("RSASSA_PKCS1_V1_5_SHA_256", JSON.readTree(sealed.outLines().get(0)).get("algorithm").asText());

        // The default verifier of this key accepts PSS only; --accept widens it.
        CliRun pss = CliRun.run(kmsEnv(kms.signingKeyId()), sealed.out(), "audit", "verify");
        assertEquals(1, pss.exit(), pss::toString);
        assertTrue(pss.err().contains("not accepted"), pss::toString);
        CliRun pkcs1 = CliRun.run(kmsEnv(kms.signingKeyId()), sealed.out(), "audit", "verify",
                "--accept", "RSASSA_PSS_SHA_256,RSASSA_PKCS1_V1_5_SHA_256");
        assertEquals(0, pkcs1.exit(), pkcs1::toString);

        env.put("KMS_SIGNING_ALGORITHM", "ECDSA_SHA_256");
        CliRun mismatch = CliRun.run(env, AuditHmacCommandTest.events(1), "audit", "seal");
        assertEquals(2, mismatch.exit(), mismatch::toString);
        assertTrue(mismatch.err().contains("does not fit"), mismatch::toString);

        env.put("KMS_SIGNING_ALGORITHM", "RSA_SHA_999");
        assertEquals(2, CliRun.run(env, AuditHmacCommandTest.events(1), "audit", "seal").exit());
    }

    @Test
    void aKmsConfiguredVerifierRefusesHmacSealedEventsUnlessAccepted() {
        String hmacSealed = AuditHmacCommandTest.seal(AuditHmacCommandTest.ENV, AuditHmacCommandTest.events(2)).out();

        Map<String, String> env = kmsEnv(kms.signingKeyId());
        env.put("AUDIT_CRYPTO_SECRET", AuditHmacCommandTest.SECRET);
        CliRun refused = CliRun.run(env, hmacSealed, "audit", "verify").assertNoSecrets(secrets());
        assertEquals(1, refused.exit(), refused::toString);
        assertTrue(refused.err().contains("line 1: algorithm HMAC-SHA256 is not accepted"), refused::toString);
        assertTrue(refused.err().contains("2 events, 2 failed"), refused::toString);

        CliRun accepted = CliRun.run(env, hmacSealed, "audit", "verify", "--accept", "HMAC-SHA256")
                .assertNoSecrets(secrets());
        assertEquals(0, accepted.exit(), accepted::toString);

        // --accept HMAC-SHA256 without the secret to check it is a usage error, not a pass.
        CliRun noSecret = CliRun.run(kmsEnv(kms.signingKeyId()), hmacSealed, "audit", "verify", "--accept", "HMAC-SHA256");
        assertEquals(2, noSecret.exit(), noSecret::toString);
        assertTrue(noSecret.err().contains("AUDIT_CRYPTO_SECRET"), noSecret::toString);
    }

    @Test
    void aPlaceholderSecretIsRefusedAlsoWhenTheKmsSigns() {
        Map<String, String> env = kmsEnv(kms.signingKeyId());
        env.put("AUDIT_CRYPTO_SECRET", "changeme");
        for (String sub : new String[] {"seal", "verify"}) {
            CliRun r = CliRun.run(env, AuditHmacCommandTest.events(1), "audit", sub);
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.err().contains("AUDIT_CRYPTO_SECRET looks like a placeholder"), r::toString);
        }
    }

    @Test
    void badCredentialsOrKeysFailWithoutShowingSecrets() {
        Map<String, String> env = kmsEnv(kms.signingKeyId());
        env.put("INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", "wrong-client-secret-value");
        CliRun denied = CliRun.run(env, AuditHmacCommandTest.events(1), "audit", "seal")
                .assertNoSecrets("wrong-client-secret-value", kms.clientSecret());
        assertEquals(1, denied.exit(), denied::toString);
        assertTrue(denied.err().contains("KMS_SIGNING_KEY_ID"), denied::toString);
        assertEquals("", denied.out());

        CliRun notSigning = CliRun.run(kmsEnv(kms.encryptionKeyId()), AuditHmacCommandTest.events(1), "audit", "seal");
        assertEquals(2, notSigning.exit(), notSigning::toString);
        assertTrue(notSigning.err().contains("is not a sign-verify key (it is an aes-256-gcm key)"), notSigning::toString);
    }
}
