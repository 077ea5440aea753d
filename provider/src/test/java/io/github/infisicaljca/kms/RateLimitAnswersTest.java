package io.github.infisicaljca.kms;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalProvider;
import java.security.Key;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every answer shape a rate limit can take, and the answers that only look like one: the 2024
 * server's 500 with {@code retry-after}, newer servers' 429 (with and without the header), a
 * 500 without the headers (the server's own failure: a rejected ciphertext), the last request
 * a window allows, and the client's own count of a spent budget.
 */
class RateLimitAnswersTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String ENCRYPT = "/api/v1/kms/keys/" + TestSupport.KEY_ID + "/encrypt";
    private static final String DECRYPT = "/api/v1/kms/keys/" + TestSupport.KEY_ID + "/decrypt";
    private static final byte[] CIPHERTEXT = new byte[48];
    private static final String KEY_BODY = "{\"key\":{\"id\":\"" + TestSupport.KEY_ID + "\",\"name\":\"app-data\","
            + "\"projectId\":\"" + TestSupport.PROJECT_ID + "\",\"isDisabled\":false,"
            + "\"encryptionAlgorithm\":\"aes-256-gcm\"}}";

    /** The client's time: it moves only by the waits the client chooses, so they are exact. */
    private final TestSupport.VirtualTime time = new TestSupport.VirtualTime();

    private InfisicalConfig config(int maxRetries) {
        return TestSupport.config(wm.baseUrl()).accessToken(TestSupport.TOKEN).maxRetries(maxRetries).build();
    }

    private KmsClient client() {
        return time.client(config(3));
    }

    /** The 2024 server past its limit: a 500 like any other, told apart by its headers alone. */
    private static ResponseDefinitionBuilder refusal2024(int seconds) {
        return limits(aResponse().withStatus(500), 200, 0, seconds).withHeader("retry-after", String.valueOf(seconds))
                .withHeader("Content-Type", "application/json")
                .withBody("{\"statusCode\":500,\"message\":\"Something went wrong\",\"error\":\"InternalServerError\"}");
    }

    /** Newer servers past their limit. */
    private static ResponseDefinitionBuilder refusal429(int seconds, boolean retryAfter) {
        ResponseDefinitionBuilder r = limits(aResponse().withStatus(429), 200, 0, seconds)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"reqId\":\"req-rl1\",\"statusCode\":429,\"message\":\"Rate limit exceeded. Please try again in "
                        + seconds + " seconds\",\"error\":\"RateLimitError\"}");
        return retryAfter ? r.withHeader("retry-after", String.valueOf(seconds)) : r;
    }

    private static ResponseDefinitionBuilder limits(ResponseDefinitionBuilder r, int limit, int remaining, int reset) {
        return r.withHeader("x-ratelimit-limit", String.valueOf(limit))
                .withHeader("x-ratelimit-remaining", String.valueOf(remaining))
                .withHeader("x-ratelimit-reset", String.valueOf(reset));
    }

    private static ResponseDefinitionBuilder serverError() {
        return aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                .withBody("{\"statusCode\":500,\"message\":\"Something went wrong\",\"error\":\"InternalServerError\"}");
    }

    private static void firstThenOk(String path, ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        wm.stubFor(post(urlEqualTo(path)).inScenario("s").whenScenarioStateIs(STARTED).willReturn(first)
                .willSetStateTo("then"));
        wm.stubFor(post(urlEqualTo(path)).inScenario("s").whenScenarioStateIs("then").willReturn(then));
    }

    private static int requests(String path) {
        return wm.findAll(postRequestedFor(urlEqualTo(path))).size();
    }

    @Test
    void the2024RefusalIsARateLimitNamingTheLimitTheResetAndTheRemedy() {
        wm.stubFor(post(urlEqualTo(DECRYPT)).willReturn(refusal2024(49)));
        try (KmsClient c = client()) {
            RateLimitedException e = assertThrows(RateLimitedException.class, () -> c.decrypt(TestSupport.KEY_ID, CIPHERTEXT));
            assertEquals(KmsException.Kind.RATE_LIMITED, e.kind());
            assertTrue(e.isRateLimited() && e.refusedByServer() && !e.isTransient() && !e.overall());
            assertEquals(500, e.status());
            assertEquals(OptionalInt.of(200), e.limit());
            assertEquals(Optional.of(Duration.ofSeconds(49)), e.resetIn());
            assertEquals("POST /v1/kms/keys/{keyId}/decrypt", e.route());
            String m = e.getMessage();
            for (String part : List.of("decrypt", TestSupport.KEY_ID, "HTTP 500", "retry-after", "200 requests a window",
                    "POST /v1/kms/keys/{keyId}/decrypt", "resets in 49 s", "INFISICAL-ENVELOPE", "dataKeyCache",
                    "raise the server's limits", "infisical.requestTimeoutMillis")) {
                assertTrue(m.contains(part), "'" + part + "' in: " + m);
            }
            assertFalse(m.contains("altered") || m.contains("ciphertext was"), m);
        }
        assertEquals(1, requests(DECRYPT), "the window reopens after the 10 s time bound: no retry, no wait");
        assertEquals(List.of(), time.waits);
    }

    @Test
    void atTheJcaTheRefusalIsNeverABadTag() throws Exception {
        wm.stubFor(get(urlEqualTo("/api/v1/kms/keys/" + TestSupport.KEY_ID)).willReturn(okJson(KEY_BODY)));
        wm.stubFor(post(urlEqualTo(DECRYPT)).willReturn(refusal2024(49)));
        InfisicalProvider provider = new InfisicalProvider(config(3));
        Key key = provider.key(TestSupport.KEY_ID);
        Cipher aes = Cipher.getInstance("INFISICAL-AES", provider);
        aes.init(Cipher.DECRYPT_MODE, key);
        IllegalBlockSizeException e = assertThrows(IllegalBlockSizeException.class, () -> aes.doFinal(CIPHERTEXT));
        assertSame(IllegalBlockSizeException.class, e.getClass(), "not an AEADBadTagException");
        assertInstanceOf(RateLimitedException.class, e.getCause());
        assertTrue(e.getMessage().contains("rate limited"), e.getMessage());
    }

    @Test
    void aServerErrorWithoutRateLimitHeadersIsARejectedCiphertext() throws Exception {
        wm.stubFor(get(urlEqualTo("/api/v1/kms/keys/" + TestSupport.KEY_ID)).willReturn(okJson(KEY_BODY)));
        wm.stubFor(post(urlEqualTo(DECRYPT)).willReturn(serverError()));
        try (KmsClient c = client()) {
            KmsApiException e = assertThrows(KmsApiException.class, () -> c.decrypt(TestSupport.KEY_ID, CIPHERTEXT));
            assertEquals(500, e.status());
            assertFalse(e.isRateLimited());
        }
        assertEquals(2, requests(DECRYPT), "a decrypt's 500 is retried once, not as a rate limit");

        InfisicalProvider provider = new InfisicalProvider(config(0));
        Cipher aes = Cipher.getInstance("INFISICAL-AES", provider);
        aes.init(Cipher.DECRYPT_MODE, provider.key(TestSupport.KEY_ID));
        assertThrows(AEADBadTagException.class, () -> aes.doFinal(CIPHERTEXT));
    }

    @Test
    void theLastRequestAWindowAllowsCarriesRemainingZeroAndMayFailForItsOwnReason() {
        wm.stubFor(post(urlEqualTo(DECRYPT)).willReturn(limits(serverError(), 200, 0, 30)));
        try (KmsClient c = client()) {
            KmsApiException e = assertThrows(KmsApiException.class, () -> c.decrypt(TestSupport.KEY_ID, CIPHERTEXT));
            assertEquals(500, e.status(), "no retry-after: the handler's own 500, not the limiter's");
        }
        assertEquals(1, requests(DECRYPT), "its retry waits for the next window, 30 s away: past the time bound");
    }

    @Test
    void a2024RefusalWithAShortWindowIsWaitedForThenTheCallSucceeds() throws Exception {
        firstThenOk(ENCRYPT, refusal2024(2), okJson("{\"ciphertext\":\"AQID\"}"));
        try (KmsClient c = client()) {
            assertArrayEquals(new byte[] {1, 2, 3}, c.encrypt(TestSupport.KEY_ID, new byte[] {42}));
        }
        assertEquals(2, requests(ENCRYPT));
        assertEquals(List.of(Duration.ofSeconds(2)), time.waits, "exactly the window the refusal named");
    }

    @Test
    void a429WithAndWithoutRetryAfterIsARateLimit() {
        for (boolean header : new boolean[] {true, false}) {
            wm.resetAll();
            wm.stubFor(post(urlEqualTo(ENCRYPT)).willReturn(refusal429(40, header)));
            try (KmsClient c = client()) {
                RateLimitedException e = assertThrows(RateLimitedException.class,
                        () -> c.encrypt(TestSupport.KEY_ID, new byte[] {42}));
                assertEquals(429, e.status());
                assertEquals(Optional.of(Duration.ofSeconds(40)), e.resetIn(), "header " + header);
                assertEquals(Optional.of("req-rl1"), e.reqId());
                assertTrue(e.getMessage().contains("HTTP 429 RateLimitError"), e.getMessage());
            }
            assertEquals(1, requests(ENCRYPT));
        }
    }

    @Test
    void a429ThatSaysNothingIsBackedOffAndEndsAsARateLimit() {
        wm.stubFor(post(urlEqualTo(ENCRYPT)).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"statusCode\":429,\"message\":\"Too many requests\",\"error\":\"RateLimitError\"}")));
        try (KmsClient c = client()) {
            RateLimitedException e = assertThrows(RateLimitedException.class,
                    () -> c.encrypt(TestSupport.KEY_ID, new byte[] {42}));
            assertEquals(Optional.empty(), e.resetIn());
            assertTrue(e.getMessage().contains("did not say when"), e.getMessage());
        }
        assertEquals(4, requests(ENCRYPT), "maxRetries 3");
        assertEquals(3, time.waits.size());
    }

    @Test
    void a503WithRetryAfterButNoRateLimitHeadersIsAServerAskingForTime() throws Exception {
        firstThenOk(ENCRYPT, aResponse().withStatus(503).withHeader("retry-after", "3")
                .withHeader("Content-Type", "application/json")
                .withBody("{\"statusCode\":503,\"message\":\"maintenance\",\"error\":\"ServiceUnavailable\"}"),
                okJson("{\"ciphertext\":\"AQID\"}"));
        try (KmsClient c = client()) {
            assertArrayEquals(new byte[] {1, 2, 3}, c.encrypt(TestSupport.KEY_ID, new byte[] {42}));
        }
        assertEquals(List.of(Duration.ofSeconds(3)), time.waits);
    }

    @Test
    void aBudgetTheServerSaidIsSpentIsRefusedHereWithoutSending() throws Exception {
        wm.stubFor(post(urlEqualTo(ENCRYPT)).willReturn(limits(okJson("{\"ciphertext\":\"AQID\"}"), 200, 0, 40)));
        try (KmsClient c = client()) {
            c.encrypt(TestSupport.KEY_ID, new byte[] {42});
            RateLimitedException e = assertThrows(RateLimitedException.class,
                    () -> c.encrypt(TestSupport.KEY_ID, new byte[] {42}));
            assertEquals(0, e.status());
            assertFalse(e.refusedByServer());
            assertTrue(e.getMessage().contains("nothing was sent"), e.getMessage());
            assertTrue(e.getMessage().contains("200 requests a window"), e.getMessage());
            assertEquals(1, requests(ENCRYPT));

            List<RequestBudget> budgets = c.requestBudgets();
            assertEquals(1, budgets.size());
            assertEquals("POST /v1/kms/keys/{keyId}/encrypt", budgets.get(0).route());
            assertEquals(200, budgets.get(0).limit());
            assertEquals(0, budgets.get(0).remaining());
        }
    }

    @Test
    void aBudgetThatReopensWithinTheTimeBoundIsWaitedFor() throws Exception {
        wm.stubFor(post(urlEqualTo(ENCRYPT)).willReturn(limits(okJson("{\"ciphertext\":\"AQID\"}"), 200, 0, 2)));
        try (KmsClient c = client()) {
            c.encrypt(TestSupport.KEY_ID, new byte[] {42});
            c.encrypt(TestSupport.KEY_ID, new byte[] {42});
        }
        assertEquals(2, requests(ENCRYPT));
        assertEquals(1, time.waits.size(), "the second waited for the next window instead of being refused");
    }

    @Test
    void aWindowOpeningTooCloseToTheTimeBoundIsNotWaitedFor() throws Exception {
        // 10 s time bound; the window ends 8 s (+1 s, for rounding) from now: the request would
        // have 1 s left, less than the 2 s a call keeps for its own exchange. Refused at once, unsent.
        wm.stubFor(post(urlEqualTo(ENCRYPT)).willReturn(limits(okJson("{\"ciphertext\":\"AQID\"}"), 200, 0, 8)));
        try (KmsClient c = client()) {
            c.encrypt(TestSupport.KEY_ID, new byte[] {42});
            RateLimitedException e = assertThrows(RateLimitedException.class,
                    () -> c.encrypt(TestSupport.KEY_ID, new byte[] {42}));
            assertFalse(e.refusedByServer());
        }
        assertEquals(1, requests(ENCRYPT));
        assertEquals(List.of(), time.waits);
    }

    @Test
    void absurdHeadersAreClampedNotThrown() {
        firstThenOk(ENCRYPT, aResponse().withStatus(429).withHeader("retry-after", "9223372036854775807")
                .withHeader("x-ratelimit-reset", "99999999999999999999").withHeader("x-ratelimit-limit", "-5"),
                okJson("{\"ciphertext\":\"AQID\"}"));
        try (KmsClient c = client()) {
            RateLimitedException e = assertThrows(RateLimitedException.class,
                    () -> c.encrypt(TestSupport.KEY_ID, new byte[] {42}));
            assertEquals(Optional.of(RateLimitHeaders.MAX_WAIT), e.resetIn());
        }
        wm.resetAll();
        firstThenOk(DECRYPT, aResponse().withStatus(429).withHeader("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT"),
                okJson("{\"plaintext\":\"AQ==\"}"));
        try (KmsClient c = client()) {
            RateLimitedException e = assertThrows(RateLimitedException.class,
                    () -> c.decrypt(TestSupport.KEY_ID, CIPHERTEXT));
            assertEquals(Optional.of(RateLimitHeaders.MAX_WAIT), e.resetIn());
        }
    }
}
