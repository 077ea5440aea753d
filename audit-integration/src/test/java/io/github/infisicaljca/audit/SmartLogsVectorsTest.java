package io.github.infisicaljca.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.infisicaljca.Secret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 60 vectors made by running the original TypeScript {@code CryptoService}: hash, HMAC
 * signature, and sealing through {@link AuditCrypto} keep byte compatibility.
 */
class SmartLogsVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESOURCE = "/smart-logs-vectors/smart-logs-vectors.jsonl";
    private static final List<String> HASHED = List.of("timestamp", "action", "status", "principalId",
            "organizationId", "targetResourceType", "targetResourceId", "outcomeDescription");
    private static final List<String> SEAL = List.of("hash", "hashAlgorithm", "signature", "algorithm");

    static List<JsonNode> vectors() {
        InputStream in = SmartLogsVectorsTest.class.getResourceAsStream(RESOURCE);
        assertNotNull(in, RESOURCE + " is missing from the test classpath");
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static Stream<Arguments> cases() {
        List<JsonNode> all = vectors();
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            out.add(Arguments.of(i + 1, all.get(i)));
        }
        return out.stream();
    }

    private static String eventJson(JsonNode v) throws IOException {
        return JSON.writeValueAsString(v.get("event"));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void thereAreSixtyVectorsOfTheExpectedShape() {
        List<JsonNode> all = vectors();
        assertEquals(60, all.size());
        for (JsonNode v : all) {
            assertEquals(List.of("event", "hmacSecret", "hash", "signature", "algorithm"), fieldNames(v));
            assertTrue(v.get("hash").asText().matches("[0-9a-f]{64}"));
            assertTrue(v.get("signature").asText().matches("[0-9a-f]{64}"));
        }
    }

    @ParameterizedTest(name = "vector {0}")
    @MethodSource("cases")
    void hashMatchesTheOriginal(int line, JsonNode v) throws Exception {
        AuditEvent event = AuditEvent.parse(eventJson(v));
        assertEquals(v.get("hash").asText(), EventHasher.generateHash(event), "vector " + line + ": canonical string "
                + EventHasher.canonicalString(event));
        assertTrue(EventHasher.verifyHash(event, v.get("hash").asText()));
    }

    @ParameterizedTest(name = "vector {0}")
    @MethodSource("cases")
    void hmacSignatureMatchesTheOriginal(int line, JsonNode v) {
        HmacEventSigner signer = HmacEventSigner.of(Secret.of(v.get("hmacSecret").asText()));
        String hash = v.get("hash").asText();
        EventSignature s = signer.sign(hash);
        assertEquals(v.get("signature").asText(), s.signature(), "vector " + line);
        assertEquals("HMAC-SHA256", s.algorithm());
        assertEquals(v.get("algorithm").asText(), s.algorithm());
        assertTrue(s.isHmac());
        assertTrue(signer.verify(hash, v.get("signature").asText()));
        // The same signature is wrong for another hash, upper-case hex, or another secret.
        assertFalse(signer.verify(flipLastHex(hash), v.get("signature").asText()));
        assertFalse(signer.verify(hash, v.get("signature").asText().toUpperCase(java.util.Locale.ROOT)));
        assertFalse(signer.verify(hash, flipLastHex(v.get("signature").asText())));
        assertFalse(HmacEventSigner.of(Secret.of(v.get("hmacSecret").asText() + "x")).verify(hash,
                v.get("signature").asText()));
    }

    @ParameterizedTest(name = "vector {0}")
    @MethodSource("cases")
    void aOneCharacterChangeOfAnyHashedFieldChangesTheHash(int line, JsonNode v) throws Exception {
        AuditEvent event = AuditEvent.parse(eventJson(v));
        String hash = v.get("hash").asText();
        for (String field : HASHED) {
            String value = event.text(field);
            for (String changed : oneCharChanges(value)) {
                AuditEvent altered = event.with(field, changed);
                assertNotEquals(hash, EventHasher.generateHash(altered), "vector " + line + ": " + field + " changed to "
                        + JsJson.stringify(changed));
                assertFalse(EventHasher.verifyHash(altered, hash));
            }
        }
        // Fields outside the eight are not hashed, as in the original.
        assertEquals(hash, EventHasher.generateHash(event.with("notHashed", "anything")));
    }

    @ParameterizedTest(name = "vector {0}")
    @MethodSource("cases")
    void sealThenVerifyKeepsEveryOtherFieldInOrder(int line, JsonNode v) throws Exception {
        String secret = v.get("hmacSecret").asText();
        AuditCrypto crypto = AuditCrypto.builder().hmac(HmacEventSigner.of(Secret.of(secret)))
                .policy(FallbackPolicy.HMAC_WHEN_KMS_DISABLED).build();
        AuditEvent sealed = crypto.seal(AuditEvent.parse(eventJson(v)));

        ObjectNode expected = ((ObjectNode) v.get("event")).deepCopy();
        expected.put("hash", v.get("hash").asText());
        expected.put("hashAlgorithm", "SHA-256");
        expected.put("signature", v.get("signature").asText());
        expected.put("algorithm", "HMAC-SHA256");
        JsonNode actual = JSON.readTree(sealed.toJson());
        List<String> order = new ArrayList<>(fieldNames(v.get("event")));
        order.addAll(SEAL);
        assertEquals(order, fieldNames(actual), "vector " + line);
        // Serialised by the same mapper, equal text means equal values and order at every depth
        // (sessionContext and details included).
        assertEquals(JSON.writeValueAsString(expected), JSON.writeValueAsString(actual), "vector " + line);
        for (Iterator<String> it = v.get("event").fieldNames(); it.hasNext();) {
            String f = it.next();
            assertEquals(JSON.writeValueAsString(v.get("event").get(f)), JSON.writeValueAsString(actual.get(f)),
                    "vector " + line + ", field " + f);
        }

        Verification ok = crypto.verify(sealed);
        assertTrue(ok.valid(), "vector " + line + ": " + ok.reason());
        // Another secret does not verify it; a sealed event sealed again is unchanged.
        AuditCrypto other = AuditCrypto.builder().hmac(HmacEventSigner.of(Secret.of(secret + "!")))
                .policy(FallbackPolicy.HMAC_WHEN_KMS_DISABLED).build();
        assertFalse(other.verify(sealed).valid());
        assertEquals(sealed.toJson(), crypto.seal(sealed).toJson());
    }

    @Test
    void theDocumentedExample() {
        AuditEvent event = AuditEvent.parse("{\"timestamp\":\"2023-10-26T10:30:00.000Z\",\"action\":\"userLogin\","
                + "\"status\":\"success\",\"principalId\":\"user-12345\",\"organizationId\":\"org-67890\"}");
        assertEquals("action:\"userLogin\"|organizationId:\"org-67890\"|outcomeDescription:null|principalId:\"user-12345\""
                + "|status:\"success\"|targetResourceId:null|targetResourceType:null|timestamp:\"2023-10-26T10:30:00.000Z\"",
                EventHasher.canonicalString(event));
        assertEquals("bda301682da0c10acd2ac84242f1d711c505246b27b1c8c5029a9bb9cd297bd8", EventHasher.generateHash(event));
        AuditEvent built = AuditEvent.of("2023-10-26T10:30:00.000Z", "userLogin", "success")
                .with("principalId", "user-12345").with("organizationId", "org-67890");
        assertEquals("bda301682da0c10acd2ac84242f1d711c505246b27b1c8c5029a9bb9cd297bd8", EventHasher.generateHash(built));
    }

    /** Values one character away: a replaced character (first, middle, last), or "a" for an empty one. */
    private static List<String> oneCharChanges(String value) {
        if (value == null || value.isEmpty()) {
            return List.of("a");
        }
        List<String> out = new ArrayList<>();
        for (int i : new int[] {0, value.length() / 2, value.length() - 1}) {
            char c = value.charAt(i);
            char r = c == 'a' ? 'b' : 'a';
            out.add(value.substring(0, i) + r + value.substring(i + 1));
        }
        out.add(value + "a");
        return out;
    }

    private static String flipLastHex(String hex) {
        char last = hex.charAt(hex.length() - 1);
        return hex.substring(0, hex.length() - 1) + (last == '0' ? '1' : '0');
    }
}
