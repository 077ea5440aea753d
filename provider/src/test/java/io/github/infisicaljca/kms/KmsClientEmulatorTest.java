package io.github.infisicaljca.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.Secret;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.ServerProfile;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client against the emulator over real sockets: two independent readings of the API that
 * must agree on every call. The JDK verifies the signatures.
 */
class KmsClientEmulatorTest {
    private static final byte[] MESSAGE = "two readings, one protocol".getBytes(StandardCharsets.UTF_8);
    private static KmsEmulator kms;
    private static KmsClient client;

    @BeforeAll
    static void start() {
        kms = KmsEmulator.builder().start();
        client = KmsClient.create(config(kms).build());
    }

    @AfterAll
    static void stop() {
        client.close();
        kms.close();
    }

    static InfisicalConfig.Builder config(KmsEmulator e) {
        return InfisicalConfig.builder().withoutAmbientSources().url(e.url().toString()).clientId(e.clientId())
                .clientSecret(e.clientSecret()).projectId(e.projectId());
    }

    @Test
    void keysAreListedCreatedFoundUpdatedAndDeleted() throws Exception {
        List<String> names = client.listKeys(kms.projectId()).stream().map(KmsKey::name).collect(Collectors.toList());
        assertEquals(List.of("ec-signing-key", "encryption-key", "hmac-key", "signing-key"), names);
        KmsKey created = client.createKey(CreateKeyRequest.builder(kms.projectId(), "client-made")
                .keyUsage(KeyUsage.GENERATE_VERIFY_MAC).algorithm("HMAC_SHA_384").description("d").build());
        assertEquals(KeyUsage.GENERATE_VERIFY_MAC, created.keyUsage());
        assertEquals("HMAC_SHA_384", created.algorithm());
        assertEquals(created, client.getKey(created.id()));
        assertEquals(created.id(), client.getKeyByName(kms.projectId(), "client-made").id());
        KmsKey disabled = client.updateKey(created.id(), KeyUpdate.disable());
        assertTrue(disabled.disabled());
        KmsApiException refused = assertThrows(KmsApiException.class, () -> client.generateMac(created.id(), MESSAGE));
        assertEquals(400, refused.status());
        assertEquals("Key is disabled", refused.serverMessage());
        assertTrue(refused.reqId().isPresent());
        client.deleteKey(created.id());
        KmsApiException gone = assertThrows(KmsApiException.class, () -> client.getKey(created.id()));
        assertTrue(gone.isNotFound());
    }

    @Test
    void encryptDecryptRoundTripsUpToTheLargestDecryptablePlaintext() throws Exception {
        for (int size : new int[] {1, 100, 4065}) {
            byte[] data = new byte[size];
            data[size - 1] = 7;
            byte[] ct = client.encrypt(kms.encryptionKeyId(), data);
            assertArrayEquals(data, client.decrypt(kms.encryptionKeyId(), ct));
        }
        byte[] ct = client.encrypt(kms.encryptionKeyId(), MESSAGE);
        ct[13] ^= 1;
        KmsApiException tampered = assertThrows(KmsApiException.class, () -> client.decrypt(kms.encryptionKeyId(), ct));
        assertEquals(500, tampered.status());
    }

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void everySigningAlgorithmAgreesWithTheJdk(SigningAlgorithm alg) throws Exception {
        boolean ec = alg.family() == SigningAlgorithm.Family.ECDSA;
        String keyId = kms.keyId(ec ? KmsEmulator.EC_SIGNING_KEY : KmsEmulator.SIGNING_KEY);
        PublicKey pub = KeyFactory.getInstance(ec ? "EC" : "RSA")
                .generatePublic(new X509EncodedKeySpec(client.publicKey(keyId)));
        byte[] raw = client.sign(keyId, alg, MESSAGE, false);
        assertTrue(jdkVerifies(alg, pub, raw));
        assertTrue(client.verify(keyId, alg, MESSAGE, false, raw));
        assertFalse(client.verify(keyId, alg, "tampered".getBytes(StandardCharsets.UTF_8), false, raw));
        if (alg.acceptsDigest()) {
            byte[] digest = MessageDigest.getInstance(alg.hashAlgorithm()).digest(MESSAGE);
            byte[] fromDigest = client.sign(keyId, alg, digest, true);
            assertTrue(jdkVerifies(alg, pub, fromDigest));
            assertTrue(client.verify(keyId, alg, digest, true, fromDigest));
        }
        assertTrue(client.signingAlgorithms(keyId).contains(alg.wireName()));
    }

