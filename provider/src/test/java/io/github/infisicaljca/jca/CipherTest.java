package io.github.infisicaljca.jca;

import static io.github.infisicaljca.jca.SecretKeyTestSupport.SECRET_TEXT;
import static io.github.infisicaljca.jca.SecretKeyTestSupport.assertClean;
import static io.github.infisicaljca.jca.SecretKeyTestSupport.bytes;
import static io.github.infisicaljca.jca.SecretKeyTestSupport.decrypt;
import static io.github.infisicaljca.jca.SecretKeyTestSupport.disable;
import static io.github.infisicaljca.jca.SecretKeyTestSupport.encrypt;
import static io.github.infisicaljca.jca.SecretKeyTestSupport.inChain;
import static io.github.infisicaljca.jca.SecretKeyTestSupport.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.Fault;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.PayloadLimits;
import io.github.infisicaljca.emulator.ServerProfile;
import io.github.infisicaljca.kms.KmsApiException;
import io.github.infisicaljca.kms.KmsClient;
import io.github.infisicaljca.kms.KmsException;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.Security;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.KeyGenerator;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Cipher INFISICAL-AES (alias INFISICAL): the remote key's own AES-GCM, one call per doFinal. */
class CipherTest {
    static final int LARGEST = 4096 - 31;
    /** Only stops a hung test: far above any run of the calls it bounds. */
    private static final Duration HUNG = Duration.ofMinutes(1);

    private static EmulatorFixture f;
    private static InfisicalProvider provider;
    private static KeyStore ks;
    private static Key aes;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture();
        provider = f.provider();
        ks = f.keyStore(provider);
        aes = ks.getKey(KmsEmulator.ENCRYPTION_KEY, null);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @BeforeEach
    void clear() {
        f.kms.clearFaults();
        f.kms.clearRequests();
    }

    @ParameterizedTest
    @ValueSource(strings = {"INFISICAL-AES", "INFISICAL", "INFISICAL-AES/NONE/NoPadding", "infisical-aes"})
    void roundTripsUpToTheLargestPlaintext(String name) throws Exception {
        for (int size : new int[] {1, 100, LARGEST}) {
            byte[] data = bytes(size);
            f.kms.clearRequests();
            Cipher c = Cipher.getInstance(name, provider);
            c.init(Cipher.ENCRYPT_MODE, aes);
            byte[] ct = c.doFinal(data);
            assertTrue(ct.length > size, "ciphertext of " + size + " bytes has " + ct.length);
            assertEquals(1, f.requests("POST", "/encrypt").size());
            assertEquals(Base64.getEncoder().encodeToString(data), json(f.requests("POST", "/encrypt").get(0).body())
                    .get("plaintext").asText());
            c.init(Cipher.DECRYPT_MODE, aes);
            assertArrayEquals(data, c.doFinal(ct), name + ", " + size + " bytes");
            assertEquals(1, f.requests("POST", "/decrypt").size());
        }
    }

