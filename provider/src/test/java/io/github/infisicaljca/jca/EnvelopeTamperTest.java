package io.github.infisicaljca.jca;

import static io.github.infisicaljca.jca.EnvelopeSupport.ALGORITHM;
import static io.github.infisicaljca.jca.EnvelopeSupport.DEFAULT_SEGMENT;
import static io.github.infisicaljca.jca.EnvelopeSupport.TAG;
import static io.github.infisicaljca.jca.EnvelopeSupport.calls;
import static io.github.infisicaljca.jca.EnvelopeSupport.concat;
import static io.github.infisicaljca.jca.EnvelopeSupport.headerLength;
import static io.github.infisicaljca.jca.EnvelopeSupport.random;
import static io.github.infisicaljca.jca.EnvelopeSupport.segmentOffset;
import static io.github.infisicaljca.jca.EnvelopeSupport.segments;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RecordedRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.CipherInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every row of the format's attack table: an AEADBadTagException at doFinal, and no unauthentic plaintext before it. */
class EnvelopeTamperTest {
    private static final int S = 4096;
    private static final int SEG = S + TAG;
    private static final byte[] AAD = "aad".getBytes(StandardCharsets.US_ASCII);

    private static EmulatorFixture f;
    private static InfisicalProvider provider;
    private static Key key;
    private static Key other;
    private static String otherId;
    /** 4 segments, the last holding 100 bytes, with AAD. */
    private static byte[] plain;
    private static byte[] msg;
    private static int h;
    /** 4 full segments, with AAD. */
    private static byte[] fullPlain;
    private static byte[] full;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture();
        otherId = f.kms.importKey("other-aes", "aes-256-gcm", random(32, 99));
        provider = f.provider();
        KeyStore ks = f.keyStore(provider);
        key = ks.getKey(KmsEmulator.ENCRYPTION_KEY, null);
        other = ks.getKey(otherId, null);
        plain = random(3 * S + 100, 1);
        msg = EnvelopeSupport.encrypt(provider, key, segments(S), AAD, plain);
        h = headerLength(msg);
        fullPlain = random(4 * S, 2);
        full = EnvelopeSupport.encrypt(provider, key, segments(S), AAD, fullPlain);
        assertEquals(h + 3 * SEG + 100 + TAG, msg.length);
        assertArrayEquals(plain, EnvelopeSupport.decrypt(provider, key, AAD, msg)); // the untouched message is fine
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    /**
     * Decrypts {@code m} fed in odd chunks through update, expecting the failure at doFinal; what
     * update released must be a prefix of the true plaintext {@code p}, at most {@code maxReleased}
     * bytes. Then once more in one doFinal. Returns the first exception.
     */
    private static AEADBadTagException rejected(Key k, byte[] aad, byte[] m, byte[] p, int maxReleased) throws Exception {
        Cipher d = Cipher.getInstance(ALGORITHM, provider);
        d.init(Cipher.DECRYPT_MODE, k);
        if (aad != null) {
            d.updateAAD(aad);
        }
        ByteArrayOutputStream released = new ByteArrayOutputStream();
        for (int off = 0; off < m.length; off += 777) {
            byte[] r = d.update(m, off, Math.min(777, m.length - off));
            if (r != null) {
                released.write(r);
            }
        }
        AEADBadTagException e = assertThrows(AEADBadTagException.class, () -> d.doFinal());
        byte[] got = released.toByteArray();
        assertTrue(got.length <= maxReleased, "released " + got.length + " bytes, at most " + maxReleased + " are authentic");
        assertArrayEquals(Arrays.copyOf(p, got.length), got, "released plaintext must be authentic");

        d.init(Cipher.DECRYPT_MODE, k);
        if (aad != null) {
            d.updateAAD(aad);
        }
        assertThrows(AEADBadTagException.class, () -> d.doFinal(m));
        return e;
    }

    private static AEADBadTagException rejected(byte[] m, int maxReleased) throws Exception {
        return rejected(key, AAD, m, plain, maxReleased);
    }

    private static byte[] flip(byte[] m, int offset, int bit) {
        byte[] c = m.clone();
        c[offset] ^= (byte) (1 << bit);
        return c;
    }

    private static byte[] segment(byte[] m, int i) {
        int start = segmentOffset(m, S, i);
        return Arrays.copyOfRange(m, start, Math.min(m.length, start + SEG));
    }

