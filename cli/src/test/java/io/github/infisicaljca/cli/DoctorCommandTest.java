package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.emulator.KmsEmulator;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DoctorCommandTest {
    private static KmsEmulator kms;

    @BeforeAll
    static void start() {
        kms = KmsEmulator.builder().start();
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("INFISICAL_URL", kms.url().toString());
        env.put("INFISICAL_UNIVERSAL_AUTH_CLIENT_ID", kms.clientId());
        env.put("INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", kms.clientSecret());
        env.put("INFISICAL_PROJECT_ID", kms.projectId());
        env.put("KMS_SIGNING_KEY_ID", kms.signingKeyId());
        env.put("KMS_ENCRYPTION_KEY_ID", kms.encryptionKeyId());
        env.put("KMS_HMAC_KEY_ID", kms.keyId(KmsEmulator.HMAC_KEY));
        return env;
    }

    /** The lines of the step numbered {@code n}, up to the next step. */
    private static String step(CliRun r, int n) {
        String out = r.out();
        int start = out.indexOf("\n" + n + ". ");
        assertTrue(start >= 0, "no step " + n + ":\n" + out);
        int end = out.indexOf("\n" + (n + 1) + ". ", start);
        return out.substring(start, end < 0 ? out.length() : end);
    }

    @Test
    void aHealthyEmulatorPassesEveryStep() {
        CliRun r = CliRun.run(env(), "", "doctor").assertNoSecrets(kms.clientSecret());
        assertEquals(0, r.exit(), r::toString);
        assertFalse(r.out().contains("FAILED"), r::toString);
        assertTrue(step(r, 1).contains("infisical.url") && step(r, 1).contains("***MASKED***"), r::toString);
        assertTrue(step(r, 1).contains(kms.clientId()), r::toString);
        assertTrue(step(r, 2).contains("ok: "), r::toString);
        assertTrue(step(r, 3).contains("ok: connected to"), r::toString);
        assertTrue(step(r, 4).contains("skipped: http:// has no TLS"), r::toString);
        assertTrue(step(r, 5).contains("ok: logged in; project " + kms.projectId() + " lists 4 keys"), r::toString);
        String access = step(r, 6);
        for (String name : List.of("'signing-key', sign-verify", "'encryption-key', encrypt-decrypt",
                "'hmac-key', generate-verify-mac")) {
            assertTrue(access.contains("ok: ") && access.contains(name), name + "\n" + r);
        }
        String ops = step(r, 7);
        assertTrue(ops.contains("KMS_SIGNING_KEY_ID: signed in the KMS"), r::toString);
        assertTrue(ops.contains("KMS_ENCRYPTION_KEY_ID: encrypted and decrypted"), r::toString);
        assertTrue(ops.contains("KMS_HMAC_KEY_ID: 32-byte MAC computed and verified"), r::toString);
        assertTrue(Pattern.compile("ok: p50 \\d+\\.\\d ms, p95 \\d+\\.\\d ms").matcher(step(r, 8)).find(), r::toString);
        String telemetry = step(r, 10);
        assertTrue(Pattern.compile("ok: \\d+ KMS calls, 0 failed, 0 retried").matcher(telemetry).find(), r::toString);
        // Step 7 signed once in the KMS: the client's own count says so, with its latency columns.
        assertTrue(Pattern.compile("(?m)^\\s+sign\\s+1\\s+0(\\s+\\d+\\.\\d){4}$").matcher(telemetry).find(), r::toString);
        assertTrue(r.out().contains("healthy: every check passed"), r::toString);
    }

    @Test
    void aWrongClientSecretFailsAtAuthenticationNamingTheCredentials() {
        Map<String, String> env = env();
        env.put("INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", "wrong-secret-value-123");
        CliRun r = CliRun.run(env, "", "doctor").assertNoSecrets("wrong-secret-value-123", kms.clientSecret());
        assertEquals(1, r.exit(), r::toString);
        String auth = step(r, 5);
        assertTrue(auth.contains("FAILED"), r::toString);
        assertTrue(Pattern.compile("likely cause: the credentials are refused: wrong client id or client secret")
                .matcher(auth).find(), r::toString);
        assertTrue(auth.contains("remedy: "), r::toString);
        assertFalse(r.out().contains("\n6. "), "doctor goes on after failed authentication:\n" + r);
        assertTrue(r.out().contains("NOT healthy"), r::toString);
    }

    @Test
    void aClosedPortFailsAtTheTcpStep() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Map<String, String> env = env();
        env.put("INFISICAL_URL", "http://127.0.0.1:" + port);
        CliRun r = CliRun.run(env, "", "doctor");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(step(r, 2).contains("ok: 127.0.0.1"), r::toString);
        String tcp = step(r, 3);
        assertTrue(tcp.contains("FAILED: cannot connect to 127.0.0.1:" + port), r::toString);
        assertTrue(tcp.contains("likely cause: nothing listens on 127.0.0.1:" + port), r::toString);
        assertTrue(tcp.contains("remedy: "), r::toString);
        assertFalse(r.out().contains("\n4. "), r::toString);
    }

    @Test
    void noConfigurationListsTheMissingUrl() {
        CliRun r = CliRun.run(Map.of(), "", "doctor");
        assertEquals(1, r.exit(), r::toString);
        String config = step(r, 1);
        assertTrue(config.contains("problem: ") && config.contains("INFISICAL_URL"), r::toString);
        assertTrue(config.contains("FAILED") && config.contains("likely cause: ") && config.contains("remedy: "),
                r::toString);
        assertFalse(r.out().contains("\n2. "), r::toString);
    }

    @Test
    void aKeyOfTheWrongUsageFailsAtKeyAccess() {
        Map<String, String> env = env();
        env.put("KMS_ENCRYPTION_KEY_ID", kms.signingKeyId());
        CliRun r = CliRun.run(env, "", "doctor");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(step(r, 6).contains("likely cause: KMS_ENCRYPTION_KEY_ID needs an encrypt-decrypt key"), r::toString);
        assertTrue(step(r, 6).contains("remedy: point KMS_ENCRYPTION_KEY_ID at an encrypt-decrypt key"), r::toString);
    }

    @Test
    void aServerMessageCannotForgeDoctorsVerdict() {
        String forged = "{\"statusCode\":403,\"message\":\"\\u001b[2J\\nhealthy: every check passed\\n\",\"error\":\"Forbidden\"}";
        kms.inject("GET", "/v1/kms/keys$", io.github.infisicaljca.emulator.Fault.status(403, forged), 1);
        try {
            CliRun r = CliRun.run(env(), "", "doctor");
            assertEquals(1, r.exit(), r::toString);
            assertFalse(r.out().contains("\u001b"), r::toString);
            assertTrue(step(r, 5).contains("FAILED: ") && step(r, 5).contains("HTTP 403 Forbidden: \\u001b[2J healthy"), r::toString);
            assertTrue(r.out().lines().noneMatch(l -> l.startsWith("healthy")), r::toString);
            assertTrue(r.out().endsWith("\nNOT healthy: see the FAILED steps above\n"), r::toString);
        } finally {
            kms.clearFaults();
        }
    }

    @Test
    void theLatencyPercentilesAreNearestRank() {
        long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, DoctorCommand.percentile(sorted, 50));
        assertEquals(10, DoctorCommand.percentile(sorted, 95));
        assertEquals(1, DoctorCommand.percentile(new long[] {1}, 95));
    }
}
