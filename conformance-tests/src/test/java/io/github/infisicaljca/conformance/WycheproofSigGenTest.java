package io.github.infisicaljca.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.conformance.Wycheproof.Family;
import io.github.infisicaljca.conformance.Wycheproof.Group;
import io.github.infisicaljca.conformance.Wycheproof.Result;
import io.github.infisicaljca.conformance.Wycheproof.Vector;
import io.github.infisicaljca.conformance.Wycheproof.VectorFile;
import io.github.infisicaljca.emulator.RecordedRequest;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Wycheproof signature-generation vectors through the full path: each group's private key is
 * imported into an emulator, its handle comes from the provider's KeyStore, and every message
 * is signed by {@code Signature.getInstance("SHA...withRSA", infisical)} over HTTP. PKCS#1 v1.5
 * is deterministic, so the signature must equal the vector's byte for byte (the empty message
 * included, which the provider sends as a digest).
 */
class WycheproofSigGenTest {
    private static final Set<String> HASHES = Set.of("SHA-256", "SHA-384", "SHA-512");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static InProcessKms kms;

    @BeforeAll
    static void start() {
        kms = new InProcessKms();
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    @TestFactory
    Stream<DynamicNode> signVectors() {
        Provider provider = kms.provider();
        return Wycheproof.files(Family.SIGNATURE_GENERATE).stream().map(f -> file(provider, f));
    }

    private static DynamicContainer file(Provider provider, VectorFile file) {
        Wycheproof.TestFile t = Wycheproof.load(file);
        WycheproofTally tally = new WycheproofTally(file.name());
        List<DynamicNode> nodes = new ArrayList<>();
        for (int i = 0; i < t.testGroups().size(); i++) {
            Group g = t.testGroups().get(i);
            String cannot = unproducible(g);
            if (cannot != null) {
                tally.skip(cannot, g.tests().size());
                continue;
            }
            String engine = "SHA" + g.sha().substring("SHA-".length()) + "withRSA";
            assertTrue(file.engines().contains(engine), file.name() + ": the table lacks " + engine);
            String name = file.name() + "-" + i;
            Imported key = new Imported();
            nodes.add(DynamicTest.dynamicTest("import " + name + " (RSA " + g.keySize() + ", " + g.sha() + ")",
                    () -> key.handle = importKey(provider, file.keyType(), name, g)));
            for (Vector v : g.tests()) {
                if (v.result() != Result.VALID) {
                    tally.skip("a generation vector that is not valid", 1);
                    continue;
                }
                nodes.add(DynamicTest.dynamicTest(v.describe() + " " + engine + ", " + v.msgBytes().length + " bytes",
                        () -> tally.check(() -> sign(provider, engine, g, key, v, file.name()))));
            }
        }
        nodes.add(tally.summary());
        return DynamicContainer.dynamicContainer(file.name() + " " + file.engines(), nodes);
    }

    /** Why Infisical cannot hold this group's key or sign with its hash, or null when it can. */
    private static String unproducible(Group g) {
        if (!"RsassaPkcs1Generate".equals(g.type())) {
            return "group type " + g.type() + " is not PKCS#1 v1.5 generation";
        }
        if (g.keySize() == null || g.keySize() != 4096) {
            return "RSA-" + g.keySize() + " (Infisical RSA keys are 4096 bits)";
        }
        if (!HASHES.contains(g.sha())) {
            return "hash " + g.sha() + " (Infisical signs with SHA-256/384/512 only)";
        }
        return null;
    }

    /** A group's handle, set by its import test, which runs before the group's vectors. */
    private static final class Imported {
        PrivateKey handle;
    }

    private static PrivateKey importKey(Provider provider, String keyType, String name, Group g) throws Exception {
        KeyFactory kf = KeyFactory.getInstance(keyType);
        PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(g.privateKeyPkcs8Bytes()));
        RSAPublicKey pub = (RSAPublicKey) kf.generatePublic(new X509EncodedKeySpec(g.publicKeyX509()));
        assertEquals(pub.getModulus(), ((RSAPrivateCrtKey) priv).getModulus(), "the group's key halves disagree");
        assertEquals(g.keySize().intValue(), pub.getModulus().bitLength());
        String id = kms.kms.importKey(name, "RSA_4096", new KeyPair(pub, priv));

        KeyStore ks = KeyStore.getInstance("INFISICAL", provider);
        ks.load(null, null);
        assertTrue(ks.containsAlias(name), "the KeyStore does not list " + name);
        Key handle = ks.getKey(name, null);
        InfisicalPrivateKey h = assertInstanceOf(InfisicalPrivateKey.class, handle);
        assertEquals(id, h.keyId());
        assertEquals(null, h.getEncoded(), "a handle must not hold key material");
        return h;
    }

    private static void sign(Provider provider, String engine, Group g, Imported key, Vector v, String fileName)
            throws Exception {
        assertNotNull(key.handle, "the group's key was not imported (see the import test above)");
        String where = fileName + " " + v.describe() + " with " + engine;
        byte[] msg = v.msgBytes();
        Signature s = Signature.getInstance(engine, provider);
        assertEquals("Infisical", s.getProvider().getName(), engine + " came from another provider");
        int before = kms.requests("POST", "/sign").size();
        s.initSign(key.handle);
        s.update(msg);
        byte[] sig = s.sign();
        assertEquals("Infisical", s.getProvider().getName(), engine + " moved to another provider");
        assertEquals(v.sig(), Wycheproof.hex(sig), where + ": the signature differs from the vector's");

        // It was the emulator that signed, once, with the vector's algorithm.
        List<RecordedRequest> signs = kms.requests("POST", "/sign");
        assertEquals(before + 1, signs.size(), where + ": expected exactly one remote sign call");
        RecordedRequest r = signs.get(signs.size() - 1);
        assertEquals(200, r.status(), where);
        assertTrue(r.route().contains(((InfisicalPrivateKey) key.handle).keyId()), where + ": signed with another key");
        JsonNode body = JSON.readTree(r.body());
        assertEquals("RSASSA_PKCS1_V1_5_" + g.sha().replace("-", "_"), body.path("signingAlgorithm").asText(), where);
        boolean digest = body.path("isDigest").asBoolean();
        assertEquals(msg.length == 0, digest, where + ": an empty message goes as a digest, others raw");
        byte[] data = Base64.getDecoder().decode(body.path("data").asText());
        if (!digest) {
            assertEquals(Wycheproof.hex(msg), Wycheproof.hex(data), where + ": the raw message was not sent as is");
        } else {
            byte[] expected = java.security.MessageDigest.getInstance(g.sha()).digest(msg);
            assertEquals(Wycheproof.hex(expected), Wycheproof.hex(data), where + ": the digest sent is wrong");
        }
    }
}
