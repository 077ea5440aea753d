package io.github.infisicaljca.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalSecretKey;
import io.github.infisicaljca.Secret;
import io.github.infisicaljca.emulator.Fault;
import io.github.infisicaljca.emulator.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Event payload encryption: one KMS call for small payloads, the envelope for large ones. */
class EventEncryptionTest {
    /** Recognisable, so a leak into any message shows. */
    private static final String MARK = "PHI-Jane-Doe-MRN-99887766";
    private static final String SMALL = "{\"patient\":\"" + MARK + "\",\"note\":\"small\"}";
    private static final String UNICODE = "{\"patient\":\"" + MARK + "\",\"name\":\"Łukasz Żółć 王小明 Ελένη Müller\","
            + "\"mood\":\"😀🩺🧬\",\"sep\":\"\u2028\u2029\",\"rtl\":\"שלום مرحبا\"}";

    private static AuditEmulator emu;
    private static InfisicalSecretKey key;
    private static EventEncryption enc;
    private static int directLimit;

    @BeforeAll
    static void start() throws Exception {
        emu = new AuditEmulator();
        key = emu.encryptionKey();
        enc = new EventEncryption(emu.provider, key, emu.provider.config().maxPayloadBytes());
        directLimit = emu.provider.config().maxPayloadBytes() - 31;
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

    private static boolean isEnvelope(String ciphertextBase64) {
        byte[] ct = Base64.getDecoder().decode(ciphertextBase64);
        return ct.length >= 4 && new String(ct, 0, 4, StandardCharsets.ISO_8859_1).equals("INFE");
    }

    private static String large(int bytes) {
        StringBuilder sb = new StringBuilder("{\"patient\":\"" + MARK + "\",\"blob\":\"");
        while (sb.length() < bytes - 2) {
            sb.append((char) ('a' + sb.length() % 26));
        }
        return sb.append("\"}").toString();
    }

    private static byte[] plaintextSent(RecordedRequest r) {
        return Base64.getDecoder().decode(AuditEmulator.body(r).get("plaintext").asText());
    }

    @Test
    void aSmallPayloadGoesToTheKmsInOneCall() throws Exception {
        String ct = enc.encrypt(SMALL);
        List<RecordedRequest> calls = emu.requests("POST", "/encrypt");
        assertEquals(1, calls.size(), calls.toString());
        assertEquals("/api/v1/kms/keys/" + key.keyId() + "/encrypt", calls.get(0).route());
        assertEquals(SMALL, new String(plaintextSent(calls.get(0)), StandardCharsets.UTF_8));
        assertFalse(isEnvelope(ct), "INFISICAL-AES, not the envelope");
        assertEquals(SMALL.length() + 31, Base64.getDecoder().decode(ct).length, "IV, ciphertext, tag, v01 trailer");

        emu.kms.clearRequests();
        assertEquals(SMALL, enc.decrypt(ct));
        assertEquals(1, emu.requests("POST", "/decrypt").size());
        assertNotEquals(ct, enc.encrypt(SMALL), "a fresh IV each time");
    }

    @Test
    void aLargePayloadGoesInAnEnvelopeAndNeverReachesTheKms() throws Exception {
        String payload = large(100 * 1024);
        assertEquals(100 * 1024, payload.length());
        String ct = enc.encrypt(payload);
        assertTrue(isEnvelope(ct), "INFISICAL-ENVELOPE for 100 KB");
        for (RecordedRequest r : emu.kms.requests()) {
            assertFalse(r.body().contains(MARK), "the payload went to the KMS: " + r);
            if (r.route().endsWith("/encrypt")) {
                assertTrue(plaintextSent(r).length <= 64, "only a data key is wrapped remotely");
            }
        }
        assertEquals(payload, enc.decrypt(ct));
    }

    @Test
    void theDirectLimitIsMaxPayloadBytesMinus31() throws Exception {
        String atLimit = large(directLimit);
        String pastLimit = large(directLimit + 1);
        assertEquals(directLimit, atLimit.getBytes(StandardCharsets.UTF_8).length);
        String a = enc.encrypt(atLimit);
        String b = enc.encrypt(pastLimit);
        assertFalse(isEnvelope(a), directLimit + " bytes fit one KMS call");
        assertTrue(isEnvelope(b), (directLimit + 1) + " bytes do not");
        assertEquals(atLimit, enc.decrypt(a));
        assertEquals(pastLimit, enc.decrypt(b));
        // The limit counts UTF-8 bytes, not chars: 2,033 two-byte characters are 4,066 bytes.
        String wide = "é".repeat(directLimit / 2 + 1);
        String w = enc.encrypt(wide);
        assertTrue(isEnvelope(w));
        assertEquals(wide, enc.decrypt(w));
    }

    @Test
    void anEmptyPayloadRoundTrips() throws Exception {
        String ct = enc.encrypt("");
        assertTrue(isEnvelope(ct), "the KMS refuses an empty plaintext, so the envelope takes it");
        assertEquals("", enc.decrypt(ct));
    }

    @Test
    void nonLatin1AndEmojiRoundTripBothWays() throws Exception {
        String small = enc.encrypt(UNICODE);
        assertFalse(isEnvelope(small));
        List<RecordedRequest> calls = emu.requests("POST", "/encrypt");
        assertEquals(UNICODE, new String(plaintextSent(calls.get(0)), StandardCharsets.UTF_8), "sent as UTF-8");
        assertEquals(UNICODE, enc.decrypt(small));

        String big = UNICODE.repeat(2000);
        String env = enc.encrypt(big);
        assertTrue(isEnvelope(env));
        assertEquals(big, enc.decrypt(env));
    }

    @Test
    void aTamperedDirectCiphertextFailsWithoutTheKmsLookingUnavailable() throws Exception {
        byte[] ct = Base64.getDecoder().decode(enc.encrypt(SMALL));
        for (int i : new int[] {0, 12, ct.length / 2, ct.length - 4}) {
            byte[] bad = ct.clone();
            bad[i] ^= 0x01;
            AuditCryptoException e = assertThrows(AuditCryptoException.class,
                    () -> enc.decrypt(Base64.getEncoder().encodeToString(bad)), "byte " + i);
            assertNoPayload(e, SMALL);
            assertFalse(e.kmsUnavailable(), "a tampered ciphertext is not an outage: " + e.getMessage());
        }
    }

    @Test
    void aTamperedEnvelopeFails() throws Exception {
        String payload = large(20_000);
        byte[] ct = Base64.getDecoder().decode(enc.encrypt(payload));
        for (int i : new int[] {5, 40, ct.length / 2, ct.length - 1}) {
            byte[] bad = ct.clone();
            bad[i] ^= 0x01;
            AuditCryptoException e = assertThrows(AuditCryptoException.class,
                    () -> enc.decrypt(Base64.getEncoder().encodeToString(bad)), "byte " + i);
            assertNoPayload(e, payload);
            assertFalse(e.kmsUnavailable(), e.getMessage());
        }
        byte[] truncated = java.util.Arrays.copyOf(ct, ct.length - 1);
        assertThrows(AuditCryptoException.class, () -> enc.decrypt(Base64.getEncoder().encodeToString(truncated)));
    }

    @Test
    void notACiphertextFails() {
        for (String bad : new String[] {"not base64!", "", "SU5GRQ==", Base64.getEncoder().encodeToString(new byte[40])}) {
            AuditCryptoException e = assertThrows(AuditCryptoException.class, () -> enc.decrypt(bad), bad);
            assertFalse(e.kmsUnavailable(), bad + ": " + e.getMessage());
        }
    }

    @Test
    void kmsFailuresWhileEncryptingNeverQuoteThePayload() {
        emu.kms.inject("POST", "/encrypt$", Fault.status(503), 1);
        AuditCryptoException down = assertThrows(AuditCryptoException.class, () -> enc.encrypt(SMALL));
        assertTrue(down.kmsUnavailable(), down.getMessage());
        assertNoPayload(down, SMALL);

        emu.kms.inject("POST", "/encrypt$", Fault.status(400), 1);
        AuditCryptoException refused = assertThrows(AuditCryptoException.class, () -> enc.encrypt(SMALL));
        assertFalse(refused.kmsUnavailable(), refused.getMessage());
        assertNoPayload(refused, SMALL);

        emu.kms.inject("POST", "/encrypt$", Fault.dropConnection(), 1);
        AuditCryptoException dropped = assertThrows(AuditCryptoException.class, () -> enc.encrypt(SMALL));
        assertTrue(dropped.kmsUnavailable(), dropped.getMessage());
        assertNoPayload(dropped, SMALL);
    }

    @Test
    void kmsFailuresWhileDecryptingNeverQuoteThePayload() throws Exception {
        String ct = enc.encrypt(SMALL);
        emu.kms.inject("POST", "/decrypt$", Fault.status(503), 1);
        AuditCryptoException down = assertThrows(AuditCryptoException.class, () -> enc.decrypt(ct));
        assertTrue(down.kmsUnavailable(), down.getMessage());
        assertNoPayload(down, SMALL);
        assertEquals(SMALL, enc.decrypt(ct), "the fault was one-off");
    }

    /** A 500 other than the servers' answer to a bad ciphertext is an outage, not tampering. */
    @Test
    void aDecryptsServerFailureIsAnOutageNotTampering() throws Exception {
        String ct = enc.encrypt(SMALL);
        emu.kms.inject("POST", "/decrypt$", Fault.status(500,
                "{\"statusCode\":500,\"message\":\"Something went wrong\",\"error\":\"DatabaseError\"}"), -1);
        AuditCryptoException down = assertThrows(AuditCryptoException.class, () -> enc.decrypt(ct));
        assertTrue(down.kmsUnavailable(), down.getMessage());
        assertNoPayload(down, SMALL);
    }

    @Test
    void auditCryptoHandsOutItsEncryption() {
        AuditCrypto with = AuditCrypto.builder().hmac(HmacEventSigner.of(Secret.of("s")))
                .policy(FallbackPolicy.HMAC_WHEN_KMS_DISABLED).encryption(enc).build();
        assertTrue(with.encryption() == enc);
        AuditCrypto without = AuditCrypto.builder().hmac(HmacEventSigner.of(Secret.of("s")))
                .policy(FallbackPolicy.HMAC_WHEN_KMS_DISABLED).build();
        assertThrows(IllegalStateException.class, without::encryption);
    }

    /** Neither the message nor any cause's message, nor toString, holds the payload or its mark. */
    private static void assertNoPayload(Throwable e, String payload) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = t.toString() + " " + t.getMessage();
            assertFalse(text.contains(MARK), "leak in " + t.getClass().getName() + ": " + text);
            assertFalse(text.contains(payload), "leak in " + t.getClass().getName());
            assertFalse(text.contains(Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8))),
                    "base64 payload in " + t.getClass().getName());
        }
    }
}
