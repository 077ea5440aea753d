package io.github.infisicaljca.jca;

import static io.github.infisicaljca.jca.SignatureTest.feedOddly;
import static io.github.infisicaljca.jca.SignatureTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.VerifyMode;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RecordedRequest;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the emulator received: the request bodies of sign and verify, and which calls were (not) made. */
class SignatureWireTest {
    private static final int LIMIT = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmulatorFixture f;
    private static InfisicalProvider provider;
    private static InfisicalPrivateKey rsa;
    private static InfisicalPrivateKey ec;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture();
        provider = f.provider();
        KeyStore ks = f.keyStore(provider);
        rsa = EmulatorFixture.privateKey(ks, KmsEmulator.SIGNING_KEY);
        ec = EmulatorFixture.privateKey(ks, KmsEmulator.EC_SIGNING_KEY);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @BeforeEach
    void clear() {
        f.kms.clearRequests();
    }

    @ParameterizedTest
    @CsvSource({
        "INFISICAL-RSA, RSASSA_PKCS1_V1_5_SHA_256, SHA-256, rsa",
        "SHA256withRSA, RSASSA_PKCS1_V1_5_SHA_256, SHA-256, rsa",
        "SHA384withRSA, RSASSA_PKCS1_V1_5_SHA_384, SHA-384, rsa",
        "SHA512withRSA, RSASSA_PKCS1_V1_5_SHA_512, SHA-512, rsa",
        "RSASSA_PKCS1_V1_5_SHA_384, RSASSA_PKCS1_V1_5_SHA_384, SHA-384, rsa",
        "INFISICAL-ECDSA, ECDSA_SHA_256, SHA-256, ec",
        "SHA256withECDSA, ECDSA_SHA_256, SHA-256, ec",
        "SHA384withECDSA, ECDSA_SHA_384, SHA-384, ec",
        "SHA512withECDSA, ECDSA_SHA_512, SHA-512, ec",
        "ECDSA_SHA_512, ECDSA_SHA_512, SHA-512, ec",
    })
    void upToTheLimitTheMessageGoesRawPastItTheDigest(String name, String wire, String hash, String which)
            throws Exception {
        InfisicalPrivateKey key = which.equals("rsa") ? rsa : ec;
        for (int size : new int[] {1, 100, LIMIT, 0, LIMIT + 1, 1 << 20}) {
            byte[] msg = message(size);
            f.kms.clearRequests();
            Signature s = Signature.getInstance(name, provider);
            s.initSign(key);
            feedOddly(s, msg);
            s.sign();
            JsonNode body = onlySign(key, name + ", " + size + " bytes");
            boolean digest = size == 0 || size > LIMIT;
            byte[] expected = digest ? MessageDigest.getInstance(hash).digest(msg) : msg;
            assertEquals(wire, body.get("signingAlgorithm").asText());
            assertEquals(digest, body.get("isDigest").asBoolean(), name + ", " + size + " bytes");
            assertTrue(body.get("isDigest").isBoolean());
            assertEquals(Base64.getEncoder().encodeToString(expected), body.get("data").asText(), name + ", " + size);
            assertEquals(Set.of("signingAlgorithm", "isDigest", "data"), fields(body));
        }
    }

    @ParameterizedTest
    @CsvSource({"INFISICAL-RSA-PSS, RSASSA_PSS_SHA_256", "SHA256withRSA/PSS, RSASSA_PSS_SHA_256",
        "SHA384withRSA/PSS, RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512, RSASSA_PSS_SHA_512", "RSASSA-PSS, RSASSA_PSS_SHA_512"})
    void pssGoesRawUpToTheLimitAndIsRefusedBeforeAnyCallPastIt(String name, String wire) throws Exception {
        Signature s = Signature.getInstance(name, provider);
        if (name.equals("RSASSA-PSS")) {
            s.setParameter(new PSSParameterSpec("SHA-512", "MGF1", MGF1ParameterSpec.SHA512, 64, 1));
        }
        s.initSign(rsa);
        for (int size : new int[] {1, LIMIT}) {
            f.kms.clearRequests();
            byte[] msg = message(size);
            s.update(msg);
            s.sign();
            JsonNode body = onlySign(rsa, name);
            assertEquals(wire, body.get("signingAlgorithm").asText());
            assertFalse(body.get("isDigest").asBoolean());
            assertEquals(Base64.getEncoder().encodeToString(msg), body.get("data").asText());
        }
        f.kms.clearRequests();
        assertThrows(SignatureException.class, () -> s.update(message(LIMIT + 1)));
        assertThrows(SignatureException.class, s::sign); // empty
        assertEquals(List.of(), f.kms.requests());
    }

