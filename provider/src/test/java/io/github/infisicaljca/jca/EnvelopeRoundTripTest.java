package io.github.infisicaljca.jca;

import static io.github.infisicaljca.jca.EnvelopeSupport.ALGORITHM;
import static io.github.infisicaljca.jca.EnvelopeSupport.DEFAULT_SEGMENT;
import static io.github.infisicaljca.jca.EnvelopeSupport.assertCalls;
import static io.github.infisicaljca.jca.EnvelopeSupport.concat;
import static io.github.infisicaljca.jca.EnvelopeSupport.headerLength;
import static io.github.infisicaljca.jca.EnvelopeSupport.messageLength;
import static io.github.infisicaljca.jca.EnvelopeSupport.random;
import static io.github.infisicaljca.jca.EnvelopeSupport.segments;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.EnvelopeParameterSpec;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.CipherInputStream;
import javax.crypto.CipherOutputStream;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** INFISICAL-ENVELOPE round trips: every size, every way of feeding a Cipher, exact lengths, one remote call. */
class EnvelopeRoundTripTest {
    private static final int MIB = 1 << 20;
    private static final byte[] AAD = "tenant=42;purpose=backup".getBytes(StandardCharsets.UTF_8);
    private static final int[] ODD_CHUNKS = {1, 7, 4093, 65537, 13, 100_003, 4097};

    private static EmulatorFixture f;
    private static InfisicalProvider provider;
    private static KeyStore ks;
    private static Key key;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture();
        provider = f.provider();
        ks = f.keyStore(provider);
        key = ks.getKey(KmsEmulator.ENCRYPTION_KEY, null);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    /** How the data goes through the Cipher; the same way encrypts and decrypts. */
    enum Way {
        DO_FINAL, UPDATES, OUTPUT_STREAM, INPUT_STREAM;

        byte[] run(Cipher c, byte[] in) throws Exception {
            switch (this) {
                case DO_FINAL: {
                    int bound = c.getOutputSize(in.length);
                    byte[] out = c.doFinal(in);
                    assertTrue(out.length <= bound, "doFinal wrote " + out.length + " > getOutputSize " + bound);
                    return out;
                }
                case UPDATES: {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    int off = 0;
                    for (int i = 0; ; i++) {
                        int n = Math.min(ODD_CHUNKS[i % ODD_CHUNKS.length], in.length - off);
                        int bound = c.getOutputSize(n);
                        boolean last = off + n == in.length;
                        byte[] r = last ? c.doFinal(in, off, n) : c.update(in, off, n);
                        int got = r == null ? 0 : r.length;
                        assertTrue(got <= bound, (last ? "doFinal" : "update") + " wrote " + got + " > getOutputSize "
                                + bound);
                        out.write(r == null ? new byte[0] : r);
                        off += n;
                        if (last) {
                            return out.toByteArray();
                        }
                    }
                }
                case OUTPUT_STREAM: {
                    ByteArrayOutputStream sink = new ByteArrayOutputStream();
                    try (CipherOutputStream out = new CipherOutputStream(sink, c)) {
                        int off = 0;
                        for (int i = 0; off < in.length; i++) {
                            int n = Math.min(ODD_CHUNKS[(i + 3) % ODD_CHUNKS.length], in.length - off);
                            out.write(in, off, n);
                            off += n;
                        }
                    }
                    return sink.toByteArray();
                }
                default:
                    try (CipherInputStream s = new CipherInputStream(new ByteArrayInputStream(in), c)) {
                        return s.readAllBytes();
                    }
            }
        }
    }

    static Stream<Arguments> matrix() {
        return Stream.of(DEFAULT_SEGMENT, 4096, MIB).flatMap(s -> Arrays.stream(Way.values())
                .flatMap(w -> Stream.of(Arguments.of(s, w, false), Arguments.of(s, w, true))));
    }

