package io.github.infisicaljca.jca;

import static io.github.infisicaljca.jca.EnvelopeSupport.ALGORITHM;
import static io.github.infisicaljca.jca.EnvelopeSupport.DEFAULT_SEGMENT;
import static io.github.infisicaljca.jca.EnvelopeSupport.assertCalls;
import static io.github.infisicaljca.jca.EnvelopeSupport.random;
import static io.github.infisicaljca.jca.EnvelopeSupport.segments;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.EnvelopeParameterSpec;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.kms.KmsClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.CipherInputStream;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/envelope-format.md is enough: a reader and a writer written here from the doc alone
 * (the JDK's AES-GCM, HMAC and SHA-256, the KMS client for the wrap) agree with the provider.
 * And the optional data-key cache.
 */
class EnvelopeInteropTest {
    private static final byte[] KEY_LABEL = "infisical-envelope/v1 key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AAD_LABEL = "infisical-envelope/v1 aad".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AAD = "interop \u00e9".getBytes(StandardCharsets.UTF_8);

    private static EmulatorFixture f;
    private static KmsClient kms;
    private static String keyId;

    @BeforeAll
    static void start() {
        f = new EmulatorFixture();
        kms = KmsClient.create(f.config().build());
        keyId = f.kms.encryptionKeyId();
    }

    @AfterAll
    static void stop() {
        kms.close();
        f.close();
    }

    private static Key key(InfisicalProvider p) throws Exception {
        return f.keyStore(p).getKey(KmsEmulator.ENCRYPTION_KEY, null);
    }

    // ---- an independent implementation of the doc ----

    /** A parsed header (doc, "Layout"). */
    record Header(byte[] bytes, int segmentSize, UUID keyId, byte[] wrapped, byte[] salt, byte[] prefix) {
    }

    static Header parse(byte[] m) throws AEADBadTagException {
        ByteBuffer b = ByteBuffer.wrap(m);
        byte[] magic = new byte[4];
        b.get(magic);
        int version = b.get();
        int exp = b.get();
        if (!Arrays.equals(magic, "INFE".getBytes(StandardCharsets.US_ASCII)) || version != 1 || exp < 12 || exp > 24) {
            throw new AEADBadTagException("not a v1 envelope");
        }
        UUID id = new UUID(b.getLong(), b.getLong());
        byte[] wrapped = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(wrapped);
        byte[] salt = new byte[16];
        b.get(salt);
        byte[] prefix = new byte[7];
        b.get(prefix);
        return new Header(Arrays.copyOf(m, b.position()), 1 << exp, id, wrapped, salt, prefix);
    }

    static byte[] messageKey(byte[] dataKey, byte[] salt) throws Exception {
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(dataKey, "HmacSHA256"));
        hmac.update(KEY_LABEL);
        return hmac.doFinal(salt);
    }

    static byte[] aad(byte[] header, byte[] userAad) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(AAD_LABEL);
        sha.update(header);
        sha.update(ByteBuffer.allocate(8).putLong(userAad.length).array());
        return sha.digest(userAad);
    }

    static Cipher gcm(int mode, byte[] k, byte[] prefix, int i, boolean last, byte[] a) throws Exception {
        byte[] nonce = ByteBuffer.allocate(12).put(prefix).putInt(i).put((byte) (last ? 1 : 0)).array();
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        c.init(mode, new SecretKeySpec(k, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(a);
        return c;
    }

    /** The doc's "Reading", steps 1 to 4. */
    static byte[] read(String kmsKeyId, byte[] m, byte[] userAad) throws Exception {
        Header hd = parse(m);
        assertEquals(UUID.fromString(kmsKeyId), hd.keyId());
        byte[] dataKey = kms.decrypt(kmsKeyId, hd.wrapped());
        assertEquals(32, dataKey.length);
        byte[] k = messageKey(dataKey, hd.salt());
        byte[] a = aad(hd.bytes(), userAad);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = hd.bytes().length;
        int full = hd.segmentSize() + 16;
        for (int i = 0; ; i++) {
            int rest = m.length - pos;
            boolean last = rest <= full;
            int n = last ? rest : full;
            if (n < 16) {
                throw new AEADBadTagException("final piece shorter than a tag");
            }
            out.write(gcm(Cipher.DECRYPT_MODE, k, hd.prefix(), i, last, a).doFinal(m, pos, n));
            pos += n;
            if (last) {
                return out.toByteArray();
            }
        }
    }

    /** A writer from the doc's "Layout", with its own random data key, salt and prefix. */
    static byte[] write(String kmsKeyId, int segmentSize, byte[] data, byte[] userAad) throws Exception {
        byte[] dataKey = new byte[32];
        new SecureRandom().nextBytes(dataKey);
        return write(UUID.fromString(kmsKeyId), dataKey, kms.encrypt(kmsKeyId, dataKey), segmentSize, data, userAad);
    }

    /**
     * The same writer with a given data key and wrapped form, which need not belong together
     * nor to the key {@code id} the header names (a forger's message).
     */
    static byte[] write(UUID id, byte[] dataKey, byte[] wrapped, int segmentSize, byte[] data, byte[] userAad)
            throws Exception {
        SecureRandom rnd = new SecureRandom();
        byte[] salt = new byte[16];
        byte[] prefix = new byte[7];
        rnd.nextBytes(salt);
        rnd.nextBytes(prefix);
        ByteBuffer hb = ByteBuffer.allocate(24 + wrapped.length + 23);
        hb.put("INFE".getBytes(StandardCharsets.US_ASCII)).put((byte) 1)
                .put((byte) Integer.numberOfTrailingZeros(segmentSize)).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).putShort((short) wrapped.length).put(wrapped).put(salt).put(prefix);
        byte[] header = hb.array();
        byte[] k = messageKey(dataKey, salt);
        byte[] a = aad(header, userAad);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        int n = data.length == 0 ? 1 : (data.length + segmentSize - 1) / segmentSize;
        for (int i = 0; i < n; i++) {
            int from = i * segmentSize;
            int to = Math.min(data.length, from + segmentSize);
            out.write(gcm(Cipher.ENCRYPT_MODE, k, prefix, i, i == n - 1, a).doFinal(data, from, to - from));
        }
        return out.toByteArray();
    }

    // ---- the tests ----

    @Test
    void theDocsReaderDecryptsTheProvidersMessages() throws Exception {
        InfisicalProvider p = f.provider();
        Key key = key(p);
        for (int s : new int[] {DEFAULT_SEGMENT, 4096}) {
            for (int size : new int[] {0, 1, s, 3 * s + 5}) {
                for (byte[] userAad : new byte[][] {AAD, new byte[0]}) {
                    byte[] data = random(size, size + s);
                    byte[] m = EnvelopeSupport.encrypt(p, key, segments(s), userAad, data);
                    assertArrayEquals(data, read(keyId, m, userAad), "size " + size + ", segment " + s);
                    byte[] wrongAad = Arrays.copyOf(userAad, userAad.length + 1);
                    assertThrows(AEADBadTagException.class, () -> read(keyId, m, wrongAad)); // the reader is not lax
                }
            }
        }
    }

    @Test
    void theProviderDecryptsTheDocsWriter() throws Exception {
        InfisicalProvider p = f.provider();
        Key key = key(p);
        for (int s : new int[] {DEFAULT_SEGMENT, 4096, 1 << 24}) {
            for (int size : new int[] {0, 1, s, 3 * s + 5}) {
                if (size > 4 << 20 && s == 1 << 24) {
                    size = s + 5; // 16 MiB segments: one full and one short is enough
                }
                byte[] data = random(size, size ^ s);
                byte[] m = write(keyId, s, data, AAD);
                assertEquals(read(keyId, m, AAD).length, size, "the writer agrees with the reader");
                assertArrayEquals(data, EnvelopeSupport.decrypt(p, key, AAD, m), "size " + size + ", segment " + s);
                if (s < 1 << 24) { // (CipherInputStream reallocates its buffer as getOutputSize grows: slow for 16 MiB)
                    Cipher d = Cipher.getInstance(ALGORITHM, p);
                    d.init(Cipher.DECRYPT_MODE, key);
                    d.updateAAD(AAD);
                    try (CipherInputStream in = new CipherInputStream(new ByteArrayInputStream(m), d)) {
                        assertArrayEquals(data, in.readAllBytes(), "streamed, size " + size);
                    }
                }
                assertThrows(AEADBadTagException.class, () -> EnvelopeSupport.decrypt(p, key, null, m));
            }
        }
    }

    @Test
    void cachedDataKeysServeSeveralMessagesEachWithItsOwnSaltAndKey() throws Exception {
        EnvelopeParameterSpec cached = EnvelopeParameterSpec.builder().dataKeyCache(3, Duration.ofMinutes(5)).build();
        for (boolean sameCipher : new boolean[] {false, true}) {
            InfisicalProvider p = f.provider(); // its own cache
            Key key = key(p);
            byte[][] data = new byte[5][];
            byte[][] msgs = new byte[5][];
            f.kms.clearRequests();
            Cipher enc = Cipher.getInstance(ALGORITHM, p);
            enc.init(Cipher.ENCRYPT_MODE, key, cached);
            for (int i = 0; i < 5; i++) {
                data[i] = random(1000 + i, i);
                if (!sameCipher && i > 0) {
                    enc.init(Cipher.ENCRYPT_MODE, key, cached);
                }
                msgs[i] = enc.doFinal(data[i]);
            }
            assertCalls(f, 2, 0, "5 messages, 3 per data key");
            assertEquals(Set.of(b64(msgs[0]), b64(msgs[3])), wrappedKeys(msgs));
            assertArrayEquals(EnvelopeSupport.wrapped(msgs[0]), EnvelopeSupport.wrapped(msgs[2]));
            assertArrayEquals(EnvelopeSupport.wrapped(msgs[3]), EnvelopeSupport.wrapped(msgs[4]));
            Set<String> salts = new HashSet<>();
            for (byte[] m : msgs) {
                salts.add(Base64.getEncoder().encodeToString(EnvelopeSupport.salt(m)));
            }
            assertEquals(5, salts.size(), "a salt per message");
            // one data key, two message keys
            Header h0 = parse(msgs[0]);
            Header h1 = parse(msgs[1]);
            byte[] dk0 = kms.decrypt(keyId, h0.wrapped());
            byte[] dk1 = kms.decrypt(keyId, h1.wrapped());
            assertArrayEquals(dk0, dk1);
            assertFalse(Arrays.equals(messageKey(dk0, h0.salt()), messageKey(dk1, h1.salt())));

            f.kms.clearRequests();
            Cipher dec = Cipher.getInstance(ALGORITHM, p);
            dec.init(Cipher.DECRYPT_MODE, key, cached);
            for (int i = 0; i < 5; i++) {
                if (!sameCipher) {
                    dec.init(Cipher.DECRYPT_MODE, key, cached);
                }
                assertArrayEquals(data[i], dec.doFinal(msgs[i]));
            }
            assertCalls(f, 0, 2, "5 messages, 2 data keys");
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(data[i], read(keyId, msgs[i], new byte[0]), "the doc's reader needs no cache");
            }
        }
    }

    @Test
    void withoutTheCacheEveryMessageCostsOneCallEachWay() throws Exception {
        InfisicalProvider p = f.provider();
        Key key = key(p);
        byte[][] msgs = new byte[5][];
        f.kms.clearRequests();
        Cipher enc = Cipher.getInstance(ALGORITHM, p);
        enc.init(Cipher.ENCRYPT_MODE, key);
        for (int i = 0; i < 5; i++) {
            msgs[i] = enc.doFinal(random(10, i));
        }
        assertCalls(f, 5, 0, "no cache");
        assertEquals(5, wrappedKeys(msgs).size());
        f.kms.clearRequests();
        Cipher dec = Cipher.getInstance(ALGORITHM, p);
        dec.init(Cipher.DECRYPT_MODE, key, EnvelopeParameterSpec.DEFAULT);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(random(10, i), dec.doFinal(msgs[i]));
        }
        assertCalls(f, 0, 5, "no cache");
    }

    @Test
    void invalidSpecsAreRefusedByBuild() {
        for (int bad : new int[] {5000, 2048, 4095, 4097, 1 << 25, 0, -4096}) {
            EnvelopeParameterSpec.Builder b = EnvelopeParameterSpec.builder().segmentSize(bad);
            assertThrows(IllegalArgumentException.class, b::build, "segment size " + bad);
        }
        EnvelopeParameterSpec.Builder zero = EnvelopeParameterSpec.builder().dataKeyCache(0, Duration.ofMinutes(5));
        assertThrows(IllegalArgumentException.class, zero::build);
        EnvelopeParameterSpec.Builder noAge = EnvelopeParameterSpec.builder().dataKeyCache(3, Duration.ZERO);
        assertThrows(IllegalArgumentException.class, noAge::build);
        EnvelopeParameterSpec.Builder negative = EnvelopeParameterSpec.builder().dataKeyCache(3, Duration.ofSeconds(-1));
        assertThrows(IllegalArgumentException.class, negative::build);
        assertEquals(4096, EnvelopeParameterSpec.builder().segmentSize(4096).build().segmentSize());
        assertEquals(1 << 24, EnvelopeParameterSpec.builder().segmentSize(1 << 24).build().segmentSize());
        assertFalse(EnvelopeParameterSpec.builder().dataKeyCache(1, Duration.ZERO).build().cacheEnabled());
        assertTrue(EnvelopeParameterSpec.builder().dataKeyCache(2, Duration.ofNanos(1)).build().cacheEnabled());
    }

    private static String b64(byte[] msg) {
        return Base64.getEncoder().encodeToString(EnvelopeSupport.wrapped(msg));
    }

    private static Set<String> wrappedKeys(byte[][] msgs) {
        Set<String> s = new HashSet<>();
        for (byte[] m : msgs) {
            s.add(b64(m));
        }
        return s;
    }
}
