package io.github.infisicaljca.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.emulator.RecordedRequest;
import io.github.infisicaljca.kms.SigningAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** KMS event signatures against the emulator over real sockets, checked by the JDK on its own. */
class KmsSigningTest {
    private static final String EVENT = "{\"timestamp\":\"2024-02-02T23:58:28.734Z\",\"action\":\"cerbosAuthCheck\","
            + "\"status\":\"success\",\"principalId\":\"user-1\",\"organizationId\":\"org-Zürich-😀\","
            + "\"sessionContext\":{\"sessionId\":\"s2\",\"ipAddress\":\"10.0.0.9\"}}";

    private static AuditEmulator emu;
    private static InfisicalPrivateKey rsa;
    private static InfisicalPrivateKey ec;

    @BeforeAll
    static void start() throws Exception {
        emu = new AuditEmulator();
        rsa = emu.rsaKey();
        ec = emu.ecKey();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @BeforeEach
    void clear() {
        emu.kms.clearFaults();
        emu.kms.clearRequests();
    }

    enum Case {
        PSS(SigningAlgorithm.RSASSA_PSS_SHA_256, true),
        PKCS1(SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256, true),
        ECDSA(SigningAlgorithm.ECDSA_SHA_256, false);

        final SigningAlgorithm alg;
        final boolean rsaKey;

        Case(SigningAlgorithm alg, boolean rsaKey) {
            this.alg = alg;
            this.rsaKey = rsaKey;
        }

        InfisicalPrivateKey key() {
            return rsaKey ? rsa : ec;
        }

        KmsEventSigner signer() {
            return KmsEventSigner.of(emu.provider, key(), alg);
        }
    }

    /** The JDK's own verifier for the algorithm, with Infisical's PSS parameters. */
    static boolean jdkVerify(SigningAlgorithm alg, PublicKey pub, byte[] data, byte[] sig) throws Exception {
        Signature s;
        switch (alg) {
            case RSASSA_PSS_SHA_256 -> {
                s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            }
            case RSASSA_PKCS1_V1_5_SHA_256 -> s = Signature.getInstance("SHA256withRSA");
            case ECDSA_SHA_256 -> s = Signature.getInstance("SHA256withECDSA");
            default -> throw new AssertionError(alg);
        }
        s.initVerify(pub);
        s.update(data);
        return s.verify(sig);
    }

    /** The key's public half as a plain JDK key, decoded here from its SubjectPublicKeyInfo. */
    static PublicKey jdkPublicKey(InfisicalPrivateKey key) throws Exception {
        byte[] spki = key.publicKey().getEncoded();
        return KeyFactory.getInstance(key == rsa ? "RSA" : "EC").generatePublic(new X509EncodedKeySpec(spki));
    }

    static AuditCrypto kmsCrypto(KmsEventSigner signer) {
        return AuditCrypto.builder().kms(signer).build();
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void signsTheUtf8OfTheHexHashRawAndTheJdkVerifiesIt(Case c) throws Exception {
        String hash = EventHasher.generateHash(AuditEvent.parse(EVENT));
        KmsEventSigner signer = c.signer();
        assertEquals(c.alg.wireName(), signer.algorithm());
        assertEquals(c.key().keyId(), signer.keyId());

        EventSignature s = signer.sign(hash);
        assertEquals(c.alg.wireName(), s.algorithm());
        assertFalse(s.isHmac());
        byte[] sig = Base64.getDecoder().decode(s.signature());
        assertEquals(s.signature(), Base64.getEncoder().encodeToString(sig), "standard base64 with padding");

        List<RecordedRequest> signs = emu.requests("POST", "/sign");
        assertEquals(1, signs.size(), signs.toString());
        assertEquals("/api/v1/kms/keys/" + c.key().keyId() + "/sign", signs.get(0).route());
        JsonNode body = AuditEmulator.body(signs.get(0));
        assertEquals(c.alg.wireName(), body.get("signingAlgorithm").asText());
        assertTrue(body.get("isDigest").isBoolean(), body.toString());
        assertFalse(body.get("isDigest").asBoolean());
        byte[] hexUtf8 = hash.getBytes(StandardCharsets.UTF_8);
        assertEquals(64, hexUtf8.length);
        assertEquals(Base64.getEncoder().encodeToString(hexUtf8), body.get("data").asText());

        PublicKey pub = jdkPublicKey(c.key());
        assertTrue(jdkVerify(c.alg, pub, hexUtf8, sig), "the JDK verifies the signature over the hex");
        byte[] other = hexUtf8.clone();
        other[63] ^= 1;
        assertFalse(jdkVerify(c.alg, pub, other, sig), "but not over another hash");
        assertTrue(signer.verify(hash, s.signature(), s.algorithm()));
    }

    @Test
    void pssIsRandomizedAndPkcs1IsDeterministic() throws Exception {
        String hash = EventHasher.generateHash(AuditEvent.parse(EVENT));
        assertNotEquals(Case.PSS.signer().sign(hash).signature(), Case.PSS.signer().sign(hash).signature());
        assertEquals(Case.PKCS1.signer().sign(hash).signature(), Case.PKCS1.signer().sign(hash).signature());
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void aKmsSealedEventVerifiesLocallyWithoutAnyRequest(Case c) throws Exception {
        AuditCrypto crypto = kmsCrypto(c.signer());
        assertEquals(Set.of(c.alg.wireName()), crypto.acceptedAlgorithms());
        AuditEvent sealed = crypto.seal(AuditEvent.parse(EVENT));
        assertEquals(c.alg.wireName(), sealed.text("algorithm"));
        assertEquals(EventHasher.generateHash(sealed), sealed.text("hash"));
        assertEquals("SHA-256", sealed.text("hashAlgorithm"));

        emu.kms.clearRequests();
        Verification v = crypto.verify(sealed);
        assertTrue(v.valid(), v.reason());
        // A fresh verifier from the same key handle, also local.
        assertTrue(kmsCrypto(c.signer()).verify(AuditEvent.parse(sealed.toJson())).valid());
        assertEquals(List.of(), emu.kms.requests(), "verification must be local, against the cached public key");
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void aTamperedFieldIsCaughtByTheHash(Case c) throws Exception {
        AuditCrypto crypto = kmsCrypto(c.signer());
        AuditEvent sealed = crypto.seal(AuditEvent.parse(EVENT));
        for (String[] change : new String[][] {{"principalId", "user-2"}, {"action", "cerbosAuthCheck "},
            {"organizationId", "org-Zurich-😀"}, {"targetResourceId", "x"}}) {
            Verification v = crypto.verify(sealed.with(change[0], change[1]));
            assertFalse(v.valid(), change[0]);
            assertTrue(v.reason().contains("hash does not match"), v.reason());
        }
        // An attacker who also recomputes the hash still lacks the key: the signature fails.
        AuditEvent forged = sealed.with("principalId", "user-2");
        forged = forged.with("hash", EventHasher.generateHash(forged));
        Verification v = crypto.verify(forged);
        assertFalse(v.valid());
        assertTrue(v.reason().contains("does not verify"), v.reason());
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void aTamperedSignatureIsInvalidNotAnException(Case c) throws Exception {
        AuditCrypto crypto = kmsCrypto(c.signer());
        AuditEvent sealed = crypto.seal(AuditEvent.parse(EVENT));
        byte[] sig = Base64.getDecoder().decode(sealed.text("signature"));
        for (int i : new int[] {0, sig.length / 2, sig.length - 1}) {
            byte[] bad = sig.clone();
            bad[i] ^= 0x01;
            assertFalse(crypto.verify(sealed.with("signature", Base64.getEncoder().encodeToString(bad))).valid(),
                    "byte " + i + " flipped");
        }
        byte[] shorter = java.util.Arrays.copyOf(sig, sig.length - 1);
        for (String bad : new String[] {"", "not base64!", "AAAA", Base64.getEncoder().encodeToString(shorter),
            Base64.getEncoder().encodeToString(new byte[sig.length]), sealed.text("signature") + "AAAA"}) {
            Verification v = crypto.verify(sealed.with("signature", bad));
            assertFalse(v.valid(), "signature " + bad);
        }
        assertEquals(List.of(), emu.requests("POST", "/verify"));
    }

    @ParameterizedTest
    @CsvSource({
        // signed with, on key, but claimed as
        "RSASSA_PSS_SHA_256, rsa, ECDSA_SHA_256",
        "RSASSA_PSS_SHA_256, rsa, RSASSA_PKCS1_V1_5_SHA_256",
        "RSASSA_PSS_SHA_256, rsa, RSASSA_PSS_SHA_512",
        "RSASSA_PKCS1_V1_5_SHA_256, rsa, RSASSA_PSS_SHA_256",
        "RSASSA_PKCS1_V1_5_SHA_256, rsa, ECDSA_SHA_256",
        "ECDSA_SHA_256, ec, RSASSA_PSS_SHA_256",
        "ECDSA_SHA_256, ec, RSASSA_PKCS1_V1_5_SHA_256",
        "ECDSA_SHA_256, ec, ECDSA_SHA_384",
        "ECDSA_SHA_256, ec, NOT_AN_ALGORITHM",
    })
    void aSignatureUnderAnotherAlgorithmNameIsInvalidNotAnException(String signedWith, String keyName, String claimed)
            throws Exception {
        InfisicalPrivateKey key = keyName.equals("rsa") ? rsa : ec;
        KmsEventSigner signer = KmsEventSigner.of(emu.provider, key,
                SigningAlgorithm.fromWire(signedWith).orElseThrow());
        AuditEvent sealed = kmsCrypto(signer).seal(AuditEvent.parse(EVENT));
        AuditCrypto lenient = AuditCrypto.builder().kms(signer).acceptedAlgorithms(Set.of(signedWith, claimed)).build();
        assertTrue(lenient.verify(sealed).valid());
        Verification v = lenient.verify(sealed.with("algorithm", claimed));
        assertFalse(v.valid(), claimed + " accepted for a " + signedWith + " signature");
        assertFalse(signer.verify(sealed.text("hash"), sealed.text("signature"), claimed));
        // Without the claimed name in the accepted set, it is refused before any cryptography.
        Verification strict = kmsCrypto(signer).verify(sealed.with("algorithm", claimed));
        assertFalse(strict.valid());
        assertTrue(strict.reason().contains("not accepted"), strict.reason());
    }

    @Test
    void aSignatureByTheOtherKeyIsInvalid() throws Exception {
        KmsEventSigner first = KmsEventSigner.of(emu.provider, ec, SigningAlgorithm.ECDSA_SHA_256);
        AuditEvent sealed = kmsCrypto(first).seal(AuditEvent.parse(EVENT));
        emu.kms.clearRequests();
        AuditCrypto rsaVerifier = AuditCrypto.builder()
                .kms(KmsEventSigner.of(emu.provider, rsa, SigningAlgorithm.RSASSA_PSS_SHA_256))
                .acceptedAlgorithms(Set.of("ECDSA_SHA_256", "RSASSA_PSS_SHA_256")).build();
        assertFalse(rsaVerifier.verify(sealed).valid());
        assertEquals(List.of(), emu.kms.requests());
    }

    @Test
    void theSignerShowsNoSecret() {
        String shown = Case.PSS.signer().toString() + kmsCrypto(Case.PSS.signer());
        assertTrue(shown.contains(rsa.keyId()), shown);
        assertFalse(shown.contains(emu.kms.clientSecret()), shown);
    }
}