    @ParameterizedTest(name = "segment {0}, {1}, aad {2}")
    @MethodSource("matrix")
    void roundTripsEverySize(int s, Way way, boolean withAad) throws Exception {
        EnvelopeParameterSpec spec = s == DEFAULT_SEGMENT ? null : segments(s);
        for (int size : new int[] {0, 1, 16, s - 1, s, s + 1, 2 * s, 2 * s + 1, MIB, 10 * MIB}) {
            String ctx = "size " + size + ", segment " + s + ", " + way + ", aad " + withAad;
            byte[] data = random(size, 31L * size + s);
            f.kms.clearRequests();
            Cipher enc = Cipher.getInstance(ALGORITHM, provider);
            enc.init(Cipher.ENCRYPT_MODE, key, spec);
            if (withAad) { // AAD in two pieces: they concatenate
                enc.updateAAD(AAD, 0, 5);
                enc.updateAAD(AAD, 5, AAD.length - 5);
            }
            byte[] msg = way.run(enc, data);
            assertCalls(f, 1, 0, ctx);
            assertLayout(msg, size, s, ctx);

            f.kms.clearRequests();
            Cipher dec = Cipher.getInstance(ALGORITHM, provider);
            dec.init(Cipher.DECRYPT_MODE, key);
            if (withAad) {
                dec.updateAAD(AAD);
            }
            byte[] back = way.run(dec, msg);
            assertCalls(f, 0, 1, ctx);
            assertTrue(Arrays.equals(data, back), "round trip: " + ctx);
        }
    }

    /** The header as the doc lays it out, and the exact length: header + plaintext + 16 per segment. */
    private static void assertLayout(byte[] msg, long size, int s, String ctx) {
        assertArrayEquals("INFE".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(msg, 4), ctx);
        assertEquals(1, msg[EnvelopeSupport.OFF_VERSION], ctx);
        assertEquals(Integer.numberOfTrailingZeros(s), msg[EnvelopeSupport.OFF_SEG_EXP], ctx);
        assertEquals(UUID.fromString(f.kms.encryptionKeyId()), EnvelopeSupport.keyId(msg), ctx);
        assertEquals(63, EnvelopeSupport.wrappedLength(msg), "an Infisical ciphertext of 32 bytes: " + ctx);
        assertEquals(24 + 63 + 16 + 7, headerLength(msg), ctx);
        assertEquals(messageLength(headerLength(msg), size, s), msg.length, "message length: " + ctx);
    }

