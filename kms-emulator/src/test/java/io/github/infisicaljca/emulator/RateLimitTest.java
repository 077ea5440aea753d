package io.github.infisicaljca.emulator;

import static io.github.infisicaljca.emulator.ApiClient.b64;
import static io.github.infisicaljca.emulator.ApiClient.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Infisical's rate limits through real sockets: per route pattern and client address, reads and
 * writes apart, fixed windows on the emulator's clock, the headers on every answer, and each
 * profile's refusal. The limits are set after login so that every count starts at zero.
 */
class RateLimitTest {
    private static final String KEYS = "/api/v1/kms/keys";

    private KmsEmulator kms;
    private ApiClient api;
    private String keyA;
    private String keyB;

    private void start(ServerProfile profile, RateLimits limits) throws Exception {
        kms = KmsEmulator.builder().seedKeys(false).profile(profile).start();
        keyA = kms.importKey("a", "aes-256-gcm", new byte[32]);
        keyB = kms.importKey("b", "aes-256-gcm", new byte[32]);
        api = new ApiClient(kms).login(kms);
        kms.rateLimits(limits);
        kms.clearRequests();
    }

    @AfterEach
    void stop() {
        if (kms != null) {
            kms.close();
        }
    }

    private ApiClient.Answer encrypt(String key) throws Exception {
        return api.op(key, "encrypt", obj().put("plaintext", b64(new byte[] {1, 2, 3})));
    }

    private ApiClient.Answer list() throws Exception {
        return api.get(KEYS + "?projectId=" + kms.projectId());
    }

    private static long reset(ApiClient.Answer a) {
        return Long.parseLong(a.header("x-ratelimit-reset"));
    }

    private static void assertHeaders(ApiClient.Answer a, int limit, int remaining) {
        assertEquals(Integer.toString(limit), a.header("x-ratelimit-limit"), "x-ratelimit-limit");
        assertEquals(Integer.toString(remaining), a.header("x-ratelimit-remaining"), "x-ratelimit-remaining");
        long reset = reset(a);
        assertTrue(reset >= 1 && reset <= 60, "x-ratelimit-reset " + reset);
    }

    private static void assertRefusalHeaders(ApiClient.Answer a, int limit) {
        assertHeaders(a, limit, 0);
        assertEquals(a.header("x-ratelimit-reset"), a.header("retry-after"), "retry-after is the reset");
    }

    @Test
    void writesPastTheLimitAreRefusedWithA429RateLimitErrorOnCurrentServers() throws Exception {
        start(ServerProfile.CURRENT, RateLimits.perMinute(3, 100));
        for (int remaining = 2; remaining >= 0; remaining--) {
            ApiClient.Answer ok = encrypt(keyA);
            assertEquals(200, ok.status());
            assertHeaders(ok, 3, remaining);
            assertNull(ok.header("retry-after"));
        }
        ApiClient.Answer refused = encrypt(keyA);
        assertEquals(429, refused.status());
        assertRefusalHeaders(refused, 3);
        assertTrue(refused.text("reqId").startsWith("req-"), refused.body().toString());
        ObjectNode expected = obj().put("reqId", refused.text("reqId")).put("statusCode", 429)
                .put("message", "Rate limit exceeded. Please try again in " + reset(refused) + " seconds")
                .put("error", "RateLimitError");
        assertEquals(expected, refused.body());
    }

    @Test
    void the2024ServerRefusesWithAPlainServerErrorThatOnlyItsHeadersTellApart() throws Exception {
        start(ServerProfile.INFISICAL_2024, RateLimits.perMinute(2, 100));
        assertEquals(200, encrypt(keyA).status());
        assertEquals(200, encrypt(keyA).status());
        ApiClient.Answer refused = encrypt(keyA);
        assertEquals(500, refused.status());
        assertRefusalHeaders(refused, 2);
        assertEquals(obj().put("statusCode", 500).put("message", "Something went wrong").put("error", "InternalServerError"),
                refused.body());
    }

