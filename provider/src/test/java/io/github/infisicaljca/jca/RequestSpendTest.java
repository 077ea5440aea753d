package io.github.infisicaljca.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.EnvelopeParameterSpec;
import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RecordedRequest;
import io.github.infisicaljca.emulator.ServerProfile;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.crypto.Cipher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What each JCA call costs in KMS requests, counted by the emulator: every request spends a
 * rate-limit budget (by default 200 writes and 60 reads a minute per route), so nothing the
 * provider already knows is asked again.
 */
class RequestSpendTest {
    private static EmulatorFixture emu;

    @BeforeAll
    static void start() {
        emu = new EmulatorFixture();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @BeforeEach
    void clear() {
        emu.kms.clearRequests();
    }

    private static long count(String method, String suffix) {
        return emu.requests(method, suffix).size();
    }

    private static long keyReads() {
        return emu.kms.requests().stream().filter(r -> r.method().equals("GET")).count();
    }

    @Test
    void aPublicKeyAndACertificateAreFetchedOncePerProviderAcrossKeyStoreLoads() throws Exception {
        InfisicalProvider provider = emu.provider();
        for (int i = 0; i < 3; i++) {
            KeyStore ks = emu.keyStore(provider);
            assertNotNull(ks.getKey(KmsEmulator.SIGNING_KEY, null));
            Certificate c = ks.getCertificate(KmsEmulator.SIGNING_KEY);
            assertNotNull(c);
            assertEquals(KmsEmulator.SIGNING_KEY, ks.getCertificateAlias(c));
        }
        assertEquals(3, count("GET", "/v1/kms/keys"), "one listing per load");
        assertEquals(1, count("GET", "/public-key"), "the public key never changes: fetched once");
        assertEquals(1, count("POST", "/sign"), "the self-signed certificate is made (signed) once");
    }

    @Test
    void providerKeyReadsTheKeyEachTimeAndItsPublicKeyOnce() throws Exception {
        InfisicalProvider provider = emu.provider();
        for (int i = 0; i < 3; i++) {
            assertTrue(provider.key(emu.kms.signingKeyId()) instanceof InfisicalPrivateKey);
        }
        assertEquals(3, count("GET", "/v1/kms/keys/" + emu.kms.signingKeyId()));
        assertEquals(1, count("GET", "/public-key"));
    }

    @Test
    void aKeyByNameIsOneLookupNotAListing() throws Exception {
        InfisicalKey key = emu.provider().keyByName(KmsEmulator.ENCRYPTION_KEY);
        assertEquals(emu.kms.encryptionKeyId(), key.keyId());
        assertEquals(1, count("GET", "/key-name/" + KmsEmulator.ENCRYPTION_KEY));
        assertEquals(1, keyReads(), "no listing");
    }

    @Test
    void keysOutsideTheListingAreAskedForOncePerListing() throws Exception {
        String unknown = UUID.randomUUID().toString();
        KeyStore ks = emu.keyStore(emu.provider());
        emu.kms.clearRequests();
        for (int i = 0; i < 3; i++) {
            assertFalse(ks.containsAlias(unknown));
            assertNull(ks.getKey(unknown, null));
        }
        assertEquals(1, count("GET", "/v1/kms/keys/" + unknown), "an unknown id is remembered as unknown");
    }

    @Test
    void signingCostsOneCallAndLocalVerificationNone() throws Exception {
        InfisicalProvider provider = emu.provider();
        InfisicalPrivateKey key = (InfisicalPrivateKey) provider.key(emu.kms.signingKeyId());
        emu.kms.clearRequests();
        byte[] data = "spend".getBytes(StandardCharsets.UTF_8);
        Signature s = Signature.getInstance("SHA256withRSA", provider);
        s.initSign(key);
        s.update(data);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance("SHA256withRSA", provider);
        v.initVerify(key.publicKey());
        v.update(data);
        assertTrue(v.verify(sig));
        assertEquals(List.of("POST"), emu.kms.requests().stream().map(RecordedRequest::method).toList());
    }

    @Test
    void theDataKeyCacheDecryptsManyEnvelopesWithOneKmsCall() throws Exception {
        InfisicalProvider provider = emu.provider();
        Key key = provider.key(emu.kms.encryptionKeyId());
        EnvelopeParameterSpec cached = EnvelopeParameterSpec.builder().dataKeyCache(100, Duration.ofMinutes(10)).build();
        for (EnvelopeParameterSpec spec : List.of(EnvelopeParameterSpec.DEFAULT, cached)) {
            emu.kms.clearRequests();
            List<byte[]> sealed = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Cipher c = Cipher.getInstance("INFISICAL-ENVELOPE", provider);
                c.init(Cipher.ENCRYPT_MODE, key, spec);
                sealed.add(c.doFinal(("message " + i).getBytes(StandardCharsets.UTF_8)));
            }
            for (int i = 0; i < 10; i++) {
                Cipher c = Cipher.getInstance("INFISICAL-ENVELOPE", provider);
                c.init(Cipher.DECRYPT_MODE, key, spec);
                assertArrayEquals(("message " + i).getBytes(StandardCharsets.UTF_8), c.doFinal(sealed.get(i)));
            }
            long calls = spec.cacheEnabled() ? 1 : 10;
            assertEquals(calls, count("POST", "/encrypt"), spec.toString());
            assertEquals(calls, count("POST", "/decrypt"), spec.toString());
        }
    }

    @Test
    void aServerWithoutTheGetKeyRouteIsNotAskedForItAgain() throws Exception {
        try (EmulatorFixture old = new EmulatorFixture(KmsEmulator.builder().profile(ServerProfile.INFISICAL_2024))) {
            InfisicalProvider provider = old.provider();
            String id = old.kms.encryptionKeyId();
            for (int i = 0; i < 3; i++) {
                assertEquals(id, provider.key(id).keyId());
            }
            assertEquals(1, old.requests("GET", "/v1/kms/keys/" + id).size(), "one 404 'Route not found', then never");
            assertEquals(3, old.requests("GET", "/v1/kms/keys").size(), "then the key list, once per lookup");
            assertEquals(KmsEmulator.ENCRYPTION_KEY, provider.keyByName(KmsEmulator.ENCRYPTION_KEY).keyName());
            assertEquals(1, old.requests("GET", "/key-name/" + KmsEmulator.ENCRYPTION_KEY).size());
            provider.keyByName(KmsEmulator.ENCRYPTION_KEY);
            assertEquals(1, old.requests("GET", "/key-name/" + KmsEmulator.ENCRYPTION_KEY).size());
        }
    }
}