    @Test
    void byteBuffersCrossTheSameBoundary() throws Exception {
        for (int size : new int[] {LIMIT, LIMIT + 1}) {
            byte[] msg = message(size);
            java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(size + 3);
            direct.put(new byte[3]).put(msg).flip().position(3);
            java.nio.ByteBuffer heap = java.nio.ByteBuffer.wrap(new byte[size + 8], 5, size).slice().put(msg).flip();
            for (java.nio.ByteBuffer b : List.of(direct, heap)) {
                f.kms.clearRequests();
                Signature s = Signature.getInstance("SHA384withRSA", provider);
                s.initSign(rsa);
                s.update(b);
                assertEquals(0, b.remaining());
                byte[] sig = s.sign();
                JsonNode body = onlySign(rsa, size + " bytes from a " + (b.isDirect() ? "direct" : "heap") + " buffer");
                byte[] expected = size > LIMIT ? MessageDigest.getInstance("SHA-384").digest(msg) : msg;
                assertEquals(Base64.getEncoder().encodeToString(expected), body.get("data").asText());
                Signature v = Signature.getInstance("SHA384withRSA", "SunRsaSign");
                v.initVerify(rsa.publicKey().jdkPublicKey());
                v.update(msg);
                assertTrue(v.verify(sig));
            }
        }
    }

    @Test
    void thePayloadLimitIsTheConfiguredOne() throws Exception {
        InfisicalProvider small = new InfisicalProvider(f.config().maxPayloadBytes(1024).build());
        InfisicalPrivateKey key = EmulatorFixture.privateKey(f.keyStore(small), KmsEmulator.SIGNING_KEY);
        for (int size : new int[] {1024, 1025}) {
            f.kms.clearRequests();
            Signature s = Signature.getInstance("SHA256withRSA", small);
            s.initSign(key);
            s.update(message(size));
            s.sign();
            assertEquals(size > 1024, onlySign(key, size + " bytes").get("isDigest").asBoolean(), size + " bytes");
        }
        Signature pss = Signature.getInstance("SHA256withRSA/PSS", small);
        pss.initSign(key);
        SignatureException e = assertThrows(SignatureException.class, () -> pss.update(message(1025)));
        SignatureTest.assertMentions(e, "maxPayloadBytes", "1024");
    }

