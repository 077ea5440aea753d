package io.github.infisicaljca.emulator;

import static io.github.infisicaljca.emulator.ApiClient.b64;
import static io.github.infisicaljca.emulator.ApiClient.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The realism and fault knobs, and the request log that tests assert on. */
class FaultInjectionTest {
    private static KmsEmulator kms;
    private static ApiClient api;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        kms = KmsEmulator.builder().seedKeys(false).start();
        key = kms.importKey("aes", "aes-256-gcm", new byte[32]);
        api = new ApiClient(kms).login(kms);
    }

    @BeforeEach
    void reset() {
        kms.clearFaults();
        kms.clearRequests();
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    private static ApiClient.Answer encrypt() throws Exception {
        return api.op(key, "encrypt", obj().put("plaintext", b64(new byte[] {1, 2, 3})));
    }

    @Test
    void statusFaultsHitOnlyTheirCountThenTheRealAnswerReturns() throws Exception {
        kms.inject("POST", "/encrypt$", Fault.status(503), 2);
        ApiClient.Answer first = encrypt();
        assertEquals(503, first.status());
        assertEquals(503, first.body().path("statusCode").asInt());
        assertTrue(first.body().path("reqId").asText().startsWith("req-"));
        assertEquals(503, encrypt().status());
        assertEquals(200, encrypt().status());
        assertEquals(200, api.get("/api/v1/kms/keys?projectId=" + kms.projectId()).status(), "other paths are untouched");
    }

    @Test
    void rawBodiesImitateAProxy() throws Exception {
        kms.inject(null, "/encrypt$", Fault.status(502, "<html><body>Bad Gateway</body></html>"), 1);
        assertThrows(JsonProcessingException.class, FaultInjectionTest::encrypt, "the body is HTML, not JSON");
        assertEquals(502, kms.requests().get(0).status());
    }

    @Test
    void rateLimitsSayHowLongToWaitWithOrWithoutTheHeader() throws Exception {
        kms.inject(null, "/encrypt$", Fault.rateLimited(Duration.ofSeconds(7), true), 1);
        ApiClient.Answer withHeader = encrypt();
        assertEquals(429, withHeader.status());
        assertEquals("7", withHeader.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("RateLimitError", withHeader.text("error"), "the name newer servers send");
        assertEquals("Rate limit exceeded. Please try again in 7 seconds", withHeader.text("message"));
        kms.inject(null, "/encrypt$", Fault.rateLimited(Duration.ofSeconds(3), false), 1);
        ApiClient.Answer without = encrypt();
        assertEquals(429, without.status());
        assertTrue(without.headers().firstValue("Retry-After").isEmpty());
        kms.inject(null, "/encrypt$", Fault.status(429), 1);
        assertEquals("RateLimitError", encrypt().text("error"));
    }

    @Test
    void droppedConnectionsAndMalformedBodies() throws Exception {
        kms.inject(null, "/encrypt$", Fault.dropConnection(), 1);
        assertThrows(IOException.class, FaultInjectionTest::encrypt);
        assertEquals(0, kms.requests().get(0).status(), "logged as unanswered");
        kms.inject(null, "/encrypt$", Fault.malformedBody(), 1);
        assertThrows(JsonProcessingException.class, FaultInjectionTest::encrypt);
        assertEquals(200, encrypt().status());
    }

    @Test
    void delaysHoldTheAnswerBack() throws Exception {
        kms.inject(null, "/encrypt$", Fault.delay(Duration.ofMillis(300)), 1);
        long start = System.nanoTime();
        assertEquals(200, encrypt().status());
        // A lower bound only: the server slept at least this long before answering.
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
    }

    @Test
    void theRequestLogRecordsWhatArrivedWithoutTheToken() throws Exception {
        encrypt();
        List<RecordedRequest> log = kms.requests();
        assertEquals(1, log.size(), log.toString());
        RecordedRequest r = log.get(0);
        assertEquals("POST", r.method());
        assertEquals("/api/v1/kms/keys/" + key + "/encrypt", r.route());
        assertTrue(r.bearer());
        assertEquals(200, r.status());
        assertTrue(r.body().contains("\"plaintext\":\"AQID\""), r.body());
        assertFalse(r.toString().contains(api.token()), "the token is not kept");
    }

    @Test
    void authSecretsAreMaskedInTheLog() throws Exception {
        new ApiClient(kms).login(kms);
        RecordedRequest login = kms.requests().get(0);
        assertFalse(login.body().contains(kms.clientSecret()), login.body());
        assertTrue(login.body().contains("\"clientSecret\":\"***MASKED***\""), login.body());
        assertTrue(login.body().contains(kms.clientId()), "the client id is not a secret");
    }

    @Test
    void badKnobValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> kms.latency(Duration.ofMillis(5), Duration.ofMillis(1)));
        assertThrows(IllegalArgumentException.class, () -> kms.inject(null, "x", Fault.status(500), 0));
        assertThrows(IllegalArgumentException.class, () -> kms.importKey("bad", "aes-256-gcm", new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> kms.importKey("bad", "RSA_4096", new byte[16]));
    }
}
