package io.github.infisicaljca.audit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.Secret;
import org.junit.jupiter.api.Test;

/** Stored events can be damaged in any way: verification says "invalid", and no message quotes their content. */
class MalformedEventsTest {
    private final AuditCrypto crypto = AuditCrypto.builder().hmac(HmacEventSigner.of(Secret.of("a-test-secret")))
            .policy(FallbackPolicy.HMAC_WHEN_KMS_DISABLED).build();

    @Test
    void wrongTypesAndMissingFieldsAreInvalidNotExceptions() throws Exception {
        AuditEvent sealed = crypto.seal(AuditEvent.parse(
                "{\"timestamp\":\"2024-01-01T00:00:00.000Z\",\"action\":\"read\",\"status\":\"success\"}"));
        String json = sealed.toJson();
        Verification wrongType = crypto.verify(AuditEvent.parse(json.replaceFirst("\"signature\":\"[0-9a-f]+\"",
                "\"signature\":123")));
        assertFalse(wrongType.valid());
        assertTrue(wrongType.reason().contains("signature"), wrongType.reason());
        Verification noTimestamp = crypto.verify(AuditEvent.parse(json.replace(
                "\"timestamp\":\"2024-01-01T00:00:00.000Z\",", "")));
        assertFalse(noTimestamp.valid());
        assertTrue(noTimestamp.reason().contains("timestamp"), noTimestamp.reason());
    }

    @Test
    void numbersKeepTheirDigitsThroughASeal() throws Exception {
        AuditEvent sealed = crypto.seal(AuditEvent.parse("{\"timestamp\":\"t\",\"action\":\"a\",\"status\":\"s\","
                + "\"amount\":2.50,\"big\":12345678901234567890123,\"exp\":1.0E+3}"));
        String json = sealed.toJson();
        assertTrue(json.contains("\"amount\":2.50") && json.contains("\"big\":12345678901234567890123"), json);
    }

    @Test
    void parseErrorsSayWhereNotWhat() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuditEvent.parse("{\"principalId\": patient-jane-doe}"));
        assertFalse(e.getMessage().contains("patient"), e.getMessage());
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }
}
