package io.github.infisicaljca.emulator;

import static io.github.infisicaljca.emulator.ApiClient.b64;
import static io.github.infisicaljca.emulator.ApiClient.obj;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every key operation over real sockets, checked with the JDK's own crypto as the independent verifier. */
class CryptoProtocolTest {
    private static final byte[] MESSAGE = "the quick brown fox".getBytes(StandardCharsets.UTF_8);
    private static KmsEmulator kms;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        kms = KmsEmulator.builder().start();
        api = new ApiClient(kms).login(kms);
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    private static ApiClient.Answer encrypt(String keyId, byte[] plaintext) throws Exception {
        return api.op(keyId, "encrypt", obj().put("plaintext", b64(plaintext)));
    }

    private static ApiClient.Answer decrypt(String keyId, byte[] ciphertext) throws Exception {
        return api.op(keyId, "decrypt", obj().put("ciphertext", b64(ciphertext)));
    }

    @Test
    void encryptDecryptUsesInfisicalsLayout() throws Exception {
        String key = kms.encryptionKeyId();
        ApiClient.Answer first = encrypt(key, MESSAGE);
        assertEquals(200, first.status(), first.body().toString());
        byte[] ct = first.bytes("ciphertext");
        assertEquals(MESSAGE.length + 31, ct.length, "IV(12) || ct || tag(16) || v01");
        assertEquals("v01", new String(Arrays.copyOfRange(ct, ct.length - 3, ct.length), StandardCharsets.US_ASCII));
        assertFalse(Arrays.equals(ct, encrypt(key, MESSAGE).bytes("ciphertext")), "a fresh IV each time");
        assertArrayEquals(MESSAGE, decrypt(key, ct).bytes("plaintext"));
    }

    @Test
    void aes128KeysWorkToo() throws Exception {
        ApiClient.Answer created = api.post("/api/v1/kms/keys", obj().put("projectId", kms.projectId())
                .put("name", "aes128-roundtrip").put("encryptionAlgorithm", "aes-128-gcm"));
        assertEquals(200, created.status(), created.body().toString());
        String id = created.body().path("key").path("id").asText();
        assertArrayEquals(MESSAGE, decrypt(id, encrypt(id, MESSAGE).bytes("ciphertext")).bytes("plaintext"));
    }

    @Test
    void tamperedCiphertextIsAServerErrorLikeThe2024Server() throws Exception {
        byte[] ct = encrypt(kms.encryptionKeyId(), MESSAGE).bytes("ciphertext");
        ct[14] ^= 1;
        ApiClient.Answer a = decrypt(kms.encryptionKeyId(), ct);
        assertEquals(500, a.status());
        assertEquals("InternalServerError", a.text("error"));
        assertEquals("Something went wrong", a.text("message"));
    }

    @Test
    void legacyLimitsCapEveryFieldAt4096DecodedBytes() throws Exception {
        String key = kms.encryptionKeyId();
        byte[] largest = new byte[4065];
        byte[] ct = encrypt(key, largest).bytes("ciphertext");
        assertEquals(4096, ct.length);
        assertArrayEquals(largest, decrypt(key, ct).bytes("plaintext"));

        ApiClient.Answer tooLongToDecrypt = encrypt(key, new byte[4066]);
        assertEquals(200, tooLongToDecrypt.status(), "encrypting 4066 bytes works...");
        ApiClient.Answer refused = decrypt(key, tooLongToDecrypt.bytes("ciphertext"));
        assertEquals(422, refused.status(), "...but its 4097-byte ciphertext cannot be decrypted");
        assertEquals("data cannot exceed 4096 bytes", refused.body().path("message").path(0).path("message").asText());

        assertEquals(422, encrypt(key, new byte[4097]).status());
    }

