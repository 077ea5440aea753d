package io.github.infisicaljca.jca;

import static io.github.infisicaljca.jca.EnvelopeSupport.ALGORITHM;
import static io.github.infisicaljca.jca.EnvelopeSupport.DEFAULT_SEGMENT;
import static io.github.infisicaljca.jca.EnvelopeSupport.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.EnvelopeParameterSpec;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.kms.CreateKeyRequest;
import io.github.infisicaljca.kms.KmsClient;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The envelope's data-key cache against the emulator: what a hit may skip (the KMS decrypt
 * call) and what it may not (the binding of a data key to the KMS key that unwrapped it), and
 * the bounds on an entry's age and uses. The cache's clock is a counter the tests move on.
 */
class EnvelopeCacheTest {
    private static final Duration AGE = Duration.ofMinutes(5);
    private static final EnvelopeParameterSpec CACHED = EnvelopeParameterSpec.builder().dataKeyCache(3, AGE).build();

    private static EmulatorFixture f;
    private static KmsClient client;
    private static InfisicalProvider provider;
    private static String keyA;
    private static String keyB;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private KmsBinding binding;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture();
        client = KmsClient.create(f.config().build());
        provider = new InfisicalProvider(client);
        keyA = f.kms.encryptionKeyId();
        keyB = client.createKey(CreateKeyRequest.builder(f.kms.projectId(), "envelope-cache-b").build()).id();
    }

    @AfterAll
    static void stop() {
        client.close();
        f.close();
    }

    @BeforeEach
    void freshCache() {
        binding = new KmsBinding(client, client.config(), new DataKeyCache(now::get));
    }

    /** A handle on this test's binding: every handle of one provider shares its cache, as these do. */
    private Key handle(String keyId) throws Exception {
        return KeyHandles.forKey(binding, client.getKey(keyId));
    }

    private static byte[] encrypt(Key key, EnvelopeParameterSpec spec, byte[] data) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(ALGORITHM, provider);
        c.init(Cipher.ENCRYPT_MODE, key, spec);
        return c.doFinal(data);
    }

    private static byte[] decrypt(Key key, EnvelopeParameterSpec spec, byte[] msg) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(ALGORITHM, provider);
        c.init(Cipher.DECRYPT_MODE, key, spec);
        return c.doFinal(msg);
    }

    private static int decryptCalls(String keyId) {
        return f.requests("POST", "/v1/kms/keys/" + keyId + "/decrypt").size();
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void aMessageForKeyBCarryingKeyAsDataKeyIsAskedOfTheKmsUnderB() throws Exception {
        Key a = handle(keyA);
        Key b = handle(keyB);
        byte[] sealed = encrypt(a, CACHED, random(100, 1));
        assertArrayEquals(random(100, 1), decrypt(a, CACHED, sealed)); // A's data key is now cached
        // A forger who knows A's data key labels a message with key B and A's wrapped data key.
        byte[] wrappedA = EnvelopeSupport.wrapped(sealed);
        byte[] dataKeyA = client.decrypt(keyA, wrappedA);
        byte[] forged = EnvelopeInteropTest.write(UUID.fromString(keyB), dataKeyA, wrappedA, DEFAULT_SEGMENT,
                random(50, 2), new byte[0]);
        f.kms.clearRequests();
        AEADBadTagException x = assertThrows(AEADBadTagException.class, () -> decrypt(b, CACHED, forged),
                "B never wrapped this data key: the cache must not vouch for it");
        assertTrue(x.getMessage().contains("refused to decrypt"), x.getMessage());
        // (The server answers a ciphertext it cannot decrypt with a 500, which the client may retry.)
        assertTrue(decryptCalls(keyB) > 0, "the unwrap was asked of the KMS, under key B");
        assertEquals(decryptCalls(keyB), f.kms.requests().size(), "and of nothing else");
        // A's own entry still serves A.
        f.kms.clearRequests();
        assertArrayEquals(random(100, 1), decrypt(a, CACHED, sealed));
        assertEquals(0, f.kms.requests().size());
    }

    @Test
    void aHitForTheSameKeySkipsTheKms() throws Exception {
        Key a = handle(keyA);
        byte[] one = encrypt(a, CACHED, random(10, 3));
        byte[] two = encrypt(a, CACHED, random(20, 4));
        f.kms.clearRequests();
        assertArrayEquals(random(10, 3), decrypt(a, CACHED, one));
        assertArrayEquals(random(20, 4), decrypt(a, CACHED, two));
        assertEquals(1, decryptCalls(keyA), "two messages under one data key: one unwrap");
        assertEquals(1, f.kms.requests().size());
    }

    @Test
    void anEntryExpiresAtItsAge() throws Exception {
        Key a = handle(keyA);
        byte[] sealed = encrypt(a, CACHED, random(10, 5));
        f.kms.clearRequests();
        decrypt(a, CACHED, sealed);
        advance(AGE.minusNanos(1));
        decrypt(a, CACHED, sealed);
        assertEquals(1, decryptCalls(keyA), "within its age: a hit");
        advance(Duration.ofNanos(1));
        decrypt(a, CACHED, sealed);
        assertEquals(2, decryptCalls(keyA), "at its age: unwrapped again");
        decrypt(a, CACHED, sealed);
        assertEquals(2, decryptCalls(keyA), "and cached afresh");
    }

    @Test
    void anEntryExpiresAfterItsUses() throws Exception {
        Key a = handle(keyA);
        byte[] sealed = encrypt(a, CACHED, random(10, 6));
        f.kms.clearRequests();
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(random(10, 6), decrypt(a, CACHED, sealed));
        }
        assertEquals(1, decryptCalls(keyA), "3 uses: the unwrap and two hits");
        decrypt(a, CACHED, sealed);
        assertEquals(2, decryptCalls(keyA), "the fourth use unwraps again");
        decrypt(a, CACHED, sealed);
        decrypt(a, CACHED, sealed);
        assertEquals(2, decryptCalls(keyA));
        decrypt(a, CACHED, sealed);
        assertEquals(3, decryptCalls(keyA));
    }

    @Test
    void theEncryptingSideReusesADataKeyWithinItsAgeOnly() throws Exception {
        Key a = handle(keyA);
        f.kms.clearRequests();
        byte[] first = encrypt(a, CACHED, random(10, 7));
        advance(AGE.minusNanos(1));
        byte[] second = encrypt(a, CACHED, random(10, 8));
        assertArrayEquals(EnvelopeSupport.wrapped(first), EnvelopeSupport.wrapped(second));
        advance(Duration.ofNanos(1));
        byte[] third = encrypt(a, CACHED, random(10, 9));
        assertFalse(Arrays.equals(EnvelopeSupport.wrapped(first), EnvelopeSupport.wrapped(third)),
                "past its age a data key serves no more messages");
        assertEquals(2, f.requests("POST", "/encrypt").size());
    }

    @Test
    void aDisabledKeyStopsCachedDecryptionAtTheEntrysExpiry() throws Exception {
        String id = f.kms.importKey("envelope-cache-disable", "aes-256-gcm", random(32, 10));
        Key k = handle(id);
        byte[] sealed = encrypt(k, CACHED, random(10, 11));
        decrypt(k, CACHED, sealed);
        SecretKeyTestSupport.disable(f, id);
        f.kms.clearRequests();
        assertArrayEquals(random(10, 11), decrypt(k, CACHED, sealed),
                "documented: a hit skips the KMS, so the disable is not seen yet");
        assertEquals(0, f.kms.requests().size());
        advance(AGE);
        Exception x = assertThrows(Exception.class, () -> decrypt(k, CACHED, sealed));
        assertTrue(x.getMessage().contains("Key is disabled"), x.getMessage());
        assertEquals(1, decryptCalls(id), "once expired, the KMS decides again");
    }

    @Test
    void theCacheAgeHasACeiling() {
        Duration ceiling = EnvelopeParameterSpec.MAX_CACHE_AGE;
        assertEquals(Duration.ofHours(1), ceiling);
        assertEquals(ceiling, EnvelopeParameterSpec.builder().dataKeyCache(2, ceiling).build().cacheMaxAge());
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> EnvelopeParameterSpec.builder().dataKeyCache(2, ceiling.plusNanos(1)).build());
        assertTrue(x.getMessage().contains("at most PT1H"), x.getMessage());
    }

    @Test
    void keysAreSeparateEntriesAndTheCacheIsBounded() {
        DataKeyCache cache = new DataKeyCache(now::get);
        byte[] wrapped = random(60, 12);
        cache.putUnwrapped(keyA, wrapped, random(32, 13));
        assertArrayEquals(random(32, 13), cache.unwrapped(keyA, wrapped, 10, AGE.toNanos()));
        assertNull(cache.unwrapped(keyB, wrapped, 10, AGE.toNanos()), "same bytes, other key: a miss");
        assertArrayEquals(random(32, 13), cache.unwrapped(keyA.toUpperCase(Locale.ROOT), wrapped, 10,
                AGE.toNanos()), "a key id is a UUID, whatever its case");
        for (int i = 0; i < DataKeyCache.MAX_ENTRIES; i++) {
            cache.putUnwrapped(keyB, random(60, 100 + i), random(32, i));
        }
        assertNull(cache.unwrapped(keyA, wrapped, 10, AGE.toNanos()), "the eldest made room");
        assertArrayEquals(random(32, DataKeyCache.MAX_ENTRIES - 1),
                cache.unwrapped(keyB, random(60, 100 + DataKeyCache.MAX_ENTRIES - 1), 10, AGE.toNanos()));
        String first = UUID.randomUUID().toString();
        cache.putForEncryption(first, new DataKeyCache.DataKey(random(32, 14), random(60, 14)));
        assertArrayEquals(random(32, 14), cache.forEncryption(first, 10, AGE.toNanos()).plain());
        for (int i = 0; i < DataKeyCache.MAX_ENTRIES; i++) {
            cache.putForEncryption(UUID.randomUUID().toString(), new DataKeyCache.DataKey(random(32, i), random(60, i)));
        }
        assertNull(cache.forEncryption(first, 10, AGE.toNanos()), "the encrypting side is bounded too");
    }
}