    @Test
    void magicVersionSegExpAndKeyIdRefusedBeforeAnyRemoteCall() throws Exception {
        for (int offset = 0; offset < EnvelopeSupport.OFF_L; offset++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] m = flip(msg, offset, bit);
                int exp = m[EnvelopeSupport.OFF_SEG_EXP];
                boolean validExp = offset == EnvelopeSupport.OFF_SEG_EXP && exp >= 12 && exp <= 24;
                f.kms.clearRequests();
                AEADBadTagException e = rejected(m, 0);
                String where = "byte " + offset + " bit " + bit + ": " + e.getMessage();
                if (validExp) { // another valid segment size: A (over the header) differs
                    assertEquals(2, calls(f, "decrypt"), where);
                    continue;
                }
                assertEquals(0, calls(f, "decrypt"), "refused before any remote call: " + where);
                if (offset >= EnvelopeSupport.OFF_KEY_ID) {
                    assertTrue(e.getMessage().contains("made with KMS key " + EnvelopeSupport.keyId(m)), where);
                }
            }
        }
    }

    @Test
    void lengthOfTheWrappedKey() throws Exception {
        f.kms.clearRequests();
        rejected(flip(msg, EnvelopeSupport.OFF_L, 7), 0); // L = 63 + 32768: the header never completes
        assertEquals(0, calls(f, "decrypt"));
        rejected(flip(msg, EnvelopeSupport.OFF_L + 1, 0), 0); // 62: the wrapped key loses a byte
        rejected(flip(msg, EnvelopeSupport.OFF_L + 1, 6), 0); // 127: it swallows salt, prefix and segment bytes
    }

    @Test
    void wrappedKeySaltAndPrefix() throws Exception {
        int wrappedLen = EnvelopeSupport.wrappedLength(msg);
        for (int offset : new int[] {EnvelopeSupport.OFF_WRAPPED, EnvelopeSupport.OFF_WRAPPED + wrappedLen / 2,
                EnvelopeSupport.OFF_WRAPPED + wrappedLen - 1}) {
            rejected(flip(msg, offset, 3), 0);
        }
        for (int offset = EnvelopeSupport.offSalt(msg); offset < h; offset++) { // salt and prefix, every bit
            for (int bit = 0; bit < 8; bit++) {
                rejected(flip(msg, offset, bit), 0);
            }
        }
    }

    @Test
    void tamperedWrappedKeyIsRefusedByTheServerWithOneRetry() throws Exception {
        byte[] m = flip(msg, EnvelopeSupport.OFF_WRAPPED + 20, 0);
        f.kms.clearRequests();
        AEADBadTagException e = assertThrows(AEADBadTagException.class,
                () -> EnvelopeSupport.decrypt(provider, key, AAD, m));
        assertNotNull(e.getCause(), "keeps the server's answer");
        List<RecordedRequest> decrypts = f.requests("POST", "/decrypt");
        assertEquals(2, decrypts.size(), "a refused decrypt (500) is retried once: " + decrypts);
        assertTrue(decrypts.stream().allMatch(r -> r.status() == 500), decrypts.toString());
    }

    @Test
    void ciphertextAndTagBitsOfFirstMiddleAndLastSegment() throws Exception {
        for (int i = 0; i < 4; i++) {
            int start = segmentOffset(msg, S, i);
            int ctLen = i < 3 ? S : 100;
            for (int offset : new int[] {start, start + ctLen / 2, start + ctLen - 1, start + ctLen, start + ctLen + TAG - 1}) {
                rejected(flip(msg, offset, 5), i * S);
            }
        }
        rejected(key, AAD, flip(full, full.length - 1, 0), fullPlain, 3 * S);
    }

    @Test
    void truncationAnywhere() throws Exception {
        for (int len : new int[] {0, 1, 4, 23, 24, 25, h - 1, h}) { // inside the header, or nothing after it
            rejected(Arrays.copyOf(msg, len), 0);
        }
        for (int k = 0; k < 4; k++) {
            int boundary = segmentOffset(msg, S, k);
            if (k > 0) {
                rejected(Arrays.copyOf(msg, boundary), (k - 1) * S); // the new last segment was sealed with last = 0
            }
            for (int x : new int[] {1, 15, 16, 17, S / 2, S + 15}) {
                if (boundary + x < msg.length) {
                    rejected(Arrays.copyOf(msg, boundary + x), k * S);
                }
            }
        }
        for (int k = 1; k < 4; k++) {
            rejected(key, AAD, Arrays.copyOf(full, segmentOffset(full, S, k)), fullPlain, (k - 1) * S);
        }
    }

    @Test
    void droppingTheLastSegmentOrEverythingAfterTheHeader() throws Exception {
        rejected(Arrays.copyOf(msg, segmentOffset(msg, S, 3)), 2 * S);
        rejected(key, AAD, Arrays.copyOf(full, segmentOffset(full, S, 3)), fullPlain, 2 * S);
        rejected(Arrays.copyOf(msg, h), 0);
    }

    @Test
    void reorderingAndDuplicatingSegments() throws Exception {
        byte[] head = Arrays.copyOf(msg, h);
        byte[] s0 = segment(msg, 0);
        byte[] s1 = segment(msg, 1);
        byte[] s2 = segment(msg, 2);
        byte[] s3 = segment(msg, 3);
        rejected(concat(head, s0, s2, s1, s3), S);
        rejected(concat(head, s1, s0, s2, s3), 0);
        rejected(concat(head, s0, s1, s3, s2), 2 * S); // the short last segment moved into the middle
        rejected(concat(head, s0, s1, s1, s2, s3), 2 * S);
        rejected(concat(head, s0, s0, s1, s2, s3), S);
        rejected(concat(head, s0, s1, s2), 2 * S);
    }

    @Test
    void splicingFromAnotherMessageOfTheSameKeyAndSizes() throws Exception {
        byte[] twin = EnvelopeSupport.encrypt(provider, key, segments(S), AAD, plain);
        assertEquals(msg.length, twin.length);
        byte[] head = Arrays.copyOf(msg, h);
        rejected(concat(head, segment(msg, 0), segment(twin, 1), segment(msg, 2), segment(msg, 3)), S);
        rejected(concat(head, segment(msg, 0), segment(msg, 1), segment(msg, 2), segment(twin, 3)), 3 * S);
        rejected(concat(Arrays.copyOf(twin, h), segment(msg, 0), segment(msg, 1), segment(msg, 2), segment(msg, 3)), 0);
    }

    @Test
    void differentAadOrAadOnOneSideOnly() throws Exception {
        rejected(key, "aae".getBytes(StandardCharsets.US_ASCII), msg, plain, 0);
        rejected(key, "aadX".getBytes(StandardCharsets.US_ASCII), msg, plain, 0);
        rejected(key, "aa".getBytes(StandardCharsets.US_ASCII), msg, plain, 0);
        rejected(key, null, msg, plain, 0);
        byte[] noAad = EnvelopeSupport.encrypt(provider, key, segments(S), null, plain);
        rejected(key, AAD, noAad, plain, 0);
        rejected(key, new byte[1], noAad, plain, 0);
    }

    @Test
    void appendingBytesOrASegment() throws Exception {
        rejected(concat(msg, new byte[1]), 3 * S);
        rejected(concat(msg, new byte[TAG]), 3 * S);
        rejected(concat(msg, segment(msg, 1)), 3 * S);
        rejected(concat(msg, segment(msg, 3)), 3 * S);
        rejected(key, AAD, concat(full, new byte[1]), fullPlain, 3 * S);
        rejected(key, AAD, concat(full, segment(full, 3)), fullPlain, 3 * S);
        rejected(key, AAD, concat(full, random(SEG, 5)), fullPlain, 3 * S);
    }

    @Test
    void anotherKeyIsNamedAndRefusedBeforeAnyRemoteCall() throws Exception {
        f.kms.clearRequests();
        AEADBadTagException e = rejected(other, AAD, msg, plain, 0);
        assertTrue(e.getMessage().contains(f.kms.encryptionKeyId()), e.getMessage());
        assertTrue(e.getMessage().contains(otherId), e.getMessage());
        assertEquals(0, calls(f, "decrypt"));
        // and the other key's own messages work
        byte[] mine = EnvelopeSupport.encrypt(provider, other, null, null, plain);
        assertArrayEquals(plain, EnvelopeSupport.decrypt(provider, other, null, mine));
        rejected(key, null, mine, plain, 0);
    }

    @Test
    void aStreamReturnsTheAuthenticPrefixThenFails() throws Exception {
        byte[] p = random(3 * DEFAULT_SEGMENT + 100, 7);
        byte[] m = EnvelopeSupport.encrypt(provider, key, null, null, p);
        m[segmentOffset(m, DEFAULT_SEGMENT, 2) + 1000] ^= 1;
        Cipher d = Cipher.getInstance(ALGORITHM, provider);
        d.init(Cipher.DECRYPT_MODE, key);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        IOException failure = null;
        try (CipherInputStream in = new CipherInputStream(new ByteArrayInputStream(m), d)) {
            byte[] buf = new byte[5000];
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
        } catch (IOException e) {
            failure = e;
        }
        assertNotNull(failure, "the stream must fail");
        assertInstanceOf(AEADBadTagException.class, failure.getCause());
        assertArrayEquals(Arrays.copyOf(p, 2 * DEFAULT_SEGMENT), got.toByteArray(), "exactly segments 0 and 1");
    }
}
