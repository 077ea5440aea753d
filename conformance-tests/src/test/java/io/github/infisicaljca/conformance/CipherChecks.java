package io.github.infisicaljca.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.EnvelopeParameterSpec;
import java.io.ByteArrayOutputStream;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@link Cipher} contract as the JDK documents it, on one registered Cipher service:
 * IllegalStateException before init (from Cipher itself), InvalidKeyException for a key the
 * engine cannot use, reuse after doFinal, getOutputSize as an upper bound, a ShortBufferException
 * that can be retried, and the parameters each engine takes.
 */
final class CipherChecks {
    private static final SecureRandom RANDOM = new SecureRandom();

    private CipherChecks() {
    }

    private static boolean envelope(ServiceTester.Entry e) {
        switch (e.algorithm()) {
            case "INFISICAL-AES":
                return false;
            case "INFISICAL-ENVELOPE":
                return true;
            default:
                throw new AssertionError("Cipher " + e.algorithm() + " is not in the contract's table");
        }
    }

    static void beforeInit(ServiceTester.Entry e, SeededKeys k) throws Exception {
        Cipher c = Cipher.getInstance(e.algorithm(), k.provider());
        byte[] in = {1, 2, 3};
        assertThrows(IllegalStateException.class, () -> c.update(in), "update before init");
        assertThrows(IllegalStateException.class, () -> c.update(in, 0, 3, new byte[256]), "update(out) before init");
        assertThrows(IllegalStateException.class, () -> c.updateAAD(in), "updateAAD before init");
        assertThrows(IllegalStateException.class, () -> c.doFinal(), "doFinal() before init");
        assertThrows(IllegalStateException.class, () -> c.doFinal(in), "doFinal(byte[]) before init");
        assertThrows(IllegalStateException.class, () -> c.doFinal(new byte[256], 0), "doFinal(out, off) before init");
        assertThrows(IllegalStateException.class, () -> c.getOutputSize(3), "getOutputSize before init");
        assertThrows(IllegalStateException.class, () -> c.wrap(new SecretKeySpec(new byte[16], "AES")), "wrap before init");
        assertThrows(IllegalStateException.class, () -> c.unwrap(new byte[48], "AES", Cipher.SECRET_KEY),
                "unwrap before init");
    }

    static void wrongKeys(ServiceTester.Entry e, SeededKeys k) throws Exception {
        Cipher c = Cipher.getInstance(e.algorithm(), k.provider());
        List<Key> wrong = Arrays.asList(new SecretKeySpec(new byte[32], "AES"), k.hmac(), k.rsa(), k.rsa().publicKey(), null);
        for (int mode : new int[] {Cipher.ENCRYPT_MODE, Cipher.DECRYPT_MODE}) {
            for (Key key : wrong) {
                assertThrows(InvalidKeyException.class, () -> c.init(mode, key),
                        "init(" + mode + ") with " + (key == null ? "null" : key.getClass().getName() + " " + key.getAlgorithm()));
            }
        }
    }

    /** Encrypt twice and decrypt twice with one object each: doFinal leaves the cipher as init left it. */
    static void reusableAndBounded(ServiceTester.Entry e, SeededKeys k) throws Exception {
        boolean env = envelope(e);
        int max = k.provider().config().maxPayloadBytes() - 31;
        int[] sizes = env ? new int[] {0, 1, 4095, 4096, 65536, 70000} : new int[] {1, 100, max};
        Cipher enc = Cipher.getInstance(e.algorithm(), k.provider());
        Cipher dec = Cipher.getInstance(e.algorithm(), k.provider());
        enc.init(Cipher.ENCRYPT_MODE, k.aes());
        assertNull(enc.getIV(), "the IV is inside the ciphertext");
        assertNull(enc.getParameters(), "no parameters to carry");
        assertEquals(0, enc.getBlockSize());
        byte[][] cts = new byte[sizes.length][];
        byte[][] pts = new byte[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            pts[i] = random(sizes[i]);
            cts[i] = i % 2 == 0 ? finalBounded(enc, pts[i], "encrypt " + sizes[i]) : splitBounded(enc, pts[i], "encrypt " + sizes[i]);
        }
        dec.init(Cipher.DECRYPT_MODE, k.aes());
        for (int i = sizes.length - 1; i >= 0; i--) {
            byte[] pt = i % 2 == 0 ? splitBounded(dec, cts[i], "decrypt " + sizes[i]) : finalBounded(dec, cts[i], "decrypt " + sizes[i]);
            assertArrayEquals(pts[i], pt, "round trip of " + sizes[i] + " bytes");
        }
        // The output-buffer forms: too small is a ShortBufferException, and the same call can be retried.
        byte[] pt = random(300);
        enc.init(Cipher.ENCRYPT_MODE, k.aes());
        assertThrows(ShortBufferException.class, () -> enc.doFinal(pt, 0, pt.length, new byte[1], 0), "1-byte output buffer");
        byte[] out = new byte[enc.getOutputSize(pt.length) + 5];
        int n = enc.doFinal(pt, 0, pt.length, out, 5);
        assertTrue(n <= out.length - 5);
        dec.init(Cipher.DECRYPT_MODE, k.aes());
        assertArrayEquals(pt, dec.doFinal(out, 5, n), "after a ShortBufferException the retried call encrypted everything");
        if (!env) {
            enc.init(Cipher.ENCRYPT_MODE, k.aes());
            assertThrows(IllegalBlockSizeException.class, () -> enc.doFinal(new byte[0]), "an empty plaintext");
            enc.init(Cipher.ENCRYPT_MODE, k.aes());
            assertThrows(IllegalBlockSizeException.class, () -> enc.doFinal(new byte[max + 1]), (max + 1) + " bytes");
        }
    }

