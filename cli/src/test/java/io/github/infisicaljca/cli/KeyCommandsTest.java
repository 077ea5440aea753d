package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.emulator.KmsEmulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keys}, {@code sign} and {@code verify} against an in-process emulator. */
class KeyCommandsTest {
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

    /** URL and credentials; with the project id when {@code project}. */
    static Map<String, String> env(KmsEmulator kms, boolean project) {
        Map<String, String> env = new HashMap<>();
        env.put("INFISICAL_URL", kms.url().toString());
        env.put("INFISICAL_UNIVERSAL_AUTH_CLIENT_ID", kms.clientId());
        env.put("INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", kms.clientSecret());
        if (project) {
            env.put("INFISICAL_PROJECT_ID", kms.projectId());
        }
        return env;
    }

    /** Runs with binary stdin and returns the exit status, stdout bytes and stderr. */
    record BinRun(int exit, byte[] out, String err) {
        static BinRun run(Map<String, String> env, byte[] stdin, String... args) {
            return run(env, new ByteArrayInputStream(stdin), args);
        }

        static BinRun run(Map<String, String> env, InputStream stdin, String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Main.run(args, env, stdin, new PrintStream(out, true),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            return new BinRun(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "exit " + exit + ", " + out.length + " bytes out, stderr: " + err;
        }
    }

    @Test
    void keysListsTheSeededKeysSortedByName() {
        CliRun r = CliRun.run(env(kms, true), "", "keys").assertNoSecrets(kms.clientSecret());
        assertEquals(0, r.exit(), r::toString);
        List<String> lines = r.outLines();
        assertEquals(5, lines.size(), r::toString);
        assertTrue(lines.get(0).matches("NAME +ID +USAGE +ALGORITHM"), lines.get(0));
        String[] names = {KmsEmulator.EC_SIGNING_KEY, KmsEmulator.ENCRYPTION_KEY, KmsEmulator.HMAC_KEY,
            KmsEmulator.SIGNING_KEY};
        for (int i = 0; i < names.length; i++) {
            String[] cols = lines.get(i + 1).split(" +");
            assertEquals(names[i], cols[0], r::toString);
            assertEquals(kms.keyId(names[i]), cols[1], r::toString);
            assertFalse(lines.get(i + 1).contains("disabled"), r::toString);
        }
        assertTrue(lines.get(4).contains("sign-verify"), r::toString);
        assertTrue(lines.get(2).contains("encrypt-decrypt"), r::toString);
    }

    @Test
    void keysWithoutAProjectIsAUsageError() {
        CliRun r = CliRun.run(env(kms, false), "", "keys");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("INFISICAL_PROJECT_ID is not set"), r::toString);
    }

    @Test
    void signAndVerifyByNameAndByIdWithDefaultAlgorithms() throws Exception {
        byte[] message = "release 1.2.3\n".getBytes(StandardCharsets.UTF_8);
        for (String name : new String[] {KmsEmulator.SIGNING_KEY, KmsEmulator.EC_SIGNING_KEY}) {
            BinRun signed = BinRun.run(env(kms, true), message, "sign", "--key", name);
            assertEquals(0, signed.exit(), signed::toString);
            if (name.equals(KmsEmulator.SIGNING_KEY)) {
                assertEquals(512, signed.out().length, signed::toString); // RSA-4096, raw bytes
            }
            Path sig = Files.write(dir.resolve(name + ".sig"), signed.out());

            // By id, without the project: the same signature verifies.
            BinRun ok = BinRun.run(env(kms, false), message, "verify", "--key", kms.keyId(name), "--signature",
                    sig.toString());
            assertEquals(0, ok.exit(), ok::toString);
            assertTrue(ok.err().contains(name.equals(KmsEmulator.SIGNING_KEY) ? "RSASSA_PKCS1_V1_5_SHA_256"
                    : "ECDSA_SHA_256"), ok::toString);

            byte[] tampered = "release 1.2.4\n".getBytes(StandardCharsets.UTF_8);
            BinRun bad = BinRun.run(env(kms, true), tampered, "verify", "--key", name, "--signature", sig.toString());
            assertEquals(1, bad.exit(), bad::toString);
            assertTrue(bad.err().contains("invalid signature"), bad::toString);
        }
        // PKCS#1 is deterministic: by id equals by name.
        BinRun byName = BinRun.run(env(kms, true), message, "sign", "--key", KmsEmulator.SIGNING_KEY);
        BinRun byId = BinRun.run(env(kms, false), message, "sign", "--key", kms.signingKeyId());
        assertEquals(0, byId.exit(), byId::toString);
        assertArrayEquals(byName.out(), byId.out());
    }