    @Test
    void verifyingWithAHandleIsLocalAndThePublicKeyIsFetchedOnce() throws Exception {
        InfisicalProvider fresh = f.provider();
        KeyStore ks = f.keyStore(fresh);
        InfisicalPrivateKey key = EmulatorFixture.privateKey(ks, KmsEmulator.SIGNING_KEY);
        assertTrue(key == EmulatorFixture.privateKey(ks, KmsEmulator.SIGNING_KEY), "the KeyStore caches the handle");
        byte[] msg = message(300);
        Signature signer = Signature.getInstance("SHA256withRSA", fresh);
        signer.initSign(key);
        signer.update(msg);
        byte[] sig = signer.sign();
        byte[] bad = sig.clone();
        bad[10] ^= 1;
        int before = f.kms.requests().size();
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            tasks.add(() -> {
                int valid = 0;
                for (int i = 0; i < 25; i++) {
                    Signature v = Signature.getInstance(i % 2 == 0 ? "SHA256withRSA" : "INFISICAL-RSA", fresh);
                    v.initVerify(key.publicKey());
                    v.update(msg);
                    valid += v.verify(sig) ? 1 : 0;
                    v.update(msg);
                    valid -= v.verify(bad) ? 1 : 0;
                }
                return valid;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<Integer> r : pool.invokeAll(tasks)) {
                assertEquals(25, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(before, f.kms.requests().size(), "no request at all while verifying: " + f.kms.requests());
        assertEquals(1, f.requests("GET", "/public-key").size(), "public key fetched once");
        assertEquals(1, f.requests("POST", "/sign").size());
        assertEquals(List.of(), f.requests("POST", "/verify"));
    }

    @Test
    void remoteModeVerifiesOnTheServerWithTheSameBodyAsSign() throws Exception {
        InfisicalProvider remote = new InfisicalProvider(f.config().verify(VerifyMode.REMOTE).build());
        assertEquals(VerifyMode.REMOTE, remote.config().verify());
        KeyStore ks = f.keyStore(remote);
        for (String[] c : new String[][] {{KmsEmulator.SIGNING_KEY, "SHA384withRSA", "RSASSA_PKCS1_V1_5_SHA_384", "SHA-384"},
                {KmsEmulator.SIGNING_KEY, "SHA256withRSA/PSS", "RSASSA_PSS_SHA_256", "SHA-256"},
                {KmsEmulator.EC_SIGNING_KEY, "SHA512withECDSA", "ECDSA_SHA_512", "SHA-512"}}) {
            InfisicalPrivateKey key = EmulatorFixture.privateKey(ks, c[0]);
            boolean pss = c[1].contains("PSS");
            for (int size : pss ? new int[] {1, LIMIT} : new int[] {1, LIMIT, LIMIT + 1}) {
                byte[] msg = message(size);
                Signature s = Signature.getInstance(c[1], remote);
                s.initSign(key);
                s.update(msg);
                byte[] sig = s.sign();
                f.kms.clearRequests();
                s.initVerify(key.publicKey());
                s.update(msg);
                assertTrue(s.verify(sig), c[1]);
                List<RecordedRequest> all = f.kms.requests();
                assertEquals(1, all.size(), c[1] + " " + size + ": " + all);
                assertEquals("/api/v1/kms/keys/" + key.keyId() + "/verify", all.get(0).route());
                JsonNode body = JSON.readTree(all.get(0).body());
                boolean digest = size > LIMIT;
                assertEquals(c[2], body.get("signingAlgorithm").asText());
                assertEquals(digest, body.get("isDigest").asBoolean());
                byte[] data = digest ? MessageDigest.getInstance(c[3]).digest(msg) : msg;
                assertEquals(Base64.getEncoder().encodeToString(data), body.get("data").asText());
                assertEquals(Base64.getEncoder().encodeToString(sig), body.get("signature").asText());
                sig[sig.length - 1] ^= 1; // the end of s for ECDSA: still well-formed DER
                s.update(msg);
                assertFalse(s.verify(sig), c[1] + " with a damaged signature");
                assertEquals(2, f.requests("POST", "/verify").size());
                // A plain public key has no server key to ask: it is verified locally even in remote mode.
                f.kms.clearRequests();
                s.initVerify(key.publicKey().jdkPublicKey());
                s.update(msg);
                assertFalse(s.verify(sig));
                assertEquals(List.of(), f.kms.requests());
            }
        }
    }

    @Test
    void keyTypeAndParametersAreCheckedBeforeAnyCall() throws Exception {
        f.kms.clearRequests();
        InvalidKeyException e = assertThrows(InvalidKeyException.class,
                () -> Signature.getInstance("INFISICAL-RSA", provider).initSign(ec));
        assertTrue(e.getMessage().contains(ec.keyId()), e.getMessage());
        assertThrows(InvalidKeyException.class, () -> Signature.getInstance("SHA256withECDSA", provider).initSign(rsa));
        assertThrows(InvalidKeyException.class, () -> Signature.getInstance("RSASSA_PSS_SHA_256", provider).initSign(ec));
        assertThrows(InvalidKeyException.class, () -> Signature.getInstance("RSASSA-PSS", provider).initSign(ec));
        assertThrows(InvalidKeyException.class, () -> Signature.getInstance("ECDSA_SHA_384", provider).initSign(rsa));
        assertThrows(InvalidKeyException.class,
                () -> Signature.getInstance("INFISICAL-ECDSA", provider).initVerify(rsa.publicKey()));
        assertThrows(InvalidKeyException.class,
                () -> Signature.getInstance("SHA512withRSA", provider).initVerify(ec.publicKey().jdkPublicKey()));
        Signature pss = Signature.getInstance("RSASSA-PSS", provider);
        pss.initSign(rsa);
        assertThrows(InvalidAlgorithmParameterException.class,
                () -> pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 20, 1)));
        assertThrows(SignatureException.class, () -> pss.update(new byte[1]));
        assertEquals(List.of(), f.kms.requests());
    }

    /** Exactly one request, a POST to this key's sign route; its JSON body. */
    private static JsonNode onlySign(InfisicalPrivateKey key, String what) throws Exception {
        List<RecordedRequest> all = f.kms.requests();
        assertEquals(1, all.size(), "one remote call per sign(): " + what + ": " + all);
        RecordedRequest r = all.get(0);
        assertEquals("POST", r.method());
        assertEquals("/api/v1/kms/keys/" + key.keyId() + "/sign", r.route());
        assertEquals(200, r.status(), what);
        return JSON.readTree(r.body());
    }

    private static Set<String> fields(JsonNode body) {
        Set<String> names = new TreeSet<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
