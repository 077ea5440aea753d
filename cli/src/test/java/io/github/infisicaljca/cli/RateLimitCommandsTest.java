package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.cli.KeyCommandsTest.BinRun;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RateLimits;
import io.github.infisicaljca.emulator.RecordedRequest;
import io.github.infisicaljca.emulator.ServerProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line against a server whose rate limit is spent: it says so, and says nothing else. */
class RateLimitCommandsTest {
    @TempDir
    Path dir;

    @Test
    void decryptingAValidFileOnASpent2024BudgetSaysRateLimitedNotTampered() throws Exception {
        try (KmsEmulator kms = KmsEmulator.builder().profile(ServerProfile.INFISICAL_2024).start()) {
            byte[] plain = "a valid envelope, decrypted twice".getBytes(StandardCharsets.UTF_8);
            Path in = Files.write(dir.resolve("plain.txt"), plain);
            Path enc = dir.resolve("plain.txt.enc");
            Map<String, String> env = KeyCommandsTest.env(kms, true);
            assertEquals(0, BinRun.run(env, new byte[0], "encrypt", "--key", KmsEmulator.ENCRYPTION_KEY, "--in",
                    in.toString(), "--out", enc.toString()).exit());

            // Another process on this host spends the minute's decryptions.
            kms.rateLimits(RateLimits.perWindow(3, 60, Duration.ofMinutes(1)));
            InfisicalProvider other = new InfisicalProvider(InfisicalConfig.builder().withoutAmbientSources()
                    .url(kms.url().toString()).clientId(kms.clientId()).clientSecret(kms.clientSecret())
                    .projectId(kms.projectId()).build());
            Key key = other.key(kms.encryptionKeyId());
            for (int i = 0; i < 3; i++) {
                Cipher c = Cipher.getInstance("INFISICAL-ENVELOPE", other);
                c.init(Cipher.DECRYPT_MODE, key);
                assertArrayEquals(plain, c.doFinal(Files.readAllBytes(enc)));
            }

            Path second = dir.resolve("second.txt");
            BinRun spent = BinRun.run(env, new byte[0], "decrypt", "--key", KmsEmulator.ENCRYPTION_KEY, "--in",
                    enc.toString(), "--out", second.toString());
            assertEquals(1, spent.exit(), spent::toString);
            String err = spent.err();
            assertTrue(err.contains("rate limited") && err.contains("resets in"), err);
            assertTrue(err.contains("INFISICAL-ENVELOPE with a data-key cache"), "the remedy: " + err);
            assertFalse(err.contains("not authentic") || err.contains("tampered"), err);
            assertFalse(Files.exists(second), "a failed decryption leaves no file");
            assertTrue(kms.requests().stream().anyMatch(r -> r.rateLimited() && r.status() == 500),
                    "the 2024 server refused with its 500");
        }
    }

    @Test
    void doctorNamesASpentBudgetAndShowsTheBudgetItSaw() {
        try (KmsEmulator kms = KmsEmulator.builder().rateLimits(RateLimits.perWindow(5, 60, Duration.ofMinutes(1)))
                .start()) {
            Map<String, String> env = new HashMap<>(KeyCommandsTest.env(kms, true));
            env.put("KMS_ENCRYPTION_KEY_ID", kms.encryptionKeyId());
            CliRun r = CliRun.run(env, "", "doctor").assertNoSecrets(kms.clientSecret());
            assertEquals(1, r.exit(), r::toString);
            String out = r.out();
            int latency = out.indexOf("\n8. ");
            int budget = out.indexOf("\n9. ");
            assertTrue(latency > 0 && budget > latency, out);
            String step8 = out.substring(latency, budget);
            assertTrue(step8.contains("FAILED") && step8.contains("likely cause: rate limited: the server's budget of 5"
                    + " requests a window on POST /v1/kms/keys/{keyId}/encrypt is spent"), step8);
            assertTrue(step8.contains("resets in"), step8);
            String step9 = out.substring(budget);
            assertTrue(step9.contains("POST /v1/kms/keys/{keyId}/encrypt: 5 a window, 0 left, resets in"), step9);
            assertTrue(step9.contains("GET /v1/kms/keys: 60 a window"), step9);
            long refused = kms.requests().stream().filter(RecordedRequest::rateLimited).count();
            assertEquals(0, refused, "the fifth answer said none was left: the sixth call was never sent");
        }
    }
}