    @Test
    void readsHaveTheirOwnLimitAndEachReadRouteItsOwnCounter() throws Exception {
        start(ServerProfile.CURRENT, RateLimits.perMinute(100, 2));
        assertHeaders(list(), 2, 1);
        assertHeaders(list(), 2, 0);
        assertEquals(429, list().status());
        ApiClient.Answer byId = api.get(KEYS + "/" + keyA);
        assertEquals(200, byId.status(), "GET /api/v1/kms/keys/:keyId is a route of its own");
        assertHeaders(byId, 2, 1);
        ApiClient.Answer write = encrypt(keyA);
        assertEquals(200, write.status());
        assertHeaders(write, 100, 99);
    }

    @Test
    void encryptOnAnyKeySharesOneCounterAndDecryptHasItsOwn() throws Exception {
        start(ServerProfile.CURRENT, RateLimits.perMinute(2, 100));
        ApiClient.Answer first = encrypt(keyA);
        assertHeaders(first, 2, 1);
        assertHeaders(encrypt(keyB), 2, 0);
        assertEquals(429, encrypt(keyA).status(), "the pattern is POST /api/v1/kms/keys/:keyId/encrypt");
        ApiClient.Answer decrypt = api.op(keyA, "decrypt", obj().put("ciphertext", first.text("ciphertext")));
        assertEquals(200, decrypt.status());
        assertHeaders(decrypt, 2, 1);
    }

    @Test
    void everyAnswerOfALimitedRouteCarriesTheHeadersCountingDown() throws Exception {
        start(ServerProfile.CURRENT, RateLimits.perMinute(5, 100));
        assertHeaders(encrypt(keyA), 5, 4);
        ApiClient.Answer unknownKey = encrypt("00000000-0000-0000-0000-000000000000");
        assertEquals(404, unknownKey.status());
        assertHeaders(unknownKey, 5, 3);
        ApiClient.Answer badId = encrypt("not-a-uuid");
        assertEquals(422, badId.status());
        assertHeaders(badId, 5, 2);
        kms.inject("POST", "/encrypt$", Fault.status(503), 1);
        ApiClient.Answer injected = encrypt(keyA);
        assertEquals(503, injected.status());
        assertHeaders(injected, 5, 1);
    }

    @Test
    void aWindowRestartsAtTheFirstRequestAfterItEnds() throws Exception {
        start(ServerProfile.CURRENT, RateLimits.perMinute(1, 100));
        assertEquals(200, encrypt(keyA).status());
        kms.advanceTime(Duration.ofSeconds(30));
        ApiClient.Answer stillRefused = encrypt(keyA);
        assertEquals(429, stillRefused.status());
        assertTrue(reset(stillRefused) <= 30, "half the window is gone: " + reset(stillRefused));
        kms.advanceTime(Duration.ofSeconds(30));
        ApiClient.Answer fresh = encrypt(keyA);
        assertEquals(200, fresh.status(), "the window has ended");
        assertHeaders(fresh, 1, 0);
        assertEquals(60, reset(fresh), "a new window starts at this request");
    }

    @Test
    void failedRequestsCountAndRefusedOnesNeverRun() throws Exception {
        start(ServerProfile.CURRENT, RateLimits.perMinute(2, 100));
        ApiClient.Answer noToken = new ApiClient(kms).op(keyA, "encrypt", obj().put("plaintext", "AQID"));
        assertEquals(401, noToken.status());
        assertHeaders(noToken, 2, 1);
        ApiClient.Answer invalid = api.op(keyA, "encrypt", obj().put("plaintext", "not base64!"));
        assertEquals(422, invalid.status());
        assertHeaders(invalid, 2, 0);
        ApiClient.Answer refused = new ApiClient(kms).op(keyA, "encrypt", obj().put("plaintext", "AQID"));
        assertEquals(429, refused.status(), "past the limit even without a token: the limiter runs first");

        List<RecordedRequest> log = kms.requests();
        assertEquals(List.of(false, false, true), log.stream().map(RecordedRequest::rateLimited).toList());
        assertEquals(429, log.get(2).status());
        assertTrue(log.get(2).toString().contains("rate limited"), log.get(2).toString());
    }

