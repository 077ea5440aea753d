package io.github.infisicaljca.kms;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.infisicaljca.InfisicalConfig;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The contract's retry rules, observed through request counts and the waits the executor asks for. */
class RetryTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String ENCRYPT = "/api/v1/kms/keys/" + TestSupport.KEY_ID + "/encrypt";
    private static final String CREATE = "/api/v1/kms/keys";
    private static final byte[] CIPHERTEXT = {1, 2, 3, 4};
    private static final String OK_BODY = "{\"ciphertext\":\"AQIDBA==\"}";
    private static final String KEY_BODY = "{\"key\":{\"id\":\"" + TestSupport.KEY_ID + "\",\"name\":\"k1\","
            + "\"projectId\":\"" + TestSupport.PROJECT_ID + "\",\"isDisabled\":false,"
            + "\"encryptionAlgorithm\":\"aes-256-gcm\"}}";

    /** Records the waits and is the client's clock: only they move it, so each is exactly what the client chose. */
    private final TestSupport.VirtualTime sleeper = new TestSupport.VirtualTime();

    private KmsClient client(int maxRetries) {
        return client(TestSupport.config(wm.baseUrl()).accessToken(TestSupport.TOKEN).maxRetries(maxRetries).build());
    }

    private KmsClient client(InfisicalConfig config) {
        return sleeper.client(config);
    }

    private static byte[] encrypt(KmsClient c) throws KmsException {
        return c.encrypt(TestSupport.KEY_ID, new byte[] {42});
    }

    private static ResponseDefinitionBuilder error(int status, String error, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"statusCode\":" + status + ",\"message\":\"" + message + "\",\"error\":\"" + error + "\"}");
    }

    /** First answer {@code first}, every later one 200. */
    private static void firstThenOk(String path, ResponseDefinitionBuilder first, String okBody) {
        wm.stubFor(post(urlEqualTo(path)).inScenario("retry").whenScenarioStateIs(STARTED)
                .willReturn(first).willSetStateTo("answered"));
        wm.stubFor(post(urlEqualTo(path)).inScenario("retry").whenScenarioStateIs("answered")
                .willReturn(okJson(okBody)));
    }

    private static int requests(String path) {
        return wm.findAll(postRequestedFor(urlEqualTo(path))).size();
    }

    @ParameterizedTest
    @CsvSource({"429,RateLimitExceeded", "500,InternalServerError", "502,BadGateway", "503,ServiceUnavailable",
            "504,GatewayTimeout"})
    void retryableStatusIsRetriedOnceThenSucceeds(int status, String error) throws Exception {
        firstThenOk(ENCRYPT, error(status, error, "transient trouble"), OK_BODY);
        try (KmsClient c = client(3)) {
            assertArrayEquals(CIPHERTEXT, encrypt(c));
        }
        assertEquals(2, requests(ENCRYPT));
        assertEquals(1, sleeper.waits.size(), "one wait between the two attempts");
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "MALFORMED_RESPONSE_CHUNK"})
    void brokenConnectionIsRetried(Fault fault) throws Exception {
        firstThenOk(ENCRYPT, aResponse().withFault(fault), OK_BODY);
        try (KmsClient c = client(3)) {
            assertArrayEquals(CIPHERTEXT, encrypt(c));
        }
        assertEquals(2, requests(ENCRYPT));
        assertEquals(1, sleeper.waits.size());
    }

    @Test
    void refusedConnectionIsConnectAfterMaxRetriesPlusOneAttempts() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        InfisicalConfig config = TestSupport.config("http://127.0.0.1:" + closedPort)
                .accessToken(TestSupport.TOKEN).maxRetries(2).build();
        try (KmsClient c = client(config)) {
            KmsException e = assertThrows(KmsException.class, () -> encrypt(c));
            assertEquals(KmsException.Kind.CONNECT, e.kind());
            assertTrue(e.isTransient());
        }
        // Three attempts are separated by exactly two waits.
        assertEquals(2, sleeper.waits.size(), "waits: " + sleeper.waits);
    }

    /**
     * A name that does not resolve is a configuration error in practice, and the JVM caches the
     * failed lookup (10 s by default), so a retry within the time bound would only ask the cache.
     */
    @Test
    void anUnresolvableHostIsSaidSoAndNotRetried() throws Exception {
        String host = "kms.infisical-jca.invalid"; // RFC 6761: .invalid never resolves
        InfisicalConfig config = TestSupport.config("https://" + host).accessToken(TestSupport.TOKEN).maxRetries(3).build();
        try (KmsClient c = client(config)) {
            KmsException e = assertThrows(KmsException.class, () -> encrypt(c));
            assertEquals(KmsException.Kind.CONNECT, e.kind());
            assertTrue(e.getMessage().contains("the host name " + host + " does not resolve"), e.getMessage());
            assertTrue(e.getMessage().contains("infisical.url"), e.getMessage());
            assertFalse(e.getMessage().contains("cannot connect"), e.getMessage());
        }
        assertEquals(List.of(), sleeper.waits, "not retried");
    }

    @ParameterizedTest
    @CsvSource({"400,BadRequest,Key is disabled", "401,ValidationFailure,Invalid base64",
            "403,PermissionDenied,You are not allowed to encrypt", "404,NotFound,Key not found",
            "422,ValidationFailure,Invalid request body"})
    void otherClientErrorsAreNeverRetried(int status, String error, String message) throws Exception {
        wm.stubFor(post(urlEqualTo(ENCRYPT)).willReturn(error(status, error, message)));
        try (KmsClient c = client(3)) {
            KmsApiException e = assertThrows(KmsApiException.class, () -> encrypt(c));
            assertEquals(status, e.status());
            assertEquals(error, e.error());
            assertEquals(message, e.serverMessage());
        }
        assertEquals(1, requests(ENCRYPT));
        assertEquals(List.of(), sleeper.waits);
    }

    @Test
    void retriesAreBoundedByMaxRetriesAndTheLastFailureIsThrown() throws Exception {
        for (int i = 1; i <= 4; i++) {
            wm.stubFor(post(urlEqualTo(ENCRYPT)).inScenario("always-503")
                    .whenScenarioStateIs(i == 1 ? STARTED : "attempt-" + i)
                    .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                            .withBody("{\"statusCode\":503,\"message\":\"down\",\"error\":\"ServiceUnavailable\","
                                    + "\"reqId\":\"req-" + i + "\"}"))
                    .willSetStateTo("attempt-" + (i + 1)));
        }
        try (KmsClient c = client(2)) {
            KmsApiException e = assertThrows(KmsApiException.class, () -> encrypt(c));
            assertEquals(503, e.status());
            assertEquals(Optional.of("req-3"), e.reqId(), "the third (last) answer is the one thrown");
        }
        assertEquals(3, requests(ENCRYPT));
        assertEquals(2, sleeper.waits.size());
    }

    @Test
    void backoffGrowsExponentiallyWithJitterUpToTheCap() throws Exception {
        wm.stubFor(post(urlEqualTo(ENCRYPT)).willReturn(error(503, "ServiceUnavailable", "down")));
        // Up to 21 s of waits: a time bound that holds them all.
        try (KmsClient c = client(TestSupport.config(wm.baseUrl()).accessToken(TestSupport.TOKEN).maxRetries(8)
                .requestTimeout(Duration.ofMinutes(1)).build())) {
            assertThrows(KmsApiException.class, () -> encrypt(c));
        }
        assertEquals(9, requests(ENCRYPT));
        long[] nominal = {200, 400, 800, 1600, 3200, 5000, 5000, 5000};
        assertEquals(nominal.length, sleeper.waits.size());
        for (int i = 0; i < nominal.length; i++) {
            long ms = sleeper.waits.get(i).toMillis();
            assertTrue(ms >= nominal[i] / 2 && ms <= nominal[i],
                    "wait " + i + " = " + ms + " ms, expected within [" + nominal[i] / 2 + ", " + nominal[i] + "]");
        }
    }

    @Test
    void backoffIsJittered() {
        RetryPolicy policy = RetryPolicy.standard(3);
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Duration d = policy.backoff(2);
            assertTrue(d.toMillis() >= 400 && d.toMillis() <= 800, d.toString());
            seen.add(d);
        }
        assertTrue(seen.size() > 10, "200 draws gave only " + seen.size() + " distinct waits");
    }

    @Test
    void retryAfterSecondsIsHonoured() throws Exception {
        firstThenOk(ENCRYPT, error(429, "RateLimitExceeded", "Rate limit exceeded").withHeader("Retry-After", "2"),
                OK_BODY);
        try (KmsClient c = client(3)) {
            assertArrayEquals(CIPHERTEXT, encrypt(c));
        }
        assertWaitedUntil(Duration.ofSeconds(2));
        assertEquals(2, requests(ENCRYPT));
    }

    @Test
    void aDecryptTheServerRefusesWith500IsRetriedOnceNotMaxRetriesTimes() throws Exception {
        String decrypt = "/api/v1/kms/keys/" + TestSupport.KEY_ID + "/decrypt";
        wm.stubFor(post(urlEqualTo(decrypt)).willReturn(error(500, "InternalServerError", "Something went wrong")));
        try (KmsClient c = client(3)) {
            KmsApiException e = assertThrows(KmsApiException.class, () -> c.decrypt(TestSupport.KEY_ID, CIPHERTEXT));
            assertEquals(500, e.status());
        }
        assertEquals(2, requests(decrypt));
        assertEquals(1, sleeper.waits.size());
    }

    @Test
    void retryAfterIsHonouredOn503Too() throws Exception {
        firstThenOk(ENCRYPT, error(503, "ServiceUnavailable", "maintenance").withHeader("Retry-After", "3"), OK_BODY);
        try (KmsClient c = client(3)) {
            assertArrayEquals(CIPHERTEXT, encrypt(c));
        }
        assertEquals(List.of(Duration.ofSeconds(3)), sleeper.waits);
    }

    /**
     * The client reads the date against the wall clock at some moment between {@code sent} and
     * {@code answered}, and its own clock moves only by its waits: so it waits until the date
     * from that moment, which bounds the wait from both sides on the same clock. A minute ahead
     * (within a two-minute time bound), the date stays far above the 100-200 ms first backoff
     * however long the answer takes to arrive.
     */
    @Test
    void retryAfterHttpDateIsHonoured() throws Exception {
        ZonedDateTime sent = ZonedDateTime.now(ZoneOffset.UTC);
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(sent.plusMinutes(1));
        ZonedDateTime when = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME); // whole seconds
        firstThenOk(ENCRYPT, error(429, "RateLimitExceeded", "Rate limit exceeded").withHeader("Retry-After", date),
                OK_BODY);
        try (KmsClient c = client(TestSupport.config(wm.baseUrl()).accessToken(TestSupport.TOKEN).maxRetries(3)
                .requestTimeout(Duration.ofMinutes(2)).build())) {
            assertArrayEquals(CIPHERTEXT, encrypt(c));
        }
        ZonedDateTime answered = ZonedDateTime.now(ZoneOffset.UTC);
        assertEquals(1, sleeper.waits.size(), "waits: " + sleeper.waits);
        Duration wait = sleeper.waits.get(0);
        assertTrue(wait.compareTo(Duration.between(sent, when)) <= 0
                && wait.compareTo(Duration.between(answered, when)) >= 0, "waited " + wait + " for " + date
                        + ", asked between " + sent + " and " + answered);
        assertEquals(2, requests(ENCRYPT));
    }

    @Test
    void tryAgainTextIsHonouredWithoutHeader() throws Exception {
        firstThenOk(ENCRYPT, error(429, "RateLimitExceeded", "Rate limit exceeded. Please try again in 3 seconds"),
                OK_BODY);
        try (KmsClient c = client(3)) {
            assertArrayEquals(CIPHERTEXT, encrypt(c));
        }
        assertWaitedUntil(Duration.ofSeconds(3));
        assertEquals(2, requests(ENCRYPT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"header", "text"})
    void retryAfterBeyondTheRequestTimeoutFailsAtOnce(String how) throws Exception {
        ResponseDefinitionBuilder tooLong = how.equals("header")
                ? error(429, "RateLimitExceeded", "Rate limit exceeded").withHeader("Retry-After", "60")
                : error(429, "RateLimitExceeded", "Rate limit exceeded. Please try again in 60 seconds");
        firstThenOk(ENCRYPT, tooLong, OK_BODY);
        try (KmsClient c = client(3)) { // request timeout 10 s
            RateLimitedException e = assertThrows(RateLimitedException.class, () -> encrypt(c));
            assertEquals(429, e.status());
            assertTrue(e.isRateLimited());
            assertEquals(Optional.of(Duration.ofSeconds(60)), e.resetIn());
        }
        assertEquals(List.of(), sleeper.waits);
        assertEquals(1, requests(ENCRYPT));
    }

    /**
     * One wait, until {@code asked} after the refusal: the rate limiter sleeps until the window
     * the server named, and on the client's clock no time passes between the refusal's arrival
     * and the retry but the wait itself (not the 100-200 ms of a first backoff).
     */
    private void assertWaitedUntil(Duration asked) {
        assertEquals(List.of(asked), sleeper.waits, "one wait, for the window " + asked + " away");
    }

    private static CreateKeyRequest newKey() {
        return CreateKeyRequest.builder(TestSupport.PROJECT_ID, "k1").algorithm("aes-256-gcm").build();
    }

    @Test
    void createKeyIsNotRetriedOnServerError() throws Exception {
        firstThenOk(CREATE, error(500, "InternalServerError", "Something went wrong"), KEY_BODY);
        try (KmsClient c = client(3)) {
            KmsApiException e = assertThrows(KmsApiException.class, () -> c.createKey(newKey()));
            assertEquals(500, e.status());
        }
        assertEquals(1, requests(CREATE));
        assertEquals(List.of(), sleeper.waits);
    }

    @Test
    void createKeyIsNotRetriedAfterConnectionReset() throws Exception {
        firstThenOk(CREATE, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), KEY_BODY);
        try (KmsClient c = client(3)) {
            KmsException e = assertThrows(KmsException.class, () -> c.createKey(newKey()));
            assertEquals(KmsException.Kind.IO, e.kind());
        }
        assertEquals(1, requests(CREATE));
        assertEquals(List.of(), sleeper.waits);
    }

    @Test
    void createKeyIsRetriedOnRateLimit() throws Exception {
        firstThenOk(CREATE, error(429, "RateLimitExceeded", "Rate limit exceeded").withHeader("Retry-After", "1"),
                KEY_BODY);
        try (KmsClient c = client(3)) {
            KmsKey key = c.createKey(newKey());
            assertEquals(TestSupport.KEY_ID, key.id());
            assertEquals("aes-256-gcm", key.algorithm());
        }
        assertEquals(2, requests(CREATE));
        assertWaitedUntil(Duration.ofSeconds(1));
    }

    @Test
    void zeroMaxRetriesMeansOneAttempt() throws Exception {
        firstThenOk(ENCRYPT, error(503, "ServiceUnavailable", "down"), OK_BODY);
        try (KmsClient c = client(0)) {
            KmsApiException e = assertThrows(KmsApiException.class, () -> encrypt(c));
            assertEquals(503, e.status());
        }
        assertEquals(1, requests(ENCRYPT));
        assertEquals(List.of(), sleeper.waits);
    }
}