    @Test
    void pssWithBase64AndFiles() throws Exception {
        Path in = Files.write(dir.resolve("msg"), "hello pss".getBytes(StandardCharsets.UTF_8));
        Path sig = dir.resolve("msg.sig");
        BinRun signed = BinRun.run(env(kms, true), new byte[0], "sign", "--key", KmsEmulator.SIGNING_KEY, "--alg",
                "RSASSA_PSS_SHA_256", "--in", in.toString(), "--out", sig.toString(), "--base64");
        assertEquals(0, signed.exit(), signed::toString);
        assertEquals(0, signed.out().length);
        assertEquals(512, Base64.getDecoder().decode(Files.readString(sig).strip()).length);

        String[] verify = {"verify", "--key", KmsEmulator.SIGNING_KEY, "--alg", "RSASSA_PSS_SHA_256", "--in",
            in.toString(), "--signature", sig.toString(), "--base64"};
        assertEquals(0, BinRun.run(env(kms, true), new byte[0], verify).exit());
        // The same signature checked as PKCS#1 fails; without --base64 it is not a signature at all.
        BinRun pkcs1 = BinRun.run(env(kms, true), Files.readAllBytes(in), "verify", "--key", KmsEmulator.SIGNING_KEY,
                "--signature", sig.toString(), "--base64");
        assertEquals(1, pkcs1.exit(), pkcs1::toString);
        BinRun raw = BinRun.run(env(kms, true), Files.readAllBytes(in), "verify", "--key", KmsEmulator.SIGNING_KEY,
                "--alg", "RSASSA_PSS_SHA_256", "--signature", sig.toString());
        assertEquals(1, raw.exit(), raw::toString);
    }

    @Test
    void tenMebibytesGoThroughTheDigestPath() throws Exception {
        byte[] big = new byte[10 << 20];
        new Random(7).nextBytes(big);
        kms.clearRequests();
        for (String name : new String[] {KmsEmulator.SIGNING_KEY, KmsEmulator.EC_SIGNING_KEY}) {
            BinRun signed = BinRun.run(env(kms, true), big, "sign", "--key", name);
            assertEquals(0, signed.exit(), signed::toString);
            Path sig = Files.write(dir.resolve("big.sig"), signed.out());
            assertEquals(0, BinRun.run(env(kms, true), big, "verify", "--key", name, "--signature",
                    sig.toString()).exit());
            big[big.length - 1] ^= 1;
            assertEquals(1, BinRun.run(env(kms, true), big, "verify", "--key", name, "--signature",
                    sig.toString()).exit());
            big[big.length - 1] ^= 1;
        }
        // No request carried the 10 MiB message (it was hashed locally, a digest was signed).
        assertTrue(kms.requests().stream().anyMatch(q -> q.route().endsWith("/sign")));
        assertTrue(kms.requests().stream().allMatch(q -> q.body().length() < 8192));

        BinRun pss = BinRun.run(env(kms, true), big, "sign", "--key", KmsEmulator.SIGNING_KEY, "--alg",
                "RSASSA_PSS_SHA_256");
        assertEquals(1, pss.exit(), pss::toString);
        assertEquals(0, pss.out().length);
        assertTrue(pss.err().contains("PSS"), pss::toString);
    }

    @Test
    void wrongKeysAndAlgorithmsAreUsageErrors() throws Exception {
        BinRun aes = BinRun.run(env(kms, true), new byte[] {1}, "sign", "--key", KmsEmulator.ENCRYPTION_KEY);
        assertEquals(2, aes.exit(), aes::toString);
        assertTrue(aes.err().contains("encrypt-decrypt key") && aes.err().contains("use a sign-verify key"),
                aes::toString);
        BinRun hmac = BinRun.run(env(kms, false), new byte[] {1}, "sign", "--key", kms.keyId(KmsEmulator.HMAC_KEY));
        assertEquals(2, hmac.exit(), hmac::toString);

        BinRun ecAlg = BinRun.run(env(kms, true), new byte[] {1}, "sign", "--key", KmsEmulator.SIGNING_KEY, "--alg",
                "ECDSA_SHA_256");
        assertEquals(2, ecAlg.exit(), ecAlg::toString);
        assertTrue(ecAlg.err().contains("does not fit key signing-key"), ecAlg::toString);
        BinRun unknown = BinRun.run(env(kms, true), new byte[] {1}, "sign", "--key", KmsEmulator.SIGNING_KEY,
                "--alg", "SHA256withRSA");
        assertEquals(2, unknown.exit(), unknown::toString);
        assertTrue(unknown.err().contains("RSASSA_PKCS1_V1_5_SHA_256"), unknown::toString);

        BinRun nameNoProject = BinRun.run(env(kms, false), new byte[] {1}, "sign", "--key", KmsEmulator.SIGNING_KEY);
        assertEquals(2, nameNoProject.exit(), nameNoProject::toString);
        assertTrue(nameNoProject.err().contains("INFISICAL_PROJECT_ID"), nameNoProject::toString);
        BinRun missing = BinRun.run(env(kms, true), new byte[] {1}, "sign", "--key", "no-such-key");
        assertEquals(1, missing.exit(), missing::toString);
        assertTrue(missing.err().contains("no key 'no-such-key'"), missing::toString);
        BinRun noKey = BinRun.run(env(kms, true), new byte[] {1}, "sign");
        assertEquals(2, noKey.exit(), noKey::toString);
        BinRun noSig = BinRun.run(env(kms, true), new byte[] {1}, "verify", "--key", KmsEmulator.SIGNING_KEY);
        assertEquals(2, noSig.exit(), noSig::toString);
    }
}