    @Test
    void unknownRoutesAreNotLimitedAndCarryNoHeaders() throws Exception {
        start(ServerProfile.CURRENT, RateLimits.perMinute(1, 1));
        for (int i = 0; i < 3; i++) {
            ApiClient.Answer missing = api.get("/api/v1/kms/no-such-route");
            assertEquals(404, missing.status());
            assertNull(missing.header("x-ratelimit-limit"));
            assertEquals(404, api.op(keyA, "rotate", obj()).status());
        }
        assertEquals(200, encrypt(keyA).status(), "the 404s counted nowhere");
    }

    @Test
    void currentServersAlsoLimitEachAddressOverAllRoutes() throws Exception {
        start(ServerProfile.CURRENT, RateLimits.perWindow(5, 5, Duration.ofSeconds(60)).withGlobal(8));
        String ct = null;
        for (int i = 0; i < 3; i++) {
            ct = encrypt(keyA).text("ciphertext");
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(200, api.op(keyA, "decrypt", obj().put("ciphertext", ct)).status());
        }
        assertEquals(200, list().status());
        ApiClient.Answer eighth = list();
        assertEquals(200, eighth.status());
        assertHeaders(eighth, 5, 3);
        ApiClient.Answer ninth = list();
        assertEquals(429, ninth.status(), "the list route has 3 left, but the address has none");
        assertRefusalHeaders(ninth, 8);
        assertEquals("Rate limit exceeded. Please try again in " + reset(ninth) + " seconds", ninth.text("message"));
    }

    @Test
    void aRouteRefusalCarriesTheRoutesHeadersEvenWhenTheGlobalBucketIsAlsoSpent() throws Exception {
        start(ServerProfile.CURRENT, RateLimits.perWindow(2, 5, Duration.ofSeconds(60)).withGlobal(3));
        encrypt(keyA);
        encrypt(keyA);
        ApiClient.Answer byRoute = encrypt(keyA);
        assertEquals(429, byRoute.status());
        assertRefusalHeaders(byRoute, 2);
        ApiClient.Answer byGlobal = list();
        assertEquals(429, byGlobal.status());
        assertRefusalHeaders(byGlobal, 3);
        ApiClient.Answer both = encrypt(keyA);
        assertEquals(429, both.status());
        assertRefusalHeaders(both, 2);
    }

    @Test
    void the2024ServerHasNoLimitOverAllRoutes() throws Exception {
        start(ServerProfile.INFISICAL_2024, RateLimits.perMinute(5, 5).withGlobal(2));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, encrypt(keyA).status());
            ApiClient.Answer l = list();
            assertEquals(200, l.status());
            assertHeaders(l, 5, 4 - i);
        }
    }

    @Test
    void thereAreNoLimitsUnlessAskedFor() throws Exception {
        kms = KmsEmulator.builder().seedKeys(false).start();
        assertNull(kms.rateLimits());
        api = new ApiClient(kms).login(kms);
        for (int i = 0; i < 70; i++) {
            ApiClient.Answer a = list();
            assertEquals(200, a.status());
            assertNull(a.header("x-ratelimit-limit"));
        }
        assertFalse(kms.requests().stream().anyMatch(RecordedRequest::rateLimited));
    }

    @Test
    void theBuilderSetsLimitsAndChangingThemAtRunTimeResetsEveryCounter() throws Exception {
        kms = KmsEmulator.builder().seedKeys(false).rateLimits(RateLimits.perMinute(2, 2)).start();
        assertEquals(RateLimits.perMinute(2, 2), kms.rateLimits());
        keyA = kms.importKey("a", "aes-256-gcm", new byte[32]);
        api = new ApiClient(kms).login(kms);
        assertEquals(200, encrypt(keyA).status());
        assertEquals(200, encrypt(keyA).status());
        assertEquals(429, encrypt(keyA).status());
        kms.rateLimits(RateLimits.perMinute(2, 2));
        assertHeaders(encrypt(keyA), 2, 1);
        kms.rateLimits(null);
        assertNull(kms.rateLimits());
        assertNull(encrypt(keyA).header("x-ratelimit-limit"));
    }
}