    private static boolean jdkVerifies(SigningAlgorithm alg, PublicKey pub, byte[] sig) throws Exception {
        Signature s;
        String h = alg.hashAlgorithm();
        if (alg.family() == SigningAlgorithm.Family.RSA_PSS) {
            s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec(h, "MGF1", new MGF1ParameterSpec(h), alg.digestLength(), 1));
        } else {
            s = Signature.getInstance(h.replace("-", "") + (alg.family() == SigningAlgorithm.Family.ECDSA ? "withECDSA" : "withRSA"));
        }
        s.initVerify(pub);
        s.update(MESSAGE);
        return s.verify(sig);
    }

    @Test
    void macsAgree() throws Exception {
        String hmac = kms.keyId(KmsEmulator.HMAC_KEY);
        byte[] mac = client.generateMac(hmac, MESSAGE);
        assertEquals(32, mac.length);
        assertTrue(client.verifyMac(hmac, MESSAGE, mac));
        mac[0] ^= 1;
        assertFalse(client.verifyMac(hmac, MESSAGE, mac));
    }

    @Test
    void tokensAreRenewedAndReplacedAsTheEmulatorExpiresThem() throws Exception {
        try (KmsEmulator short_ = KmsEmulator.builder().seedKeys(false)
                .tokenLifetimes(Duration.ofSeconds(30), Duration.ofSeconds(60)).start();
             KmsClient c = KmsClient.create(config(short_).build())) {
            c.listKeys(short_.projectId());
            short_.advanceTime(Duration.ofSeconds(90)); // past the max TTL: the server refuses the token
            assertTrue(c.listKeys(short_.projectId()).isEmpty(), "a 403 TokenError leads to one fresh login");
            long logins = short_.requests().stream().filter(r -> r.route().endsWith("/universal-auth/login")).count();
            assertEquals(2, logins);
            AuthToken t = c.login(short_.clientId(), Secret.of(short_.clientSecret()));
            assertEquals(Duration.ofSeconds(30), t.expiresIn());
            c.revokeToken(t.accessToken());
        }
    }

    @Test
    void the2024ProfileIsServedThroughTheFallbacks() throws Exception {
        try (KmsEmulator old = KmsEmulator.builder().seedKeys(false).profile(ServerProfile.INFISICAL_2024).start();
             KmsClient c = KmsClient.create(config(old).build())) {
            KmsKey k = c.createKey(CreateKeyRequest.builder(old.projectId(), "old-style").build());
            assertEquals(KeyUsage.ENCRYPT_DECRYPT, k.keyUsage(), "no keyUsage on 2024, and no algorithm in a create answer");
            assertNull(k.algorithm(), "the 2024 create answer is the bare key row");
            assertNull(k.version());
            KmsKey found = c.getKey(k.id());
            assertEquals("aes-256-gcm", found.algorithm(), "found through the key list (no get-by-id route), which has it");
            assertEquals(1, found.version());
            assertEquals(new KmsKey(k.id(), k.name(), k.description(), k.projectId(), k.orgId(), k.disabled(), k.keyUsage(),
                    found.algorithm(), found.version(), k.createdAt(), k.updatedAt()), found);
            assertEquals(k.id(), c.getKeyByName(old.projectId(), "old-style").id());
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> c.encrypt(k.id(), new byte[0]));
            assertTrue(empty.getMessage().contains("empty"));
            KmsApiException tooBig = assertThrows(KmsApiException.class, () -> c.decrypt(k.id(), new byte[4097]));
            assertEquals(401, tooBig.status());
            assertTrue(tooBig.isValidationFailure() && !tooBig.isAuthenticationFailure());
            KmsApiException noRsa = assertThrows(KmsApiException.class, () -> c.createKey(CreateKeyRequest.builder(
                    old.projectId(), "rsa").keyUsage(KeyUsage.SIGN_VERIFY).algorithm("RSA_4096").build()));
            assertTrue(noRsa.status() == 401 && noRsa.isValidationFailure() && !noRsa.isAuthenticationFailure(),
                    "the 2024 server has no sign-verify keys: " + noRsa.getMessage());
            KmsApiException noSign = assertThrows(KmsApiException.class,
                    () -> c.sign(k.id(), SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256, MESSAGE, false));
            assertTrue(noSign.isRouteNotFound(), "no sign route on the 2024 server: " + noSign.getMessage());
        }
    }
}
