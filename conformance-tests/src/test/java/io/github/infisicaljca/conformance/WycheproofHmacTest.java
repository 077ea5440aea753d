package io.github.infisicaljca.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.InfisicalSecretKey;
import io.github.infisicaljca.Secret;
import io.github.infisicaljca.audit.EventSignature;
import io.github.infisicaljca.audit.HmacEventSigner;
import io.github.infisicaljca.conformance.Wycheproof.Family;
import io.github.infisicaljca.conformance.Wycheproof.Group;
import io.github.infisicaljca.conformance.Wycheproof.Vector;
import io.github.infisicaljca.conformance.Wycheproof.VectorFile;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Wycheproof MAC vectors two ways: (a) the audit integration's HMAC-SHA256 fallback
 * ({@link HmacEventSigner}, keyed with the UTF-8 of a secret string, over the UTF-8 of a
 * string), for vectors whose key and message are UTF-8 text; (b) {@code INFISICAL-HMAC} with
 * each key imported into an emulator, computed by the server over HTTP.
 */
class WycheproofHmacTest {
    private static InProcessKms kms;
    private static InfisicalProvider provider;

    @BeforeAll
    static void start() {
        kms = new InProcessKms();
        provider = kms.provider();
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    @TestFactory
    Stream<DynamicNode> auditHmacFallback() {
        return Wycheproof.files(Family.MAC).stream().map(WycheproofHmacTest::auditFile);
    }

    @TestFactory
    Stream<DynamicNode> infisicalHmacThroughEmulator() {
        return Wycheproof.files(Family.MAC).stream().map(WycheproofHmacTest::kmsFile);
    }

    private static DynamicContainer auditFile(VectorFile file) {
        Wycheproof.TestFile t = Wycheproof.load(file);
        WycheproofTally tally = new WycheproofTally(file.name() + " (audit HMAC-SHA256 fallback)");
        List<DynamicNode> nodes = new ArrayList<>();
        for (Group g : t.testGroups()) {
            if (!"HMACSHA256".equals(t.algorithm())) {
                tally.skip(t.algorithm() + " (the audit fallback is HMAC-SHA256)", g.tests().size());
                continue;
            }
            if (g.tagSize() == null || g.tagSize() != 256) {
                tally.skip("truncated tag (the audit fallback writes whole tags)", g.tests().size());
                continue;
            }
            for (Vector v : g.tests()) {
                String key = utf8(v.keyBytes());
                String msg = utf8(v.msgBytes());
                if (key == null || msg == null) {
                    tally.skip("key or message not UTF-8 (the audit secret and hash are strings)", 1);
                    continue;
                }
                nodes.add(DynamicTest.dynamicTest(v.describe(), () -> tally.check(() -> auditCheck(v, key, msg))));
            }
        }
        nodes.add(tally.summary());
        return DynamicContainer.dynamicContainer(tally.label(), nodes);
    }

    private static void auditCheck(Vector v, String key, String msg) {
        String where = v.describe();
        assertArrayEquals(v.keyBytes(), key.getBytes(StandardCharsets.UTF_8), where + ": the key does not round-trip");
        HmacEventSigner signer = HmacEventSigner.of(Secret.of(key));
        EventSignature sig = signer.sign(msg);
        assertEquals(EventSignature.HMAC_SHA256, sig.algorithm(), where);
        String tag = v.tag();
        switch (v.result()) {
            case VALID:
                assertEquals(tag, sig.signature(), where + ": the audit HMAC differs from the vector's tag");
                assertTrue(signer.verify(msg, tag), where + ": the audit signer does not verify the vector's tag");
                break;
            case INVALID:
                assertNotEquals(tag, sig.signature(), where + ": the audit HMAC equals a modified tag");
                assertFalse(signer.verify(msg, tag), where + ": the audit signer verifies a modified tag");
                assertModification(v, Wycheproof.hex(sig.signature()));
                break;
            default:
                break;
        }
    }

    private static DynamicContainer kmsFile(VectorFile file) {
        Wycheproof.TestFile t = Wycheproof.load(file);
        WycheproofTally tally = new WycheproofTally(file.name() + " (" + String.join(", ", file.engines()) + " via emulator)");
        String kmsAlgorithm = t.algorithm().replaceFirst("^HMACSHA", "HMAC_SHA_");
        Map<String, InfisicalSecretKey> handles = new HashMap<>();
        List<DynamicNode> nodes = new ArrayList<>();
        for (Group g : t.testGroups()) {
            for (Vector v : g.tests()) {
                if (v.msgBytes().length == 0) {
                    tally.skip("empty message (Infisical refuses empty data)", 1);
                    nodes.add(DynamicTest.dynamicTest("refused: " + v.describe(), () -> refusesEmpty(file, v,
                            handle(handles, kmsAlgorithm, v))));
                    continue;
                }
                for (String engine : file.engines()) {
                    nodes.add(DynamicTest.dynamicTest(v.describe() + " " + engine + ", " + g.tagSize() + "-bit tag",
                            () -> tally.check(() -> kmsCheck(engine, g, v, handle(handles, kmsAlgorithm, v)))));
                }
            }
        }
        nodes.add(tally.summary());
        return DynamicContainer.dynamicContainer(tally.label(), nodes);
    }

    /** The handle of the vector's key, imported on first use (vectors share keys). */
    private static InfisicalSecretKey handle(Map<String, InfisicalSecretKey> handles, String algorithm, Vector v)
            throws Exception {
        InfisicalSecretKey h = handles.get(v.key());
        if (h == null) {
            String id = kms.kms.importKey("wycheproof-mac-" + handles.size(), algorithm, v.keyBytes());
            h = assertInstanceOf(InfisicalSecretKey.class, provider.key(id));
            assertEquals(null, h.getEncoded(), "a handle must not hold key material");
            handles.put(v.key(), h);
        }
        return h;
    }

    private static void kmsCheck(String engine, Group g, Vector v, InfisicalSecretKey key) throws Exception {
        String where = v.describe() + " with " + engine;
        Mac mac = Mac.getInstance(engine, provider);
        assertEquals("Infisical", mac.getProvider().getName(), engine + " came from another provider");
        int before = kms.requests("POST", "/generate-mac").size();
        mac.init(key);
        mac.update(v.msgBytes());
        byte[] full = mac.doFinal();
        assertEquals(before + 1, kms.requests("POST", "/generate-mac").size(), where + ": expected one remote MAC");
        assertEquals(mac.getMacLength(), full.length, where);
        byte[] tag = Arrays.copyOf(full, g.tagSize() / 8); // a truncated tag is the MAC's prefix
        switch (v.result()) {
            case VALID:
                assertEquals(v.tag(), Wycheproof.hex(tag), where + ": the remote MAC differs from the vector's tag");
                break;
            case INVALID:
                assertNotEquals(v.tag(), Wycheproof.hex(tag), where + ": the remote MAC equals a modified tag");
                assertModification(v, tag);
                break;
            default:
                break;
        }
    }

    private static void refusesEmpty(VectorFile file, Vector v, InfisicalSecretKey key) throws Exception {
        Mac mac = Mac.getInstance(file.engines().get(0), provider);
        mac.init(key);
        int before = kms.requests("POST", "/generate-mac").size();
        IllegalStateException e = assertThrows(IllegalStateException.class, mac::doFinal, v.describe());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertEquals(before, kms.requests("POST", "/generate-mac").size(), "an empty message must not be sent");
    }

    /**
     * An invalid ModifiedTag vector's comment says how its tag was derived from the correct one
     * ("Flipped bit 0 in tag", "msbs changed in tag", ...). When it says so exactly, the computed
     * tag must be the vector's with those bits flipped back: a known answer from an invalid vector.
     */
    static void assertModification(Vector v, byte[] computed) {
        byte[] mask = Modifications.mask(v.comment(), computed.length);
        if (mask == null) {
            return;
        }
        byte[] given = v.tagBytes();
        byte[] diff = new byte[computed.length];
        for (int i = 0; i < diff.length; i++) {
            diff[i] = (byte) (computed[i] ^ given[i]);
        }
        assertEquals(Wycheproof.hex(mask), Wycheproof.hex(diff),
                v.describe() + ": the tag is not the computed one modified as the comment says");
    }

    /** Strict UTF-8 decoding: null for malformed or unmappable input. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The XOR masks of the modifications ModifiedTag comments describe. */
    static final class Modifications {
        private static final Pattern BITS = Pattern.compile("Flipped bits? (\\d+)(?: and (\\d+))? in tag");

        private Modifications() {
        }

        /** The mask over a tag of {@code length} bytes, or null when the comment names no exact modification. */
        static byte[] mask(String comment, int length) {
            byte[] mask = new byte[length];
            Matcher m = BITS.matcher(comment == null ? "" : comment);
            if (m.matches()) {
                for (int i = 1; i <= 2; i++) {
                    if (m.group(i) != null) {
                        int bit = Integer.parseInt(m.group(i)); // bit 0 is the lowest bit of the first byte
                        mask[bit / 8] ^= (byte) (1 << (bit % 8));
                    }
                }
                return mask;
            }
            int each;
            switch (comment == null ? "" : comment) {
                case "all bits of tag flipped":
                    each = 0xff;
                    break;
                case "msbs changed in tag":
                    each = 0x80;
                    break;
                case "lsbs changed in tag":
                    each = 0x01;
                    break;
                default:
                    return null;
            }
            Arrays.fill(mask, (byte) each);
            return mask;
        }
    }
}