    private static byte[] finalBounded(Cipher c, byte[] in, String what) throws Exception {
        int bound = c.getOutputSize(in.length);
        byte[] out = c.doFinal(in);
        assertTrue(out.length <= bound, what + ": getOutputSize(" + in.length + ") = " + bound + " but doFinal returned "
                + out.length + " bytes");
        return out;
    }

    private static byte[] splitBounded(Cipher c, byte[] in, String what) throws Exception {
        int split = in.length / 3;
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int bound = c.getOutputSize(split);
        byte[] a = c.update(in, 0, split);
        int got = a == null ? 0 : a.length;
        assertTrue(got <= bound, what + ": getOutputSize(" + split + ") = " + bound + " but update returned " + got);
        all.write(a == null ? new byte[0] : a);
        bound = c.getOutputSize(in.length - split);
        byte[] b = c.doFinal(in, split, in.length - split);
        assertTrue(b.length <= bound, what + ": getOutputSize(" + (in.length - split) + ") after update = " + bound
                + " but doFinal returned " + b.length);
        all.write(b);
        return all.toByteArray();
    }

    /** Modes and parameters each engine takes, and the EnvelopeParameterSpec honoured. */
    static void modesAndParameters(ServiceTester.Entry e, SeededKeys k) throws Exception {
        Cipher c = Cipher.getInstance(e.algorithm(), k.provider());
        assertThrows(InvalidAlgorithmParameterException.class, () -> c.init(Cipher.ENCRYPT_MODE, k.aes(),
                new GCMParameterSpec(128, new byte[12])), "GCMParameterSpec");
        assertThrows(InvalidAlgorithmParameterException.class, () -> c.init(Cipher.DECRYPT_MODE, k.aes(),
                new IvParameterSpec(new byte[16])), "IvParameterSpec");
        AlgorithmParameters gcm = AlgorithmParameters.getInstance("GCM");
        gcm.init(new GCMParameterSpec(128, new byte[12]));
        assertThrows(InvalidAlgorithmParameterException.class, () -> c.init(Cipher.ENCRYPT_MODE, k.aes(), gcm),
                "AlgorithmParameters");
        if (!envelope(e)) {
            c.init(Cipher.WRAP_MODE, k.aes());
            assertThrows(IllegalStateException.class, () -> c.update(new byte[1]), "update in WRAP_MODE");
            assertThrows(IllegalStateException.class, () -> c.doFinal(new byte[1]), "doFinal in WRAP_MODE");
            SecretKeySpec secret = new SecretKeySpec(random(32), "AES");
            byte[] wrapped = c.wrap(secret);
            byte[] again = c.wrap(secret); // reusable after wrap
            c.init(Cipher.UNWRAP_MODE, k.aes());
            assertEquals(secret, c.unwrap(wrapped, "AES", Cipher.SECRET_KEY));
            assertEquals(secret, c.unwrap(again, "AES", Cipher.SECRET_KEY));
            c.init(Cipher.ENCRYPT_MODE, k.aes());
            assertThrows(IllegalStateException.class, () -> c.wrap(secret), "wrap in ENCRYPT_MODE");
            assertThrows(UnsupportedOperationException.class, () -> c.updateAAD(new byte[1]), "INFISICAL-AES has no AAD");
            return;
        }
        assertThrows(UnsupportedOperationException.class, () -> c.init(Cipher.WRAP_MODE, k.aes()),
                "Cipher.init declares UnsupportedOperationException for a mode the CipherSpi does not implement");
        byte[] pt = random(10_000);
        EnvelopeParameterSpec small = EnvelopeParameterSpec.builder().segmentSize(4096).build();
        c.init(Cipher.ENCRYPT_MODE, k.aes(), small);
        byte[] segmented = finalBounded(c, pt, "10000 bytes in 4 KiB segments");
        c.init(Cipher.ENCRYPT_MODE, k.aes(), (java.security.spec.AlgorithmParameterSpec) null);
        byte[] whole = finalBounded(c, pt, "10000 bytes in the default 64 KiB segment");
        assertEquals(12, segmented[5], "the header records a 2^12 segment size");
        assertEquals(16, whole[5], "the header records the default 2^16 segment size");
        assertEquals(whole.length + 2 * 16, segmented.length, "three 4 KiB segments carry two more 16-byte tags than one");
        c.init(Cipher.DECRYPT_MODE, k.aes());
        assertArrayEquals(pt, c.doFinal(segmented), "the decryptor takes the segment size from the header");
        c.init(Cipher.DECRYPT_MODE, k.aes(), small);
        assertArrayEquals(pt, c.doFinal(whole));
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
