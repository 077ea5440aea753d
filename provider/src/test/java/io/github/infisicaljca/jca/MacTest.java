package io.github.infisicaljca.jca;

import static io.github.infisicaljca.jca.SecretKeyTestSupport.SECRET_TEXT;
import static io.github.infisicaljca.jca.SecretKeyTestSupport.assertClean;
import static io.github.infisicaljca.jca.SecretKeyTestSupport.bytes;
import static io.github.infisicaljca.jca.SecretKeyTestSupport.disable;
import static io.github.infisicaljca.jca.SecretKeyTestSupport.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.InfisicalSecretKey;
import io.github.infisicaljca.emulator.Fault;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RecordedRequest;
import io.github.infisicaljca.kms.KmsApiException;
import java.nio.ByteBuffer;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyStore;
import java.security.ProviderException;
import java.security.Security;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mac INFISICAL-HMAC: the key's own HMAC computed by the server, checked against the JDK's. */
class MacTest {
    private static final int LIMIT = 4096;
    private static final String ROUTE_NOT_FOUND = "{\"message\":\"Route POST:/api/v1/kms/keys/%s/generate-mac not found\","
            + "\"error\":\"Not Found\",\"statusCode\":404}";

    private static EmulatorFixture f;
    private static InfisicalProvider provider;
    private static KeyStore ks;
    /** Imported keys by Infisical algorithm: their raw bytes and their handles. */
    private static final Map<String, byte[]> RAW = new HashMap<>();
    private static final Map<String, Key> HANDLE = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture();
        provider = f.provider();
        ks = f.keyStore(provider);
        int[] sizes = {20, 28, 32, 48, 64};
        String[] algs = {"HMAC_SHA_1", "HMAC_SHA_224", "HMAC_SHA_256", "HMAC_SHA_384", "HMAC_SHA_512"};
        for (int i = 0; i < algs.length; i++) {
            byte[] raw = bytes(sizes[i]);
            String id = f.kms.importKey("mac-" + i, algs[i], raw);
            RAW.put(algs[i], raw);
            HANDLE.put(algs[i], ks.getKey(id, null));
        }
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @BeforeEach
    void clear() {
        f.kms.clearRequests();
    }

    @AfterEach
    void clearFaults() {
        f.kms.clearFaults();
    }

    @ParameterizedTest
    @CsvSource({"HMAC_SHA_1, HmacSHA1, 20", "HMAC_SHA_224, HmacSHA224, 28", "HMAC_SHA_256, HmacSHA256, 32",
        "HMAC_SHA_384, HmacSHA384, 48", "HMAC_SHA_512, HmacSHA512, 64"})
    void equalsTheJdksHmacOverTheSameKeyBytes(String kmsAlg, String jdkAlg, int length) throws Exception {
        Key handle = HANDLE.get(kmsAlg);
        assertEquals(jdkAlg, handle.getAlgorithm());
        Mac jdk = Mac.getInstance(jdkAlg);
        jdk.init(new SecretKeySpec(RAW.get(kmsAlg), jdkAlg));
        Mac ours = Mac.getInstance("INFISICAL-HMAC", provider);
        ours.init(handle);
        assertEquals(length, ours.getMacLength());
        for (int size : new int[] {1, 100, LIMIT}) {
            byte[] msg = bytes(size);
            f.kms.clearRequests();
            feedInChunks(ours, msg);
            byte[] mac = ours.doFinal();
            assertEquals(length, mac.length);
            assertArrayEquals(jdk.doFinal(msg), mac, kmsAlg + ", " + size + " bytes");
            List<RecordedRequest> sent = f.requests("POST", "/generate-mac");
            assertEquals(1, sent.size(), "one remote call per MAC");
            assertEquals(Base64.getEncoder().encodeToString(msg),
                    json(sent.get(0).body()).get("data").asText());
            assertTrue(sent.get(0).route().contains(((InfisicalSecretKey) handle).keyId()));
        }
        assertArrayEquals(jdk.doFinal(new byte[] {42}), ours.doFinal(new byte[] {42}), "doFinal(input)");
        ours.update(ByteBuffer.wrap(bytes(77)));
        assertArrayEquals(jdk.doFinal(bytes(77)), ours.doFinal(), "update(ByteBuffer)");
        byte[] out = new byte[length + 3];
        ours.update(bytes(5));
        ours.doFinal(out, 3);
        assertArrayEquals(jdk.doFinal(bytes(5)), java.util.Arrays.copyOfRange(out, 3, out.length), "doFinal(out, off)");
    }

