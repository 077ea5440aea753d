package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.cli.KeyCommandsTest.BinRun;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code encrypt} and {@code decrypt} through INFISICAL-ENVELOPE against an in-process emulator. */
class KeyEnvelopeCommandsTest {
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

    @Test
    void threeMebibytesRoundTripThroughFiles() throws Exception {
        byte[] plain = new byte[3 << 20];
        new Random(3).nextBytes(plain);
        Path in = Files.write(dir.resolve("plain.bin"), plain);
        Path enc = dir.resolve("plain.bin.enc");
        Path dec = dir.resolve("plain.bin.dec");

        BinRun e = BinRun.run(KeyCommandsTest.env(kms, true), new byte[0], "encrypt", "--key",
                KmsEmulator.ENCRYPTION_KEY, "--in", in.toString(), "--out", enc.toString());
        assertEquals(0, e.exit(), e::toString);
        assertEquals(0, e.out().length);
        byte[] ciphertext = Files.readAllBytes(enc);
        assertTrue(ciphertext.length > plain.length, "ciphertext carries header and tags");
        assertFalse(indexOf(ciphertext, java.util.Arrays.copyOf(plain, 64)), "plaintext shows in the ciphertext");

        // By id, without the project.
        BinRun d = BinRun.run(KeyCommandsTest.env(kms, false), new byte[0], "decrypt", "--key",
                kms.encryptionKeyId(), "--in", enc.toString(), "--out", dec.toString());
        assertEquals(0, d.exit(), d::toString);
        assertArrayEquals(plain, Files.readAllBytes(dec));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary files are left");
        }
    }

    @Test
    void stdinToStdoutAndEmptyInput() {
        byte[] plain = "secret note\n".getBytes(StandardCharsets.UTF_8);
        for (byte[] p : new byte[][] {plain, new byte[0]}) {
            BinRun e = BinRun.run(KeyCommandsTest.env(kms, true), p, "encrypt", "--key", KmsEmulator.ENCRYPTION_KEY);
            assertEquals(0, e.exit(), e::toString);
            BinRun d = BinRun.run(KeyCommandsTest.env(kms, true), e.out(), "decrypt", "--key",
                    KmsEmulator.ENCRYPTION_KEY);
            assertEquals(0, d.exit(), d::toString);
            assertArrayEquals(p, d.out());
        }
    }

    @Test
    void tamperedCiphertextFailsWithExitOneAndNoOutput() throws Exception {
        byte[] plain = new byte[200_000];
        new Random(5).nextBytes(plain);
        BinRun e = BinRun.run(KeyCommandsTest.env(kms, true), plain, "encrypt", "--key", KmsEmulator.ENCRYPTION_KEY);
        assertEquals(0, e.exit(), e::toString);
        byte[] tampered = e.out().clone();
        tampered[tampered.length - 5] ^= 0x40; // in the last segment

        Path out = dir.resolve("out.bin");
        Path enc = Files.write(dir.resolve("tampered.enc"), tampered);
        BinRun d = BinRun.run(KeyCommandsTest.env(kms, true), new byte[0], "decrypt", "--key",
                KmsEmulator.ENCRYPTION_KEY, "--in", enc.toString(), "--out", out.toString());
        assertEquals(1, d.exit(), d::toString);
        assertTrue(d.err().contains("decryption failed: the ciphertext is not authentic"), d::toString);
        assertFalse(Files.exists(out), "no output file after a failed decrypt");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left");
        }

        // To stdout: at most the authenticated leading segments (64 KiB each), never the tampered tail.
        BinRun s = BinRun.run(KeyCommandsTest.env(kms, true), tampered, "decrypt", "--key",
                KmsEmulator.ENCRYPTION_KEY);
        assertEquals(1, s.exit(), s::toString);
        assertTrue(s.out().length < plain.length, s::toString);
        assertArrayEquals(java.util.Arrays.copyOf(plain, s.out().length), s.out());

        // Truncated: fails too.
        BinRun t = BinRun.run(KeyCommandsTest.env(kms, true), java.util.Arrays.copyOf(e.out(), e.out().length - 1),
                "decrypt", "--key", KmsEmulator.ENCRYPTION_KEY);
        assertEquals(1, t.exit(), t::toString);
    }

    @Test
    void signingKeysCannotEncrypt() {
        BinRun r = BinRun.run(KeyCommandsTest.env(kms, true), new byte[] {1}, "encrypt", "--key",
                KmsEmulator.SIGNING_KEY);
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("sign-verify key") && r.err().contains("use an encrypt-decrypt key"), r::toString);
        BinRun h = BinRun.run(KeyCommandsTest.env(kms, true), new byte[] {1}, "decrypt", "--key",
                KmsEmulator.HMAC_KEY);
        assertEquals(2, h.exit(), h::toString);
    }

    private static boolean indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