    /** 64 MiB encrypted through a CipherInputStream and decrypted through a CipherOutputStream, 1 MiB at a time. */
    @Test
    void sixtyFourMebibytesStreamInConstantMemory() throws Exception {
        long size = 64L * MIB;
        Random gen = new Random(64);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        InputStream plaintext = new InputStream() {
            private final byte[] block = new byte[MIB];
            private int pos = MIB;
            private long produced;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos == MIB) {
                    if (produced == size) {
                        return -1;
                    }
                    gen.nextBytes(block);
                    sent.update(block);
                    produced += MIB;
                    pos = 0;
                }
                int n = Math.min(len, MIB - pos);
                System.arraycopy(block, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long[] receivedBytes = {0};
        OutputStream check = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                received.update(b, off, len);
                receivedBytes[0] += len;
            }
        };
        f.kms.clearRequests();
        Cipher enc = Cipher.getInstance(ALGORITHM, provider);
        enc.init(Cipher.ENCRYPT_MODE, key);
        Cipher dec = Cipher.getInstance(ALGORITHM, provider);
        dec.init(Cipher.DECRYPT_MODE, key);
        long cipherBytes = 0;
        int header = -1;
        try (CipherInputStream ct = new CipherInputStream(plaintext, enc);
                CipherOutputStream out = new CipherOutputStream(check, dec)) {
            byte[] chunk;
            while ((chunk = ct.readNBytes(MIB)).length > 0) {
                if (header < 0) {
                    header = headerLength(chunk);
                }
                cipherBytes += chunk.length;
                out.write(chunk);
            }
        }
        assertEquals(messageLength(header, size, DEFAULT_SEGMENT), cipherBytes);
        assertEquals(size, receivedBytes[0]);
        assertArrayEquals(sent.digest(), received.digest());
        assertCalls(f, 1, 1, "64 MiB");
    }

    @Test
    void oneCipherEncryptsAndDecryptsMessagesInARowEachWithItsOwnDataKey() throws Exception {
        f.kms.clearRequests();
        Cipher enc = Cipher.getInstance(ALGORITHM, provider);
        enc.init(Cipher.ENCRYPT_MODE, key);
        byte[][] data = new byte[4][];
        byte[][] msgs = new byte[4][];
        for (int i = 0; i < 4; i++) {
            data[i] = random(40_000 * i + 3, i);
            if (i % 2 == 1) {
                enc.updateAAD(("message " + i).getBytes(StandardCharsets.UTF_8));
            }
            msgs[i] = i == 2 ? concat(enc.update(data[i], 0, 70_000), enc.doFinal(data[i], 70_000, data[i].length - 70_000))
                    : enc.doFinal(data[i]);
        }
        assertCalls(f, 4, 0, "one wrap per message");
        Set<String> wrapped = new HashSet<>();
        Set<String> salts = new HashSet<>();
        Set<String> prefixes = new HashSet<>();
        for (byte[] m : msgs) {
            wrapped.add(Base64.getEncoder().encodeToString(EnvelopeSupport.wrapped(m)));
            salts.add(Base64.getEncoder().encodeToString(EnvelopeSupport.salt(m)));
            prefixes.add(Base64.getEncoder().encodeToString(EnvelopeSupport.prefix(m)));
        }
        assertEquals(4, wrapped.size(), "a new data key per message");
        assertEquals(4, salts.size());
        assertEquals(4, prefixes.size());

        f.kms.clearRequests();
        Cipher dec = Cipher.getInstance(ALGORITHM, provider);
        dec.init(Cipher.DECRYPT_MODE, key);
        for (int i = 0; i < 4; i++) {
            if (i % 2 == 1) {
                dec.updateAAD(("message " + i).getBytes(StandardCharsets.UTF_8));
            }
            assertArrayEquals(data[i], dec.doFinal(msgs[i]), "message " + i);
        }
        assertCalls(f, 0, 4, "one unwrap per message");
    }

    /** update() releases whole segments as they complete: at most one segment is held back. */
    @ParameterizedTest
    @ValueSource(ints = {DEFAULT_SEGMENT, 4096})
    void updateReleasesSegmentsIncrementally(int s) throws Exception {
        byte[] data = random(2 * MIB + 123, s);
        Cipher enc = Cipher.getInstance(ALGORITHM, provider);
        enc.init(Cipher.ENCRYPT_MODE, key, segments(s));
        int bound = enc.getOutputSize(MIB);
        byte[] first = enc.update(data, 0, MIB);
        assertTrue(first.length >= MIB - s, "encrypt update released only " + first.length);
        assertTrue(first.length <= bound);
        byte[] msg = concat(first, enc.doFinal(data, MIB, data.length - MIB));

        Cipher dec = Cipher.getInstance(ALGORITHM, provider);
        dec.init(Cipher.DECRYPT_MODE, key);
        bound = dec.getOutputSize(MIB);
        byte[] plain = dec.update(msg, 0, MIB);
        assertTrue(plain.length <= bound);
        // 1 MiB of ciphertext holds less than 1 MiB of plaintext (header, a tag per segment):
        // all of it but at most one segment comes out.
        long inside = (long) (MIB - headerLength(msg)) * s / (s + EnvelopeSupport.TAG);
        assertTrue(plain.length >= inside - s, "decrypt update released only " + plain.length + " of " + inside);
        assertArrayEquals(Arrays.copyOf(data, plain.length), plain);
        byte[] rest = dec.doFinal(msg, MIB, msg.length - MIB);
        assertArrayEquals(data, concat(plain, rest));
    }

    @Test
    void noIvNoParameters() throws Exception {
        Cipher c = Cipher.getInstance(ALGORITHM, provider);
        c.init(Cipher.ENCRYPT_MODE, key);
        assertNull(c.getIV());
        assertNull(c.getParameters());
        byte[] msg = c.doFinal(new byte[5]);
        c.init(Cipher.DECRYPT_MODE, key);
        assertNull(c.getIV());
        assertNull(c.getParameters());
        assertArrayEquals(new byte[5], c.doFinal(msg));
    }

    @Test
    void wrapAndUnwrapModesAreRefused() throws Exception {
        Cipher c = Cipher.getInstance(ALGORITHM, provider);
        assertThrows(UnsupportedOperationException.class, () -> c.init(Cipher.WRAP_MODE, key));
        assertThrows(UnsupportedOperationException.class, () -> c.init(Cipher.UNWRAP_MODE, key));
    }

    @Test
    void aadOnlyBeforeTheData() throws Exception {
        Cipher enc = Cipher.getInstance(ALGORITHM, provider);
        enc.init(Cipher.ENCRYPT_MODE, key);
        enc.updateAAD(AAD);
        byte[] head = enc.update(new byte[10]); // held back: no segment is complete yet
        assertThrows(IllegalStateException.class, () -> enc.updateAAD(AAD));
        byte[] msg = concat(head, enc.doFinal(new byte[MIB]));
        enc.update(new byte[DEFAULT_SEGMENT + 1]); // a next message: a segment sealed already
        assertThrows(IllegalStateException.class, () -> enc.updateAAD(AAD));

        Cipher dec = Cipher.getInstance(ALGORITHM, provider);
        dec.init(Cipher.DECRYPT_MODE, key);
        dec.updateAAD(AAD);
        byte[] p0 = dec.update(msg, 0, 5);
        assertThrows(IllegalStateException.class, () -> dec.updateAAD(AAD));
        byte[] p1 = dec.update(msg, 5, 200_000);
        assertThrows(IllegalStateException.class, () -> dec.updateAAD(AAD));
        byte[] p2 = dec.doFinal(msg, 200_005, msg.length - 200_005);
        assertArrayEquals(new byte[10 + MIB], concat(p0, p1, p2));
    }

    @Test
    void wrongKeyKindsAreInvalidKeys() throws Exception {
        Key hmac = ks.getKey(KmsEmulator.HMAC_KEY, null);
        Key signing = ks.getKey(KmsEmulator.SIGNING_KEY, null);
        Key publicKey = ks.getCertificate(KmsEmulator.SIGNING_KEY).getPublicKey();
        Key raw = new SecretKeySpec(new byte[32], "AES");
        f.kms.clearRequests();
        for (Key k : Arrays.asList(hmac, signing, publicKey, raw, null)) {
            for (int mode : new int[] {Cipher.ENCRYPT_MODE, Cipher.DECRYPT_MODE}) {
                Cipher c = Cipher.getInstance(ALGORITHM, provider);
                assertThrows(InvalidKeyException.class, () -> c.init(mode, k), "mode " + mode + ", " + k);
                assertThrows(InvalidKeyException.class, () -> c.init(mode, k, EnvelopeParameterSpec.DEFAULT));
            }
        }
        assertCalls(f, 0, 0, "no remote call for a wrong key");
    }

    @Test
    void onlyEnvelopeParameterSpecIsAccepted() throws Exception {
        AlgorithmParameters gcmParams = AlgorithmParameters.getInstance("GCM");
        gcmParams.init(new GCMParameterSpec(128, new byte[12]));
        List<AlgorithmParameterSpec> specs = List.of(new GCMParameterSpec(128, new byte[12]), new IvParameterSpec(new byte[16]),
                new AlgorithmParameterSpec() { });
        for (int mode : new int[] {Cipher.ENCRYPT_MODE, Cipher.DECRYPT_MODE}) {
            Cipher c = Cipher.getInstance(ALGORITHM, provider);
            for (AlgorithmParameterSpec spec : specs) {
                assertThrows(InvalidAlgorithmParameterException.class, () -> c.init(mode, key, spec), spec.toString());
            }
            assertThrows(InvalidAlgorithmParameterException.class, () -> c.init(mode, key, gcmParams));
            c.init(mode, key, EnvelopeParameterSpec.DEFAULT); // and the right one works
        }
    }

    @Test
    void emptyAadIsNoAad() throws Exception {
        byte[] msg = EnvelopeSupport.encrypt(provider, key, null, new byte[0], random(100, 1));
        assertArrayEquals(random(100, 1), EnvelopeSupport.decrypt(provider, key, null, msg));
    }
}