    @Test
    void resetDiscardsInputAndDoFinalResets() throws Exception {
        Key handle = HANDLE.get("HMAC_SHA_256");
        Mac jdk = Mac.getInstance("HmacSHA256");
        jdk.init(new SecretKeySpec(RAW.get("HMAC_SHA_256"), "HmacSHA256"));
        Mac ours = Mac.getInstance("INFISICAL-HMAC", provider);
        ours.init(handle);
        ours.update(bytes(300));
        ours.reset();
        byte[] first = ours.doFinal(bytes(10));
        assertArrayEquals(jdk.doFinal(bytes(10)), first, "reset discarded what came before");
        byte[] second = ours.doFinal(bytes(11));
        assertArrayEquals(jdk.doFinal(bytes(11)), second, "doFinal reset the Mac");
        ours.update(bytes(4000));
        ours.init(handle);
        assertArrayEquals(first, ours.doFinal(bytes(10)), "init discarded what came before");
        assertEquals(3, f.requests("POST", "/generate-mac").size());
    }

    @Test
    void inputBeyondTheLimitIsRefusedWithoutACall() throws Exception {
        Mac ours = Mac.getInstance("INFISICAL-HMAC", provider);
        ours.init(HANDLE.get("HMAC_SHA_512"));
        IllegalStateException one = assertThrows(IllegalStateException.class, () -> ours.update(bytes(LIMIT + 1)));
        assertTrue(one.getMessage().contains("infisical.maxPayloadBytes"), one.getMessage());
        ours.update(bytes(LIMIT));
        IllegalStateException more = assertThrows(IllegalStateException.class, () -> ours.update((byte) 1));
        assertTrue(more.getMessage().contains("infisical.maxPayloadBytes"), more.getMessage());
        ours.update(bytes(LIMIT - 1));
        assertThrows(IllegalStateException.class, () -> ours.doFinal(new byte[2]));
        assertEquals(0, f.kms.requests().size(), f.kms.requests().toString());

        Mac jdk = Mac.getInstance("HmacSHA512");
        jdk.init(new SecretKeySpec(RAW.get("HMAC_SHA_512"), "HmacSHA512"));
        assertArrayEquals(jdk.doFinal(bytes(3)), ours.doFinal(bytes(3)), "usable again after a refusal");
    }

    @Test
    void anEmptyMessageIsRefusedWithoutACall() throws Exception {
        Mac ours = Mac.getInstance("INFISICAL-HMAC", provider);
        ours.init(HANDLE.get("HMAC_SHA_256"));
        IllegalStateException e = assertThrows(IllegalStateException.class, ours::doFinal);
        assertTrue(e.getMessage().contains("Infisical refuses empty data"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ours.doFinal(new byte[0]));
        assertEquals(0, f.kms.requests().size());
    }

    @Test
    void wrongKeysAndParametersAreRefused() throws Exception {
        Mac ours = Mac.getInstance("INFISICAL-HMAC", provider);
        Key aes = ks.getKey(KmsEmulator.ENCRYPTION_KEY, null);
        Key signing = ks.getKey(KmsEmulator.SIGNING_KEY, null);
        f.kms.clearRequests();
        String m = assertThrows(InvalidKeyException.class, () -> ours.init(aes)).getMessage();
        assertTrue(m.contains("generate-verify-mac") && m.contains("encrypt-decrypt")
                && m.contains(KmsEmulator.ENCRYPTION_KEY), m);
        m = assertThrows(InvalidKeyException.class, () -> ours.init(signing)).getMessage();
        assertTrue(m.contains("is a sign-verify key") && m.contains("needs a generate-verify-mac key"), m);
        m = assertThrows(InvalidKeyException.class,
                () -> ours.init(new SecretKeySpec(RAW.get("HMAC_SHA_256"), "HmacSHA256"))).getMessage();
        assertTrue(m.contains("Infisical secret-key handle") && m.contains("SecretKeySpec"), m);
        assertThrows(InvalidAlgorithmParameterException.class,
                () -> ours.init(HANDLE.get("HMAC_SHA_256"), new IvParameterSpec(new byte[16])));
        assertEquals(0, f.kms.requests().size());
    }

    @Test
    void firstInLineInfisicalServesOnlyItsHandles() throws Exception {
        assertEquals(1, Security.insertProviderAt(provider, 1), "another test left the provider installed");
        try {
            byte[] raw = RAW.get("HMAC_SHA_256");
            Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(raw, "HmacSHA256"));
            assertNotEquals(InfisicalProvider.NAME, jdk.getProvider().getName());
            Mac ours = Mac.getInstance("INFISICAL-HMAC");
            ours.init(HANDLE.get("HMAC_SHA_256"));
            assertEquals(InfisicalProvider.NAME, ours.getProvider().getName());
            assertArrayEquals(jdk.doFinal(new byte[] {1}), ours.doFinal(new byte[] {1}));
            assertThrows(InvalidKeyException.class,
                    () -> Mac.getInstance("INFISICAL-HMAC").init(new SecretKeySpec(raw, "HmacSHA256")));
        } finally {
            Security.removeProvider(InfisicalProvider.NAME);
        }
    }

