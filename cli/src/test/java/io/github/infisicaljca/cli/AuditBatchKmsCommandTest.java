package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit seal --batch N} signing with a KMS key of an in-process emulator: one sign call per batch. */
class AuditBatchKmsCommandTest {
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

    private static long signCalls() {
        return kms.requests().stream().filter(q -> q.route().endsWith("/sign")).count();
    }

    private static String[] secrets() {
        return new String[] {kms.clientSecret(), AuditHmacCommandTest.SECRET};
    }

    @Test
    void sealsOneKmsSignaturePerBatchAndVerifies(@TempDir Path dir) throws Exception {
        Map<String, String> env = AuditKmsCommandTest.kmsEnv(kms, kms.signingKeyId());
        env.put("AUDIT_CRYPTO_SECRET", AuditHmacCommandTest.SECRET); // present, but the KMS wins
        Path cp = dir.resolve("kms.checkpoint");
        kms.clearRequests();
        CliRun sealed = CliRun.run(env, AuditBatchCommandTest.events("k", 1, 23), "audit", "seal", "--batch", "10",
                "--checkpoint", cp.toString()).assertNoSecrets(secrets());
        assertEquals(0, sealed.exit(), sealed::toString);
        assertEquals(3, signCalls(), "ceil(23 / 10) sign requests");
        assertTrue(sealed.err().contains("23 events sealed in 3 batches (3 signatures) with RSASSA_PSS_SHA_256"),
                sealed::toString);
        assertEquals(23, sealed.outLines().size());
        for (String line : sealed.outLines()) {
            JsonNode seal = JSON.readTree(line).get("seal");
            assertEquals(kms.signingKeyId(), seal.get("keyId").asText());
            assertEquals("RSASSA_PSS_SHA_256", seal.get("algorithm").asText());
        }

        Map<String, String> verifyEnv = AuditKmsCommandTest.kmsEnv(kms, kms.signingKeyId());
        kms.clearRequests();
        CliRun verified = CliRun.run(verifyEnv, sealed.out(), "audit", "verify", "--checkpoint", cp.toString())
                .assertNoSecrets(secrets());
        assertEquals(0, verified.exit(), verified::toString);
        assertTrue(verified.err().contains("23 events, 0 failed"), verified::toString);
        assertEquals(0, signCalls(), "verifying signs nothing");

        CliRun bad = CliRun.run(verifyEnv, sealed.out().replace("\"amount\":120", "\"amount\":121"), "audit", "verify");
        assertEquals(1, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("line 12: altered: "), bad::toString);
    }

    @Test
    void aKmsConfiguredVerifierTreatsHmacBatchSealsAsAnUnknownKeyUnlessAccepted() {
        CliRun hmac = CliRun.run(AuditHmacCommandTest.ENV, AuditBatchCommandTest.events("h", 1, 3), "audit", "seal",
                "--batch", "2");
        assertEquals(0, hmac.exit(), hmac::toString);
        Map<String, String> env = AuditKmsCommandTest.kmsEnv(kms, kms.signingKeyId());
        env.put("AUDIT_CRYPTO_SECRET", AuditHmacCommandTest.SECRET);
        CliRun refused = CliRun.run(env, hmac.out(), "audit", "verify").assertNoSecrets(secrets());
        assertEquals(1, refused.exit(), refused::toString);
        assertTrue(refused.err().contains("line 1: unknown key: "), refused::toString);
        assertTrue(refused.err().contains("3 events, 3 failed"), refused::toString);
        CliRun accepted = CliRun.run(env, hmac.out(), "audit", "verify", "--accept", "HMAC-SHA256");
        assertEquals(0, accepted.exit(), accepted::toString);
    }

    @Test
    void anAcceptListWithoutTheKeysAlgorithmLeavesNoBatchKey() {
        Map<String, String> ec = AuditKmsCommandTest.kmsEnv(kms, kms.keyId(KmsEmulator.EC_SIGNING_KEY));
        CliRun sealed = CliRun.run(ec, AuditBatchCommandTest.events("e", 1, 2), "audit", "seal", "--batch", "2");
        assertEquals(0, sealed.exit(), sealed::toString);
        assertTrue(sealed.err().contains("with ECDSA_SHA_256"), sealed::toString);
        assertEquals(0, CliRun.run(ec, sealed.out(), "audit", "verify").exit());
        CliRun cross = CliRun.run(ec, sealed.out(), "audit", "verify", "--accept", "RSASSA_PSS_SHA_256");
        assertEquals(1, cross.exit(), cross::toString);
        assertTrue(cross.err().contains("line 1: unknown key: "), cross::toString);
    }
}