    @Test
    void modernLimitsAllowOneMebibyte() throws Exception {
        try (KmsEmulator big = KmsEmulator.builder().seedKeys(false).payloadLimits(PayloadLimits.MODERN_1_MIB).start()) {
            ApiClient c = new ApiClient(big).login(big);
            ApiClient.Answer created = c.post("/api/v1/kms/keys", obj().put("projectId", big.projectId()).put("name", "big"));
            String id = created.body().path("key").path("id").asText();
            byte[] data = new byte[1 << 20];
            new Random(7).nextBytes(data);
            byte[] ct = c.op(id, "encrypt", obj().put("plaintext", b64(data))).bytes("ciphertext");
            assertArrayEquals(data, c.op(id, "decrypt", obj().put("ciphertext", b64(ct))).bytes("plaintext"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not base64!", "QUJD"})
    void plaintextMustBeNonEmptyBase64(String value) throws Exception {
        ApiClient.Answer a = api.op(kms.encryptionKeyId(), "encrypt", obj().put("plaintext", value));
        if (value.equals("QUJD")) {
            assertEquals(200, a.status(), "valid base64 is accepted");
            return;
        }
        assertEquals(422, a.status());
        assertEquals("ValidationFailure", a.text("error"));
        assertEquals("plaintext must be base64 encoded", a.body().path("message").path(0).path("message").asText());
        assertEquals("plaintext", a.body().path("message").path(0).path("path").path(0).asText());
        assertTrue(a.text("reqId").startsWith("req-"));
    }

    private static PublicKey publicKey(String keyId, String algorithm) throws Exception {
        ApiClient.Answer a = api.get("/api/v1/kms/keys/" + keyId + "/public-key");
        assertEquals(200, a.status(), a.body().toString());
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(a.bytes("publicKey")));
    }

    private static Signature jdkVerifier(String algorithm, PublicKey pub) throws Exception {
        String hash = "SHA-" + algorithm.substring(algorithm.length() - 3);
        Signature s;
        if (algorithm.startsWith("RSASSA_PSS")) {
            s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash),
                    Integer.parseInt(algorithm.substring(algorithm.length() - 3)) / 8, 1));
        } else {
            s = Signature.getInstance(hash.replace("-", "") + (algorithm.startsWith("ECDSA") ? "withECDSA" : "withRSA"));
        }
        s.initVerify(pub);
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256",
        "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512", "ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512"})
    void signaturesVerifyWithTheJdkAndWithTheServer(String algorithm) throws Exception {
        boolean ec = algorithm.startsWith("ECDSA");
        String keyId = ec ? kms.keyId(KmsEmulator.EC_SIGNING_KEY) : kms.signingKeyId();
        ApiClient.Answer signed = api.op(keyId, "sign", obj().put("signingAlgorithm", algorithm).put("isDigest", false)
                .put("data", b64(MESSAGE)));
        assertEquals(200, signed.status(), signed.body().toString());
        assertEquals(keyId, signed.text("keyId"));
        assertEquals(algorithm, signed.text("signingAlgorithm"));
        byte[] sig = signed.bytes("signature");
        if (ec) {
            assertEquals(0x30, sig[0] & 0xff, "ECDSA signatures are ASN.1 DER");
        }
        Signature jdk = jdkVerifier(algorithm, publicKey(keyId, ec ? "EC" : "RSA"));
        jdk.update(MESSAGE);
        assertTrue(jdk.verify(sig), "the JDK accepts the emulator's " + algorithm + " signature");

        ApiClient.Answer verified = api.op(keyId, "verify", obj().put("signingAlgorithm", algorithm)
                .put("data", b64(MESSAGE)).put("signature", b64(sig)));
        assertTrue(verified.body().path("signatureValid").asBoolean(), verified.body().toString());
        byte[] other = "another message".getBytes(StandardCharsets.UTF_8);
        ApiClient.Answer wrong = api.op(keyId, "verify", obj().put("signingAlgorithm", algorithm)
                .put("data", b64(other)).put("signature", b64(sig)));
        assertEquals(200, wrong.status());
        assertFalse(wrong.body().path("signatureValid").asBoolean());
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_512", "ECDSA_SHA_256", "ECDSA_SHA_384"})
    void digestsAreSignedAsTheirMessages(String algorithm) throws Exception {
        boolean ec = algorithm.startsWith("ECDSA");
        String keyId = ec ? kms.keyId(KmsEmulator.EC_SIGNING_KEY) : kms.signingKeyId();
        String hash = "SHA-" + algorithm.substring(algorithm.length() - 3);
        byte[] digest = MessageDigest.getInstance(hash).digest(MESSAGE);
        ApiClient.Answer signed = api.op(keyId, "sign", obj().put("signingAlgorithm", algorithm).put("isDigest", true)
                .put("data", b64(digest)));
        assertEquals(200, signed.status(), signed.body().toString());
        Signature jdk = jdkVerifier(algorithm, publicKey(keyId, ec ? "EC" : "RSA"));
        jdk.update(MESSAGE);
        assertTrue(jdk.verify(signed.bytes("signature")), "a digest signature verifies over the message");
        if (!ec) {
            byte[] raw = api.op(keyId, "sign", obj().put("signingAlgorithm", algorithm).put("data", b64(MESSAGE)))
                    .bytes("signature");
            assertArrayEquals(raw, signed.bytes("signature"), "PKCS#1 v1.5 is deterministic");
        }
    }

    @Test
    void pssRefusesDigestsAndKeysRefuseForeignAlgorithms() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(MESSAGE);
        ApiClient.Answer pss = api.op(kms.signingKeyId(), "sign", obj().put("signingAlgorithm", "RSASSA_PSS_SHA_256")
                .put("isDigest", true).put("data", b64(digest)));
        assertEquals(400, pss.status());
        assertEquals("RSA PSS does not support digested input", pss.text("message"));

        ApiClient.Answer wrong = api.op(kms.signingKeyId(), "sign", obj().put("signingAlgorithm", "ECDSA_SHA_256")
                .put("data", b64(MESSAGE)));
        assertEquals(400, wrong.status());
        assertEquals("KMS RSA_4096 key cannot be used with ECDSA_SHA_256", wrong.text("message"));

        ApiClient.Answer aes = api.op(kms.encryptionKeyId(), "sign", obj().put("signingAlgorithm", "ECDSA_SHA_256")
                .put("data", b64(MESSAGE)));
        assertEquals(400, aes.status());
        assertEquals("Key usage must be sign-verify for this operation; key " + KmsEmulator.ENCRYPTION_KEY
                + " is an encrypt-decrypt key", aes.text("message"));
        ApiClient.Answer rsaEncrypt = encrypt(kms.signingKeyId(), MESSAGE);
        assertEquals(400, rsaEncrypt.status());
        assertEquals("Key usage must be encrypt-decrypt for this operation; key " + KmsEmulator.SIGNING_KEY
                + " is a sign-verify key", rsaEncrypt.text("message"));
    }

    @Test
    void signingAlgorithmsFollowTheKeyType() throws Exception {
        List<String> rsa = names(api.get("/api/v1/kms/keys/" + kms.signingKeyId() + "/signing-algorithms"));
        assertEquals(6, rsa.size(), rsa.toString());
        assertTrue(rsa.stream().allMatch(a -> a.startsWith("RSASSA_")));
        List<String> ec = names(api.get("/api/v1/kms/keys/" + kms.keyId(KmsEmulator.EC_SIGNING_KEY) + "/signing-algorithms"));
        assertEquals(List.of("ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512"), ec);
    }

    private static List<String> names(ApiClient.Answer a) {
        List<String> out = new java.util.ArrayList<>();
        a.body().path("signingAlgorithms").forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void importedHmacKeyMatchesTheJdksHmac() throws Exception {
        byte[] keyBytes = "an imported hmac key, 32 bytes!!".getBytes(StandardCharsets.US_ASCII);
        String id = kms.importKey("imported-hmac", "HMAC_SHA_256", keyBytes);
        Mac jdk = Mac.getInstance("HmacSHA256");
        jdk.init(new SecretKeySpec(keyBytes, "HmacSHA256"));
        byte[] expected = jdk.doFinal(MESSAGE);
        ApiClient.Answer mac = api.op(id, "generate-mac", obj().put("data", b64(MESSAGE)));
        assertEquals(200, mac.status(), mac.body().toString());
        assertArrayEquals(expected, mac.bytes("mac"));
        assertEquals("HMAC_SHA_256", mac.text("macAlgorithm"));
        assertTrue(api.op(id, "verify-mac", obj().put("data", b64(MESSAGE)).put("mac", b64(expected)))
                .body().path("macValid").asBoolean());
        expected[0] ^= 1;
        assertFalse(api.op(id, "verify-mac", obj().put("data", b64(MESSAGE)).put("mac", b64(expected)))
                .body().path("macValid").asBoolean());
    }

    @Test
    void importedSigningKeysSignLikeTheJdk() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair ec = g.generateKeyPair();
        String id = kms.importKey("imported-p384", "ECC_NIST_P384", ec);
        byte[] sig = api.op(id, "sign", obj().put("signingAlgorithm", "ECDSA_SHA_384").put("data", b64(MESSAGE)))
                .bytes("signature");
        Signature v = Signature.getInstance("SHA384withECDSA");
        v.initVerify(ec.getPublic());
        v.update(MESSAGE);
        assertTrue(v.verify(sig));
        assertArrayEquals(ec.getPublic().getEncoded(),
                api.get("/api/v1/kms/keys/" + id + "/public-key").bytes("publicKey"));
    }

    @Test
    void disabledAndUnknownKeysAreRefused() throws Exception {
        ApiClient.Answer created = api.post("/api/v1/kms/keys", obj().put("projectId", kms.projectId()).put("name", "to-disable"));
        String id = created.body().path("key").path("id").asText();
        ApiClient.Answer disabled = api.send("PATCH", "/api/v1/kms/keys/" + id, obj().put("isDisabled", true));
        assertTrue(disabled.body().path("key").path("isDisabled").asBoolean());
        ApiClient.Answer refused = encrypt(id, MESSAGE);
        assertEquals(400, refused.status());
        assertEquals("BadRequest", refused.text("error"));
        assertEquals("Key is disabled", refused.text("message"));

        ApiClient.Answer unknown = encrypt("00000000-0000-0000-0000-000000000000", MESSAGE);
        assertEquals(404, unknown.status());
        assertEquals("NotFound", unknown.text("error"));
        assertEquals("Key not found", unknown.text("message"));

        ApiClient.Answer notUuid = encrypt("not-a-uuid", MESSAGE);
        assertEquals(422, notUuid.status());
        assertNotEquals(null, notUuid.text("reqId"));
    }
}