    @Test
    void aServerWithoutMacRoutesSaysSo() throws Exception {
        Key handle = HANDLE.get("HMAC_SHA_256");
        String id = ((InfisicalSecretKey) handle).keyId();
        f.kms.inject("POST", "/generate-mac$", Fault.status(404, String.format(ROUTE_NOT_FOUND, id)), -1);
        Mac ours = Mac.getInstance("INFISICAL-HMAC", provider);
        ours.init(handle);
        ProviderException e = assertThrows(ProviderException.class, () -> ours.doFinal(new byte[] {1}));
        assertTrue(e.getMessage().contains("no MAC keys"), e.getMessage());
        KmsApiException api = assertInstanceOf(KmsApiException.class, e.getCause());
        assertEquals(404, api.status());
        assertTrue(api.isRouteNotFound());
        assertEquals(1, f.requests("POST", "/generate-mac").size(), "a missing route is not retried");
    }

    @Test
    void anUnknownKeyIsNotMistakenForAMissingRoute() throws Exception {
        f.kms.inject("POST", "/generate-mac$", Fault.status(404), 1);
        Mac ours = Mac.getInstance("INFISICAL-HMAC", provider);
        ours.init(HANDLE.get("HMAC_SHA_256"));
        ProviderException e = assertThrows(ProviderException.class, () -> ours.doFinal(new byte[] {1}));
        assertTrue(!e.getMessage().contains("no MAC keys") && e.getMessage().contains("404"), e.getMessage());
    }

    @Test
    void aDisabledKeyFailsWithTheServersReason() throws Exception {
        String id = f.kms.importKey("mac-to-disable", "HMAC_SHA_256", bytes(32));
        Key handle = ks.getKey(id, null);
        disable(f, id);
        f.kms.clearRequests();
        Mac ours = Mac.getInstance("INFISICAL-HMAC", provider);
        ours.init(handle);
        ProviderException e = assertThrows(ProviderException.class, () -> ours.doFinal(SECRET_TEXT));
        assertTrue(e.getMessage().contains("Key is disabled") && e.getMessage().contains(id), e.getMessage());
        KmsApiException api = assertInstanceOf(KmsApiException.class, e.getCause());
        assertEquals(400, api.status());
        assertEquals(1, f.kms.requests().size(), "a 400 is not retried");
        assertClean(e, f.kms.clientSecret());
    }

    /** Chunks of 1, 3, 7, 13, 509 and 1021 bytes, at an offset inside a larger array, and single bytes. */
    private static void feedInChunks(Mac mac, byte[] msg) {
        byte[] padded = new byte[msg.length + 10];
        System.arraycopy(msg, 0, padded, 5, msg.length);
        int[] chunks = {1, 3, 7, 13, 509, 1021};
        int off = 0;
        for (int i = 0; off < msg.length; i++) {
            int n = Math.min(chunks[i % chunks.length], msg.length - off);
            if (n == 1) {
                mac.update(padded[5 + off]);
            } else {
                mac.update(padded, 5 + off, n);
            }
            off += n;
        }
    }
}