    @Test
    void tooLargeAndEmptyPlaintextsAreRefusedBeforeAnyCall() throws Exception {
        Cipher c = Cipher.getInstance("INFISICAL-AES", provider);
        c.init(Cipher.ENCRYPT_MODE, aes);
        IllegalBlockSizeException big = assertThrows(IllegalBlockSizeException.class, () -> c.doFinal(bytes(LARGEST + 1)));
        assertTrue(big.getMessage().contains("INFISICAL-ENVELOPE"), big.getMessage());
        assertTrue(big.getMessage().contains(Integer.toString(LARGEST)), big.getMessage());
        c.update(bytes(LARGEST));
        assertThrows(IllegalBlockSizeException.class, () -> c.doFinal(new byte[1]), "the limit counts buffered input");
        IllegalBlockSizeException empty = assertThrows(IllegalBlockSizeException.class, () -> c.doFinal());
        assertTrue(empty.getMessage().contains("INFISICAL-ENVELOPE"), empty.getMessage());
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        assertThrows(IllegalBlockSizeException.class, () -> c.doFinal(new byte[0]));
        assertEquals(0, f.kms.requests().size(), f.kms.requests().toString());
        assertArrayEquals(new byte[] {7}, decrypt(provider, aes, c.doFinal(new byte[] {7})), "usable after refusals");

        // A stream far past the limit is counted, not kept, and refused whole at doFinal.
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < 8; i++) {
            c.update(chunk);
        }
        IllegalBlockSizeException stream = assertThrows(IllegalBlockSizeException.class, () -> c.doFinal());
        assertTrue(stream.getMessage().contains(Long.toString(8L << 20)) && stream.getMessage().contains("INFISICAL-ENVELOPE"),
                stream.getMessage());
        assertEquals(0, f.kms.requests().stream().filter(r -> r.route().endsWith("/encrypt")).count() - 1,
                "only the one small encryption above reached the server");
    }

    @Test
    void aServerWithLargerCapsTakesAConfiguredLargerLimit() throws Exception {
        try (EmulatorFixture big = new EmulatorFixture(KmsEmulator.builder().payloadLimits(PayloadLimits.MODERN_1_MIB))) {
            InfisicalProvider p = new InfisicalProvider(big.config().maxPayloadBytes(1 << 20).build());
            Key k = big.keyStore(p).getKey(KmsEmulator.ENCRYPTION_KEY, null);
            byte[] data = bytes((1 << 20) - 31);
            Cipher c = Cipher.getInstance("INFISICAL-AES", p);
            c.init(Cipher.ENCRYPT_MODE, k);
            byte[] ct = c.doFinal(data);
            c.init(Cipher.DECRYPT_MODE, k);
            assertArrayEquals(data, c.doFinal(ct));
            c.init(Cipher.ENCRYPT_MODE, k);
            big.kms.clearRequests();
            assertThrows(IllegalBlockSizeException.class, () -> c.doFinal(bytes((1 << 20) - 30)));
            assertEquals(0, big.kms.requests().size());
        }
    }

    @Test
    void updateBuffersAndDoFinalSendsEverything() throws Exception {
        byte[] data = bytes(1000);
        Cipher c = Cipher.getInstance("INFISICAL-AES", provider);
        c.init(Cipher.ENCRYPT_MODE, aes);
        byte[] first = c.update(data, 0, 300);
        assertTrue(first == null || first.length == 0);
        assertEquals(0, c.update(data, 300, 200, new byte[2000], 0));
        byte[] ct = c.doFinal(data, 500, 500);
        assertEquals(1, f.kms.requests().size(), "nothing is sent before doFinal");
        c.init(Cipher.DECRYPT_MODE, aes);
        c.update(ct, 0, 10);
        assertArrayEquals(data, c.doFinal(ct, 10, ct.length - 10));
        c.init(Cipher.ENCRYPT_MODE, aes);
        assertArrayEquals(new byte[] {1, 2}, decrypt(provider, aes, c.doFinal(new byte[] {1, 2})),
                "doFinal reset the input");
        c.update(data);
        c.init(Cipher.ENCRYPT_MODE, aes);
        assertArrayEquals(new byte[] {3}, decrypt(provider, aes, c.doFinal(new byte[] {3})), "init discarded the input");
    }

    @Test
    void doFinalIntoABufferAndShortBuffers() throws Exception {
        byte[] data = bytes(100);
        Cipher c = Cipher.getInstance("INFISICAL-AES", provider);
        c.init(Cipher.ENCRYPT_MODE, aes);
        c.update(data);
        assertThrows(ShortBufferException.class, () -> c.doFinal(new byte[50], 0));
        assertEquals(0, f.kms.requests().size());
        byte[] out = new byte[5 + c.getOutputSize(0)];
        int n = c.doFinal(out, 5);
        byte[] ct = Arrays.copyOfRange(out, 5, 5 + n);
        assertArrayEquals(data, decrypt(provider, aes, ct), "the input was kept across the ShortBufferException");

        c.init(Cipher.DECRYPT_MODE, aes);
        assertThrows(ShortBufferException.class, () -> c.doFinal(ct, 0, ct.length, new byte[10], 0));
        byte[] plain = new byte[3 + c.getOutputSize(ct.length)];
        int m = c.doFinal(ct, 0, ct.length, plain, 3);
        assertArrayEquals(data, Arrays.copyOfRange(plain, 3, 3 + m));
    }

    @Test
    void outputSizeIsAnUpperBoundAndThereAreNoParameters() throws Exception {
        Cipher c = Cipher.getInstance("INFISICAL-AES", provider);
        c.init(Cipher.ENCRYPT_MODE, aes);
        assertEquals(0, c.getBlockSize());
        assertNull(c.getIV());
        assertNull(c.getParameters());
        for (int size : new int[] {1, 100, LARGEST}) {
            int bound = c.getOutputSize(size);
            assertTrue(bound >= size + 31, size + " -> " + bound);
            byte[] ct = c.doFinal(bytes(size));
            assertTrue(ct.length <= bound, ct.length + " > " + bound);
            c.init(Cipher.DECRYPT_MODE, aes);
            assertTrue(c.getOutputSize(ct.length) >= size);
            c.update(ct, 0, 7);
            assertTrue(c.getOutputSize(ct.length - 7) >= size, "counts buffered input");
            c.init(Cipher.ENCRYPT_MODE, aes);
        }
        c.update(new byte[10]);
        assertTrue(c.getOutputSize(5) >= 15 + 31, "counts buffered input");
    }

    @Test
    void parametersAndAadAreRefused() throws Exception {
        Cipher c = Cipher.getInstance("INFISICAL-AES", provider);
        assertThrows(InvalidAlgorithmParameterException.class,
                () -> c.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(128, new byte[12])));
        assertThrows(InvalidAlgorithmParameterException.class,
                () -> c.init(Cipher.DECRYPT_MODE, aes, new IvParameterSpec(new byte[16])));
        AlgorithmParameters gcm = AlgorithmParameters.getInstance("GCM");
        gcm.init(new GCMParameterSpec(128, new byte[12]));
        assertThrows(InvalidAlgorithmParameterException.class, () -> c.init(Cipher.ENCRYPT_MODE, aes, gcm));
        c.init(Cipher.ENCRYPT_MODE, aes, (java.security.spec.AlgorithmParameterSpec) null);
        UnsupportedOperationException aad = assertThrows(UnsupportedOperationException.class,
                () -> c.updateAAD(new byte[] {1}));
        assertTrue(aad.getMessage().contains("INFISICAL-ENVELOPE"), aad.getMessage());
        assertEquals(0, f.kms.requests().size());
    }

    @Test
    void onlyModeNoneAndNoPadding() throws Exception {
        assertThrows(NoSuchAlgorithmException.class, () -> Cipher.getInstance("INFISICAL-AES/GCM/NoPadding", provider));
        assertThrows(NoSuchAlgorithmException.class, () -> Cipher.getInstance("INFISICAL/CBC/NoPadding", provider));
        assertThrows(NoSuchPaddingException.class, () -> Cipher.getInstance("INFISICAL-AES/NONE/PKCS5Padding", provider));
        assertEquals("INFISICAL-AES/NONE/NoPadding",
                Cipher.getInstance("INFISICAL-AES/NONE/NoPadding", provider).getAlgorithm());
    }

    @Test
    void wrongKeysAreRefusedByName() throws Exception {
        Cipher c = Cipher.getInstance("INFISICAL-AES", provider);
        Key signing = ks.getKey(KmsEmulator.SIGNING_KEY, null);
        Key hmac = ks.getKey(KmsEmulator.HMAC_KEY, null);
        Key plain = new SecretKeySpec(new byte[32], "AES");
        f.kms.clearRequests();
        for (int mode : new int[] {Cipher.ENCRYPT_MODE, Cipher.DECRYPT_MODE, Cipher.WRAP_MODE, Cipher.UNWRAP_MODE}) {
            String m = assertThrows(InvalidKeyException.class, () -> c.init(mode, signing)).getMessage();
            assertTrue(m.contains("is a sign-verify key (RSA_4096)") && m.contains(KmsEmulator.SIGNING_KEY), m);
            m = assertThrows(InvalidKeyException.class, () -> c.init(mode, hmac)).getMessage();
            assertTrue(m.contains("encrypt-decrypt") && m.contains("generate-verify-mac")
                    && m.contains(KmsEmulator.HMAC_KEY), m);
            m = assertThrows(InvalidKeyException.class, () -> c.init(mode, plain)).getMessage();
            assertTrue(m.contains("Infisical secret-key handle") && m.contains("SecretKeySpec"), m);
            assertThrows(InvalidKeyException.class, () -> c.init(mode, (Key) null));
        }
        assertEquals(0, f.kms.requests().size());
    }

    @Test
    void firstInLineInfisicalServesOnlyItsHandles() throws Exception {
        int position = Security.insertProviderAt(provider, 1);
        assertEquals(1, position, "another test left the provider installed");
        try {
            SecretKey plain = new SecretKeySpec(bytes(32), "AES");
            Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
            jdk.init(Cipher.ENCRYPT_MODE, plain, new GCMParameterSpec(128, new byte[12]));
            assertNotEquals(InfisicalProvider.NAME, jdk.getProvider().getName());
            assertEquals(16 + 5, jdk.doFinal(new byte[5]).length);

            Cipher ours = Cipher.getInstance("INFISICAL");
            ours.init(Cipher.ENCRYPT_MODE, aes);
            assertEquals(InfisicalProvider.NAME, ours.getProvider().getName());
            assertArrayEquals(new byte[] {9}, decrypt(provider, aes, ours.doFinal(new byte[] {9})));
            assertThrows(InvalidKeyException.class,
                    () -> Cipher.getInstance("INFISICAL-AES").init(Cipher.ENCRYPT_MODE, plain));
        } finally {
            Security.removeProvider(InfisicalProvider.NAME);
        }
    }

    @ParameterizedTest
    @EnumSource(ServerProfile.class)
    void alteredTruncatedOrForeignCiphertextIsABadTagAfterOneRetry(ServerProfile profile) throws Exception {
        try (EmulatorFixture e = new EmulatorFixture(KmsEmulator.builder().profile(profile))) {
            InfisicalProvider p = new InfisicalProvider(e.config().maxRetries(5).build());
            KeyStore store = e.keyStore(p);
            Key k = store.getKey(KmsEmulator.ENCRYPTION_KEY, null);
            Key other = store.getKey(e.kms.importKey("other-aes", "aes-128-gcm", bytes(16)), null);
            byte[] ct = encrypt(p, k, bytes(64));
            byte[] flipped = ct.clone();
            flipped[20] ^= 0x01;
            byte[] cut = Arrays.copyOf(ct, ct.length - 4);
            Cipher c = Cipher.getInstance("INFISICAL-AES", p);
            for (Object[] bad : new Object[][] {{k, flipped}, {k, cut}, {other, ct}}) {
                e.kms.clearRequests();
                c.init(Cipher.DECRYPT_MODE, (Key) bad[0]);
                AEADBadTagException x = assertThrows(AEADBadTagException.class, () -> c.doFinal((byte[]) bad[1]));
                String m = x.getMessage();
                assertTrue(m.contains("altered") && m.contains("truncated") && m.contains("another key"), m);
                assertTrue(m.contains(((InfisicalKey) bad[0]).keyId()) && m.contains("HTTP 500"), m);
                assertEquals(profile == ServerProfile.CURRENT, m.contains("(reqId req-"), m);
                KmsApiException api = inChain(x, KmsApiException.class);
                assertEquals(500, api.status());
                assertEquals(2, e.requests("POST", "/decrypt").size(), "1 + DECRYPT_500_RETRIES, not maxRetries + 1");
                assertClean(x, e.kms.clientSecret());
            }
            c.init(Cipher.DECRYPT_MODE, k);
            assertArrayEquals(bytes(64), c.doFinal(ct), "the genuine ciphertext still decrypts");
        }
    }

    @Test
    void aTooShortCiphertextIsRefusedWithoutACall() throws Exception {
        Cipher c = Cipher.getInstance("INFISICAL-AES", provider);
        c.init(Cipher.DECRYPT_MODE, aes);
        assertThrows(BadPaddingException.class, () -> c.doFinal(new byte[10]));
        assertThrows(BadPaddingException.class, () -> c.doFinal(new byte[0]));
        assertThrows(IllegalBlockSizeException.class, () -> c.doFinal(new byte[4097]));
        assertEquals(0, f.kms.requests().size());
    }

    @Test
    void aDisabledKeyFailsWithTheServersReason() throws Exception {
        String id = f.kms.importKey("to-disable", "aes-256-gcm", bytes(32));
        Key k = ks.getKey(id, null);
        byte[] ct = encrypt(provider, k, "before".getBytes(StandardCharsets.UTF_8));
        disable(f, id);
        f.kms.clearRequests();
        Cipher c = Cipher.getInstance("INFISICAL-AES", provider);
        c.init(Cipher.ENCRYPT_MODE, k);
        IllegalBlockSizeException enc = assertThrows(IllegalBlockSizeException.class, () -> c.doFinal(SECRET_TEXT));
        assertTrue(enc.getMessage().contains("Key is disabled") && enc.getMessage().contains(id)
                && enc.getMessage().contains("HTTP 400 BadRequest"), enc.getMessage());
        assertInstanceOf(KmsApiException.class, enc.getCause());
        assertClean(enc, f.kms.clientSecret());
        c.init(Cipher.DECRYPT_MODE, k);
        IllegalBlockSizeException dec = assertThrows(IllegalBlockSizeException.class, () -> c.doFinal(ct),
                "a disabled key is not a bad ciphertext");
        assertTrue(dec.getMessage().contains("Key is disabled") && dec.getMessage().contains(id), dec.getMessage());
        assertEquals(2, f.kms.requests().size(), "a 400 is not retried");
    }

    /**
     * A transport failure ends within the request timeout however many retries are allowed:
     * counted, not timed. Backoffs of 100-200, 200-400, 400-800 and 800-1600 ms leave room in a
     * 1.5 s bound for three waits at most, so four attempts of the eleven allowed (a slower
     * machine makes fewer, never more). A server that never answers ends in a TIMEOUT: it holds
     * its answer for ten minutes, far past the minute after which the test is taken as hung.
     */
    @Test
    void aTransportFailureEndsWithinTheRequestTimeout() throws Exception {
        InfisicalProvider p =
                new InfisicalProvider(f.config().requestTimeout(Duration.ofMillis(1500)).maxRetries(10).build());
        Key k = f.keyStore(p).getKey(KmsEmulator.ENCRYPTION_KEY, null);
        byte[] ct = encrypt(p, k, new byte[] {1});
        f.kms.inject("POST", "/(en|de)crypt$", Fault.dropConnection(), -1);
        Cipher c = Cipher.getInstance("INFISICAL-AES", p);
        for (int mode : new int[] {Cipher.ENCRYPT_MODE, Cipher.DECRYPT_MODE}) {
            f.kms.clearRequests();
            c.init(mode, k);
            byte[] in = mode == Cipher.ENCRYPT_MODE ? SECRET_TEXT : ct;
            IllegalBlockSizeException x = assertTimeoutPreemptively(HUNG,
                    () -> assertThrows(IllegalBlockSizeException.class, () -> c.doFinal(in)));
            KmsException cause = assertInstanceOf(KmsException.class, x.getCause());
            assertFalse(cause instanceof KmsApiException, cause.toString());
            assertTrue(cause.isTransient(), cause.kind().toString());
            assertClean(x, f.kms.clientSecret());
            int attempts = f.requests("POST", mode == Cipher.ENCRYPT_MODE ? "/encrypt" : "/decrypt").size();
            assertTrue(attempts <= 4, "the time bound ends the retries: " + attempts + " attempts");
        }

        f.kms.clearFaults();
        f.kms.inject("POST", "/encrypt$", Fault.delay(Duration.ofMinutes(10)), -1);
        c.init(Cipher.ENCRYPT_MODE, k);
        IllegalBlockSizeException hung = assertTimeoutPreemptively(HUNG,
                () -> assertThrows(IllegalBlockSizeException.class, () -> c.doFinal(SECRET_TEXT)));
        assertEquals(KmsException.Kind.TIMEOUT, assertInstanceOf(KmsException.class, hung.getCause()).kind());
    }

    @Test
    void aTransportFailureIsRetried() throws Exception {
        // A bound no machine comes near: whether the retry happens must not depend on its speed.
        InfisicalProvider p = new InfisicalProvider(f.config().requestTimeout(Duration.ofMinutes(1)).build());
        Key k = f.keyStore(p).getKey(KmsEmulator.ENCRYPTION_KEY, null);
        f.kms.clearRequests();
        f.kms.inject("POST", "/encrypt$", Fault.dropConnection(), 1);
        assertArrayEquals(SECRET_TEXT, decrypt(p, k, encrypt(p, k, SECRET_TEXT)));
        assertEquals(2, f.requests("POST", "/encrypt").size(), "the dropped one and its retry");
    }

    @Test
    void wrapsAndUnwrapsAnyEncodedKey() throws Exception {
        KeyGenerator hmacGen = KeyGenerator.getInstance("HmacSHA256");
        KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
        rsaGen.initialize(2048);
        KeyPair rsa = rsaGen.generateKeyPair();
        KeyPair ec = EmulatorFixture.ecKeyPair("secp256r1");
        Object[][] cases = {
            {new SecretKeySpec(bytes(32), "AES"), "AES", Cipher.SECRET_KEY},
            {hmacGen.generateKey(), "HmacSHA256", Cipher.SECRET_KEY},
            {rsa.getPrivate(), "RSA", Cipher.PRIVATE_KEY},
            {ec.getPublic(), "EC", Cipher.PUBLIC_KEY},
        };
        Cipher c = Cipher.getInstance("INFISICAL-AES", provider);
        for (Object[] k : cases) {
            Key original = (Key) k[0];
            c.init(Cipher.WRAP_MODE, aes);
            byte[] wrapped = c.wrap(original);
            assertFalse(Arrays.equals(original.getEncoded(), Arrays.copyOf(wrapped, original.getEncoded().length)));
            c.init(Cipher.UNWRAP_MODE, aes);
            Key back = c.unwrap(wrapped, (String) k[1], (int) k[2]);
            assertEquals(k[1], back.getAlgorithm());
            assertArrayEquals(original.getEncoded(), back.getEncoded(), (String) k[1]);
            assertEquals(original, back);
            if ((int) k[2] == Cipher.SECRET_KEY) {
                assertInstanceOf(SecretKeySpec.class, back);
            }
        }
        c.init(Cipher.WRAP_MODE, aes);
        assertThrows(InvalidKeyException.class, () -> c.wrap(aes), "a handle has no encoding");
        assertThrows(InvalidKeyException.class, () -> c.wrap(ks.getKey(KmsEmulator.SIGNING_KEY, null)));
        IllegalBlockSizeException huge = assertThrows(IllegalBlockSizeException.class,
                () -> c.wrap(new SecretKeySpec(bytes(LARGEST + 1), "HmacSHA256")));
        assertTrue(huge.getMessage().contains("INFISICAL-ENVELOPE"), huge.getMessage());
        byte[] wrapped = c.wrap(new SecretKeySpec(bytes(16), "AES"));
        c.init(Cipher.UNWRAP_MODE, aes);
        assertThrows(InvalidKeyException.class, () -> c.unwrap(wrapped, "RSA", Cipher.PRIVATE_KEY), "not a PKCS#8 key");
        wrapped[15] ^= 0x40;
        InvalidKeyException x = assertThrows(InvalidKeyException.class, () -> c.unwrap(wrapped, "AES", Cipher.SECRET_KEY));
        assertEquals(500, inChain(x, KmsApiException.class).status());
    }

    @Test
    void messagesAndToStringsHoldNoSecretOrPlaintext() throws Exception {
        String secret = f.kms.clientSecret();
        try (KmsClient client = KmsClient.create(f.config().build())) {
            for (Object o : new Object[] {provider, aes, f.config().build(), client, Cipher.getInstance("INFISICAL", provider)}) {
                assertFalse(o.toString().contains(secret), o.getClass().getName());
            }
        }
        Cipher c = Cipher.getInstance("INFISICAL-AES", provider);
        c.init(Cipher.ENCRYPT_MODE, aes);
        byte[] tooBig = String.join("", java.util.Collections.nCopies(200, new String(SECRET_TEXT, StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
        assertClean(assertThrows(IllegalBlockSizeException.class, () -> c.doFinal(tooBig)), secret);
        f.kms.inject("POST", "/encrypt$", Fault.status(500), -1);
        assertClean(assertThrows(IllegalBlockSizeException.class, () -> c.doFinal(SECRET_TEXT)), secret);
        f.kms.clearFaults();
        byte[] ct = c.doFinal(SECRET_TEXT);
        f.kms.inject("POST", "/decrypt$", Fault.status(403), 1);
        c.init(Cipher.DECRYPT_MODE, aes);
        assertClean(assertThrows(IllegalBlockSizeException.class, () -> c.doFinal(ct)), secret);
        String echo = "{\"statusCode\":400,\"error\":\"BadRequest\",\"message\":\"bad secret " + secret + "\"}";
        f.kms.inject("POST", "/encrypt$", Fault.status(400, echo), 1);
        c.init(Cipher.ENCRYPT_MODE, aes);
        IllegalBlockSizeException echoed = assertThrows(IllegalBlockSizeException.class, () -> c.doFinal(SECRET_TEXT));
        assertTrue(echoed.getMessage().contains("bad secret ***MASKED***"), echoed.getMessage());
        assertClean(echoed, secret);
    }
}
