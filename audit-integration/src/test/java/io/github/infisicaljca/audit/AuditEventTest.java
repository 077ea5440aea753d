package io.github.infisicaljca.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infisicaljca.Secret;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The event model: parsing, field order, hashed-field rules, sealing in place, and what it shows. */
class AuditEventTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "\"timestamp\":\"2024-01-29T10:45:33.736Z\",\"action\":\"fhirPatientRead\","
            + "\"status\":\"success\"";
    private static final List<String> OPTIONAL = List.of("principalId", "organizationId", "targetResourceType",
            "targetResourceId", "outcomeDescription");
    private static final List<String> REQUIRED = List.of("timestamp", "action", "status");

    private static List<String> order(String json) throws Exception {
        List<String> names = new ArrayList<>();
        JSON.readTree(json).fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void parseKeepsUnknownFieldsTheirValuesAndTheirOrder() throws Exception {
        String json = "{\"zeta\":1,\"timestamp\":\"2024-01-29T10:45:33.736Z\",\"sessionContext\":{\"sessionId\":\"s2\","
                + "\"ipAddress\":\"10.0.0.1\",\"nested\":{\"b\":[3,1,{\"y\":null,\"a\":true}],\"a\":\"x\"}},"
                + "\"action\":\"userLogin\",\"details\":{},\"status\":\"success\",\"alpha\":[]}";
        AuditEvent e = AuditEvent.parse(json);
        assertEquals(json, e.toJson());
        assertEquals(List.of("zeta", "timestamp", "sessionContext", "action", "details", "status", "alpha"),
                order(e.toJson()));
        assertTrue(e.has("sessionContext"));
        assertFalse(e.has("principalId"));
        assertEquals(AuditEvent.parse(json), AuditEvent.parse(e.toJson()));
    }

    @Test
    void numbersKeepTheirDigits() {
        String json = "{" + BASE + ",\"details\":{\"big\":123456789012345678901234567890,\"dec\":0.10000000000000000555,"
                + "\"neg\":-1.5e-7}}";
        String out = AuditEvent.parse(json).toJson();
        assertTrue(out.contains("123456789012345678901234567890"), out);
        assertTrue(out.contains("0.10000000000000000555"), out);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"timestamp\":\"a\",\"action\":\"b\",\"status\":\"c\",\"action\":\"d\"}",
        "{\"timestamp\":\"a\",\"action\":\"b\",\"status\":\"c\",\"x\":{\"k\":1,\"k\":2}}",
        "{\"hash\":\"a\",\"hash\":\"a\"}",
    })
    void duplicateKeysAreRefused(String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditEvent.parse(json));
        assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("duplicate"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"timestamp\":\"a\"}]", "\"event\"", "1", "true", "null", "", "   ", "not json",
        "{\"a\":1", "{} {}", "{\"a\":1} x", "{'a':1}"})
    void anythingButOneJsonObjectIsRefused(String json) {
        assertThrows(IllegalArgumentException.class, () -> AuditEvent.parse(json));
    }

    @Test
    void aNonStringHashedFieldIsRefusedByName() {
        for (String field : EventHasher.FIELDS) {
            for (String value : new String[] {"42", "1.5", "true", "{\"x\":\"y\"}", "[\"x\"]"}) {
                String json = "{" + BASE.replace("\"" + field + "\":", "\"ignored-" + field + "\":") + ",\"" + field + "\":"
                        + value + "}";
                AuditEvent e = AuditEvent.parse(json);
                IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                        () -> EventHasher.generateHash(e), field + "=" + value);
                assertTrue(ex.getMessage().contains("'" + field + "'"), ex.getMessage());
            }
        }
    }

    @Test
    void aMissingOrNullRequiredFieldIsRefusedByName() {
        for (String field : REQUIRED) {
            String without = "{" + BASE.replaceAll("\"" + field + "\":\"[^\"]*\",?", "").replaceAll(",$", "") + "}";
            String withNull = "{" + BASE.replaceAll("\"" + field + "\":\"[^\"]*\"", "\"" + field + "\":null") + "}";
            for (String json : new String[] {without, withNull}) {
                AuditEvent e = AuditEvent.parse(json);
                IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                        () -> EventHasher.generateHash(e), json);
                assertTrue(ex.getMessage().contains("no " + field), field + ": " + ex.getMessage());
                for (String other : REQUIRED) {
                    if (!other.equals(field)) {
                        assertFalse(ex.getMessage().contains("no " + other), ex.getMessage());
                    }
                }
            }
        }
    }

    @Test
    void anEmptyRequiredFieldIsHashedAsTheEmptyString() {
        AuditEvent empty = AuditEvent.parse("{" + BASE.replace("\"success\"", "\"\"") + "}");
        assertTrue(EventHasher.canonicalString(empty).contains("|status:\"\"|"), EventHasher.canonicalString(empty));
    }

    @Test
    void theFiveOptionalFieldsAbsentEmptyOrNullHashTheSame() {
        String absent = EventHasher.generateHash(AuditEvent.parse("{" + BASE + "}"));
        StringBuilder allEmpty = new StringBuilder("{" + BASE);
        StringBuilder allNull = new StringBuilder("{" + BASE);
        for (String field : OPTIONAL) {
            allEmpty.append(",\"").append(field).append("\":\"\"");
            allNull.append(",\"").append(field).append("\":null");
            assertEquals(absent, EventHasher.generateHash(AuditEvent.parse("{" + BASE + ",\"" + field + "\":\"\"}")), field);
            assertEquals(absent, EventHasher.generateHash(AuditEvent.parse("{" + BASE + ",\"" + field + "\":null}")), field);
            assertNotEquals(absent, EventHasher.generateHash(AuditEvent.parse("{" + BASE + ",\"" + field + "\":\" \"}")),
                    field + ": a space is not empty");
            assertNotEquals(absent, EventHasher.generateHash(AuditEvent.parse("{" + BASE + ",\"" + field + "\":\"null\"}")),
                    field + ": the string null is not null");
        }
        assertEquals(absent, EventHasher.generateHash(AuditEvent.parse(allEmpty.append('}').toString())));
        assertEquals(absent, EventHasher.generateHash(AuditEvent.parse(allNull.append('}').toString())));
        assertTrue(EventHasher.canonicalString(AuditEvent.parse("{" + BASE + "}")).contains("outcomeDescription:null|"));
    }

    @Test
    void withSealReplacesExistingSealFieldsInPlace() throws Exception {
        String json = "{\"hash\":\"old\",\"timestamp\":\"t\",\"signature\":\"oldsig\",\"action\":\"a\",\"status\":\"s\","
                + "\"algorithm\":\"RSASSA_PSS_SHA_256\",\"extra\":{\"k\":\"v\"}}";
        AuditEvent original = AuditEvent.parse(json);
        AuditEvent sealed = original.withSeal("h", "sig", "HMAC-SHA256");
        assertEquals(List.of("hash", "timestamp", "signature", "action", "status", "algorithm", "extra", "hashAlgorithm"),
                order(sealed.toJson()));
        assertEquals("h", sealed.text("hash"));
        assertEquals("sig", sealed.text("signature"));
        assertEquals("HMAC-SHA256", sealed.text("algorithm"));
        assertEquals("SHA-256", sealed.text("hashAlgorithm"));
        assertEquals(json, original.toJson(), "withSeal must not change the event it was called on");

        // Sealing with a fresh seal appends the four fields at the end, in a fixed order.
        AuditEvent fresh = AuditEvent.parse("{" + BASE + ",\"z\":1}").withSeal("h", "s", "a");
        assertEquals(List.of("timestamp", "action", "status", "z", "hash", "hashAlgorithm", "signature", "algorithm"),
                order(fresh.toJson()));
        // And sealing twice changes the values, not the order.
        assertEquals(order(fresh.toJson()), order(fresh.withSeal("h2", "s2", "a2").toJson()));
        assertEquals("h2", fresh.withSeal("h2", "s2", "a2").text("hash"));
    }

    @Test
    void sealFieldsAreNotHashed() throws Exception {
        AuditEvent e = AuditEvent.parse("{" + BASE + "}");
        assertEquals(EventHasher.generateHash(e), EventHasher.generateHash(e.withSeal("x", "y", "z")));
        AuditCrypto crypto = AuditCrypto.builder().hmac(HmacEventSigner.of(Secret.of("s")))
                .policy(FallbackPolicy.HMAC_WHEN_KMS_DISABLED).build();
        AuditEvent sealed = crypto.seal(e);
        assertEquals(EventHasher.generateHash(e), sealed.text("hash"));
        assertTrue(crypto.verify(sealed).valid());
        assertEquals("the event is not sealed (hash, signature or algorithm missing)", crypto.verify(e).reason());
        assertFalse(crypto.verify(sealed.with("hashAlgorithm", "MD5")).valid());
        assertFalse(crypto.verify(sealed.with("hash", sealed.text("hash").toUpperCase(java.util.Locale.ROOT))).valid());
    }

    @Test
    void toStringShowsNoPersonalFields() {
        String json = "{" + BASE + ",\"principalId\":\"patient-jane-doe-4711\",\"organizationId\":\"clinic-secret-org\","
                + "\"targetResourceType\":\"Patient\",\"targetResourceId\":\"mrn-99887766\","
                + "\"outcomeDescription\":\"viewed HIV status of Jane\",\"sessionContext\":{\"ipAddress\":\"203.0.113.77\"},"
                + "\"hash\":\"abc\",\"signature\":\"sig-value-xyz\"}";
        AuditEvent e = AuditEvent.parse(json);
        String shown = e.toString();
        for (String personal : new String[] {"patient-jane-doe-4711", "clinic-secret-org", "mrn-99887766",
            "viewed HIV status", "203.0.113.77", "sig-value-xyz"}) {
            assertFalse(shown.contains(personal), "toString shows " + personal + ": " + shown);
        }
        assertTrue(shown.contains("fhirPatientRead"), shown);
    }

    @Test
    void textReadsStringsAndNulls() throws Exception {
        AuditEvent e = AuditEvent.parse("{" + BASE + ",\"principalId\":null}");
        assertNull(e.text("principalId"));
        assertNull(e.text("organizationId"));
        assertEquals("success", e.text("status"));
        JsonNode n = JSON.readTree(AuditEvent.of("t", "a", null).toJson());
        assertFalse(n.has("status"));
        assertThrows(IllegalArgumentException.class, () -> EventHasher.generateHash(AuditEvent.of("t", "a", null)));
        AuditEvent built = AuditEvent.of("t", "a", "s");
        assertEquals(built.with("principalId", "p"), built.with("principalId", "p"));
        assertFalse(built.has("principalId"), "with must return a copy");
    }
}
