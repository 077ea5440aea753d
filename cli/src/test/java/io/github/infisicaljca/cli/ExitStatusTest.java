package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.cli.KeyCommandsTest.BinRun;
import io.github.infisicaljca.emulator.Fault;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit statuses of Main's convention, command by command: 1 when the KMS fails (a 500 here,
 * retried and still failing) or the input is bad, 2 only when the command line or the
 * configuration is wrong.
 */
class ExitStatusTest {
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

    @AfterEach
    void clear() {
        kms.clearFaults();
    }

    private static Map<String, String> env() {
        return KeyCommandsTest.env(kms, true);
    }

    private static void failsWithTheServerError(BinRun r) {
        assertEquals(CliException.FAILURE, r.exit(), r::toString);
        assertTrue(r.err().contains("500"), r::toString);
        assertFalse(r.err().contains(kms.clientSecret()), r::toString);
    }

    @Test
    void aKmsFailureDuringEncryptOrDecryptIsAFailureNotAUsageError() {
        byte[] plain = {1, 2, 3};
        BinRun ok = BinRun.run(env(), plain, "encrypt", "--key", KmsEmulator.ENCRYPTION_KEY);
        assertEquals(0, ok.exit(), ok::toString);

        kms.inject("POST", "/encrypt$", Fault.status(500), -1);
        failsWithTheServerError(BinRun.run(env(), plain, "encrypt", "--key", KmsEmulator.ENCRYPTION_KEY));
        kms.clearFaults();
        kms.inject("POST", "/decrypt$", Fault.status(500), -1);
        failsWithTheServerError(BinRun.run(env(), ok.out(), "decrypt", "--key", KmsEmulator.ENCRYPTION_KEY));
    }

    @Test
    void aKmsFailureDuringSignIsAFailureNotAUsageError() {
        kms.inject("POST", "/sign$", Fault.status(500), -1);
        failsWithTheServerError(BinRun.run(env(), new byte[] {1}, "sign", "--key", KmsEmulator.SIGNING_KEY));
        failsWithTheServerError(BinRun.run(env(), new byte[] {1}, "sign", "--key", KmsEmulator.EC_SIGNING_KEY));
    }

    @Test
    void aKmsFailureFetchingThePublicKeyForVerifyIsAFailure() throws Exception {
        BinRun signed = BinRun.run(env(), new byte[] {7}, "sign", "--key", kms.signingKeyId());
        assertEquals(0, signed.exit(), signed::toString);
        Path sig = Files.write(dir.resolve("sig"), signed.out());
        kms.inject("GET", "/public-key$", Fault.status(500), -1);
        // A fresh process: the public key is not cached yet.
        failsWithTheServerError(BinRun.run(env(), new byte[] {7}, "verify", "--key", kms.signingKeyId(),
                "--signature", sig.toString()));
    }

    @Test
    void aKmsFailureListingKeysOrSealingIsAFailure() {
        kms.inject("GET", "/v1/kms/keys$", Fault.status(500), -1);
        failsWithTheServerError(BinRun.run(env(), new byte[0], "keys"));
        kms.clearFaults();

        kms.inject("POST", "/sign$", Fault.status(500), -1);
        Map<String, String> sealing = AuditKmsCommandTest.kmsEnv(kms, kms.signingKeyId());
        failsWithTheServerError(BinRun.run(sealing, AuditHmacCommandTest.events(1).getBytes(), "audit", "seal"));
    }

    @Test
    void aMissingFileNamedOnTheCommandLineIsAUsageErrorInEveryCommand() {
        String nope = dir.resolve("nope").toString();
        String noDir = dir.resolve("no-dir").resolve("out").toString();
        for (String[] args : new String[][] {
            {"sign", "--key", KmsEmulator.SIGNING_KEY, "--in", nope},
            {"verify", "--key", KmsEmulator.SIGNING_KEY, "--signature", nope},
            {"encrypt", "--key", KmsEmulator.ENCRYPTION_KEY, "--in", nope},
            {"encrypt", "--key", KmsEmulator.ENCRYPTION_KEY, "--out", noDir},
            {"audit", "seal", "--in", nope},
            {"audit", "seal", "--out", noDir},
            {"audit", "verify", "--in", nope}}) {
            Map<String, String> e = args[0].equals("audit") ? AuditHmacCommandTest.ENV : env();
            BinRun r = BinRun.run(e, new byte[] {1}, args);
            assertEquals(CliException.USAGE, r.exit(), String.join(" ", args) + ": " + r);
            assertTrue(r.err().contains(args[args.length - 1]), r::toString);
        }
    }

    @Test
    void aKeyOfAnotherUsageIsAUsageErrorWithTheRightArticle() {
        BinRun aes = BinRun.run(env(), new byte[] {1}, "sign", "--key", KmsEmulator.ENCRYPTION_KEY);
        assertEquals(CliException.USAGE, aes.exit(), aes::toString);
        assertTrue(aes.err().contains("is an encrypt-decrypt key (aes-256-gcm)"), aes::toString);
    }
}
