package io.github.infisicaljca.kms;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Universal Auth: login, reuse, renewal at 2/3 of the TTL, re-login after a refusal, single flight, masking. */
class UniversalAuthTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String ENCRYPT = "/api/v1/kms/keys/" + TestSupport.KEY_ID + "/encrypt";
    private static final String LOGIN = "/api/v1/auth/universal-auth/login";
    private static final String RENEW = "/api/v1/auth/token/renew";
    private static final byte[] CIPHERTEXT = {1, 2, 3, 4};
    private static final String LOGIN_BODY = "{\"clientId\":\"" + TestSupport.CLIENT_ID + "\",\"clientSecret\":\""
            + TestSupport.CLIENT_SECRET + "\"}";

    /** Only stops a hung test: far above any run of the threads it bounds. */
    private static final Duration HUNG = Duration.ofMinutes(1);

    private final TestSupport.RecordingSleeper sleeper = new TestSupport.RecordingSleeper();
    private final TestSupport.ManualClock clock = new TestSupport.ManualClock();

    private KmsClient client() {
        return KmsClient.create(TestSupport.universalAuth(wm.baseUrl()), sleeper, clock::nanos);
    }

    private static byte[] encrypt(KmsClient c) throws KmsException {
        return c.encrypt(TestSupport.KEY_ID, new byte[] {42});
    }

    private static String tokenJson(String token, long expiresIn, long maxTtl) {
        return "{\"accessToken\":\"" + token + "\",\"expiresIn\":" + expiresIn + ",\"accessTokenMaxTTL\":" + maxTtl
                + ",\"tokenType\":\"Bearer\"}";
    }

    /** Successive logins answer tok-1, tok-2, ...; logins after the first take {@code laterDelayMs}. */
    private static void logins(long expiresIn, long maxTtl, int laterDelayMs) {
        for (int i = 1; i <= 4; i++) {
            wm.stubFor(post(urlEqualTo(LOGIN)).withRequestBody(equalToJson(LOGIN_BODY))
                    .withHeader("Authorization", absent())
                    .inScenario("login").whenScenarioStateIs(i == 1 ? STARTED : "login-" + i)
                    .willReturn(okJson(tokenJson("tok-" + i, expiresIn, maxTtl)).withFixedDelay(i == 1 ? 0 : laterDelayMs))
                    .willSetStateTo("login-" + (i + 1)));
        }
    }

    private static void logins() {
        logins(3000, 86400, 0);
    }

    private static ResponseDefinitionBuilder error(int status, String error, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"statusCode\":" + status + ",\"message\":\"" + message + "\",\"error\":\"" + error + "\"}");
    }

    private static void kms(String token, ResponseDefinitionBuilder answer) {
        wm.stubFor(post(urlEqualTo(ENCRYPT)).withHeader("Authorization", equalTo("Bearer " + token)).willReturn(answer));
    }

    private static void kmsAccepts(String token) {
        kms(token, okJson("{\"ciphertext\":\"AQIDBA==\"}"));
    }

    private static int requests(String path) {
        return wm.findAll(postRequestedFor(urlEqualTo(path))).size();
    }

    private static int kmsRequestsWith(String token) {
        return wm.findAll(postRequestedFor(urlEqualTo(ENCRYPT))
                .withHeader("Authorization", equalTo("Bearer " + token))).size();
    }

    @Test
    void firstCallLogsInAndLaterCallsReuseTheToken() throws Exception {
        logins();
        kmsAccepts("tok-1");
        try (KmsClient c = client()) {
            assertEquals(0, requests(LOGIN), "nothing is sent before the first call");
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(CIPHERTEXT, encrypt(c));
            }
        }
        assertEquals(1, requests(LOGIN));
        assertEquals(5, kmsRequestsWith("tok-1"));
        assertEquals(5, requests(ENCRYPT));
    }

    @Test
    void renewsAfterTwoThirdsOfTheTtlAndUsesTheRenewedToken() throws Exception {
        logins();
        wm.stubFor(post(urlEqualTo(RENEW)).withRequestBody(equalToJson("{\"accessToken\":\"tok-1\"}"))
                .willReturn(okJson(tokenJson("renewed-1", 3000, 86400))));
        kmsAccepts("tok-1");
        kmsAccepts("renewed-1");
        try (KmsClient c = client()) {
            encrypt(c);
            clock.advance(Duration.ofSeconds(1990)); // just before 2/3 of 3000 s
            encrypt(c);
            assertEquals(0, requests(RENEW));
            clock.advance(Duration.ofSeconds(20)); // 2010 s: past 2/3
            encrypt(c);
            encrypt(c);
        }
        assertEquals(1, requests(RENEW));
        assertEquals(1, requests(LOGIN));
        assertEquals(2, kmsRequestsWith("tok-1"));
        assertEquals(2, kmsRequestsWith("renewed-1"), "the renewing caller itself uses the renewed token");
    }

    @Test
    void expiryPinnedToMaxTtlSkipsRenewalAndLogsIn() throws Exception {
        logins(3000, 3000, 0); // expiresIn == accessTokenMaxTTL: renewal cannot extend it
        wm.stubFor(post(urlEqualTo(RENEW)).willReturn(okJson(tokenJson("renewed", 3000, 3000))));
        kmsAccepts("tok-1");
        kmsAccepts("tok-2");
        try (KmsClient c = client()) {
            encrypt(c);
            clock.advance(Duration.ofSeconds(2010));
            encrypt(c);
        }
        assertEquals(0, requests(RENEW));
        assertEquals(2, requests(LOGIN));
        assertEquals(1, kmsRequestsWith("tok-2"));
    }

    @Test
    void renewalThatReachesTheMaxTtlIsFollowedByALogin() throws Exception {
        logins(3000, 4000, 0);
        wm.stubFor(post(urlEqualTo(RENEW)).willReturn(okJson(tokenJson("renewed-1", 3000, 4000))));
        kmsAccepts("tok-1");
        kmsAccepts("renewed-1");
        kmsAccepts("tok-2");
        try (KmsClient c = client()) {
            encrypt(c);
            clock.advance(Duration.ofSeconds(2010)); // renew: the new expiry is capped at 4000 s after login
            encrypt(c);
            clock.advance(Duration.ofSeconds(1390)); // 3400 s: past 2/3 of the rest, renewal can no longer help
            encrypt(c);
        }
        assertEquals(1, requests(RENEW));
        assertEquals(2, requests(LOGIN));
        assertEquals(1, kmsRequestsWith("renewed-1"));
        assertEquals(1, kmsRequestsWith("tok-2"));
    }

    @Test
    void refusedRenewalFallsBackToLogin() throws Exception {
        logins();
        wm.stubFor(post(urlEqualTo(RENEW)).willReturn(error(401, "UnauthorizedError", "Token revoked")));
        kmsAccepts("tok-1");
        kmsAccepts("tok-2");
        try (KmsClient c = client()) {
            encrypt(c);
            clock.advance(Duration.ofSeconds(2010));
            assertArrayEquals(CIPHERTEXT, encrypt(c));
        }
        assertEquals(1, requests(RENEW));
        assertEquals(2, requests(LOGIN));
        assertEquals(1, kmsRequestsWith("tok-2"));
    }

    @Test
    void renewalThatCannotReachTheServerIsNotRetriedOnEveryCall() throws Exception {
        logins();
        wm.stubFor(post(urlEqualTo(RENEW)).willReturn(aResponse()
                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        kmsAccepts("tok-1");
        try (KmsClient c = client()) {
            encrypt(c);
            clock.advance(Duration.ofSeconds(2010)); // past 2/3 of 3000 s; usable until 2990 s
            assertArrayEquals(CIPHERTEXT, encrypt(c), "the still-valid token is used when renewal fails");
            int firstAttempt = requests(RENEW);
            assertTrue(firstAttempt >= 1);
            encrypt(c);
            encrypt(c);
            assertEquals(firstAttempt, requests(RENEW), "no renewal storm: the next try waits");
            clock.advance(Duration.ofSeconds(250)); // a quarter of the 980 s that were left
            encrypt(c);
            assertEquals(2 * firstAttempt, requests(RENEW));
        }
        assertEquals(1, requests(LOGIN));
        assertEquals(5, kmsRequestsWith("tok-1"));
    }

    @Test
    void expiredTokenIsReplacedByALoginBeforeTheCall() throws Exception {
        logins();
        wm.stubFor(post(urlEqualTo(RENEW)).willReturn(okJson(tokenJson("renewed", 3000, 86400))));
        kmsAccepts("tok-1");
        kmsAccepts("tok-2");
        try (KmsClient c = client()) {
            encrypt(c);
            clock.advance(Duration.ofSeconds(3001));
            encrypt(c);
        }
        assertEquals(2, requests(LOGIN));
        assertEquals(0, requests(RENEW), "an expired token cannot be renewed");
        assertEquals(1, kmsRequestsWith("tok-1"), "the expired token is never sent");
        assertEquals(1, kmsRequestsWith("tok-2"));
    }

    @Test
    void unauthorizedGivesExactlyOneLoginAndOneRetry() throws Exception {
        logins();
        kms("tok-1", error(401, "UnauthorizedError", "Token expired"));
        kmsAccepts("tok-2");
        try (KmsClient c = client()) {
            assertArrayEquals(CIPHERTEXT, encrypt(c));
        }
        assertEquals(2, requests(LOGIN));
        assertEquals(1, kmsRequestsWith("tok-1"));
        assertEquals(1, kmsRequestsWith("tok-2"));
        assertEquals(List.of(), sleeper.waits, "a re-login is not a backoff retry");
    }

    @Test
    void secondRefusalAfterReLoginIsThrownWithoutLooping() throws Exception {
        logins();
        kms("tok-1", error(401, "UnauthorizedError", "Token expired"));
        kms("tok-2", error(401, "UnauthorizedError", "Token expired"));
        kmsAccepts("tok-3");
        try (KmsClient c = client()) {
            KmsApiException e = assertThrows(KmsApiException.class, () -> encrypt(c));
            assertEquals(401, e.status());
            assertTrue(e.isAuthenticationFailure());
        }
        assertEquals(2, requests(LOGIN));
        assertEquals(2, requests(ENCRYPT));
    }

    @Test
    void tokenErrorAlsoTriggersReLogin() throws Exception {
        logins();
        kms("tok-1", error(403, "TokenError", "Your token has expired. Please re-authenticate."));
        kmsAccepts("tok-2");
        try (KmsClient c = client()) {
            assertArrayEquals(CIPHERTEXT, encrypt(c));
        }
        assertEquals(2, requests(LOGIN));
        assertEquals(2, requests(ENCRYPT));
    }

    @Test
    void validationFailureIsNotAnAuthenticationProblem() throws Exception {
        logins();
        kms("tok-1", error(401, "ValidationFailure", "plaintext: Invalid base64"));
        kmsAccepts("tok-2");
        try (KmsClient c = client()) {
            KmsApiException e = assertThrows(KmsApiException.class, () -> encrypt(c));
            assertEquals(401, e.status());
            assertTrue(e.isValidationFailure());
            assertFalse(e.isAuthenticationFailure());
        }
        assertEquals(1, requests(LOGIN));
        assertEquals(1, requests(ENCRYPT));
    }

    @Test
    void staticTokenRefusalIsThrownWithoutAnyLogin() throws Exception {
        logins();
        kms(TestSupport.TOKEN, error(401, "UnauthorizedError", "Token revoked"));
        try (KmsClient c = KmsClient.create(TestSupport.staticToken(wm.baseUrl()), sleeper, clock::nanos)) {
            KmsApiException e = assertThrows(KmsApiException.class, () -> encrypt(c));
            assertEquals(401, e.status());
        }
        assertEquals(0, requests(LOGIN));
        assertEquals(1, requests(ENCRYPT));
    }

    /** Runs {@code task} on {@code n} threads released together; returns their futures. */
    private static <T> List<Future<T>> together(int n, Callable<T> task, ExecutorService pool) {
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return task.call();
            }));
        }
        assertTimeoutPreemptively(HUNG, () -> ready.await());
        go.countDown();
        return futures;
    }

    @Test
    void refusedTokenIsReplacedByOneLoginSharedByAllThreads() throws Exception {
        logins(3000, 86400, 300); // the re-login takes a while, so the others really have to wait for it
        wm.stubFor(get(urlEqualTo("/api/v1/kms/keys/" + TestSupport.KEY_ID + "/public-key"))
                .willReturn(okJson("{\"publicKey\":\"AQID\"}")));
        kms("tok-1", error(401, "UnauthorizedError", "Token expired"));
        kmsAccepts("tok-2");
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try (KmsClient c = client()) {
            c.publicKey(TestSupport.KEY_ID); // logs in: tok-1, which the encrypt route now refuses
            assertEquals(1, requests(LOGIN));
            List<Future<byte[]>> results = together(32, () -> encrypt(c), pool);
            assertTimeoutPreemptively(HUNG, () -> {
                for (Future<byte[]> f : results) {
                    assertArrayEquals(CIPHERTEXT, f.get());
                }
            });
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, requests(LOGIN), "exactly ONE re-login shared by the 32 threads");
        assertEquals(32, kmsRequestsWith("tok-2"));
        assertEquals(0, kmsRequestsWith("tok-3"));
    }

    /**
     * The login is slow, so that most threads wait for it; a thread the machine starts only after
     * it failed meets the pause instead, which carries the same failure (on the manual clock the
     * pause does not end by itself). Either way: one login, and every thread told why it failed.
     */
    @Test
    void failedLoginReachesEveryWaitingThreadAndTheNextCallTriesAgainAfterAPause() throws Exception {
        wm.stubFor(post(urlEqualTo(LOGIN)).willReturn(
                error(404, "NotFound", "No identity with specified client ID was found").withFixedDelay(500)));
        kmsAccepts("tok-1");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (KmsClient c = client()) {
            List<Future<byte[]>> results = together(8, () -> encrypt(c), pool);
            assertTimeoutPreemptively(HUNG, () -> {
                for (Future<byte[]> f : results) {
                    ExecutionException e = assertThrows(ExecutionException.class, f::get);
                    KmsException failure = assertInstanceOf(KmsException.class, e.getCause());
                    KmsApiException api = assertInstanceOf(KmsApiException.class,
                            failure instanceof KmsApiException ? failure : failure.getCause(), failure.toString());
                    assertEquals(404, api.status());
                    assertTrue(api.serverMessage().contains("No identity"), api.serverMessage());
                }
            });
            assertEquals(1, requests(LOGIN), "one login attempt shared by all eight threads");
            assertEquals(0, requests(ENCRYPT));

            wm.stubFor(post(urlEqualTo(LOGIN)).willReturn(okJson(tokenJson("tok-1", 3000, 86400))));
            KmsException paused = assertThrows(KmsException.class, () -> encrypt(c));
            assertTrue(paused.getMessage().contains("logins pause"), paused.getMessage());
            assertTrue(paused.getMessage().contains("No identity"), "says why the last one failed: " + paused.getMessage());
            assertEquals(404, assertInstanceOf(KmsApiException.class, paused.getCause()).status());
            assertEquals(1, requests(LOGIN), "within the pause, no login is sent");

            clock.advance(Duration.ofSeconds(1));
            assertArrayEquals(CIPHERTEXT, encrypt(c));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, requests(LOGIN), "a failed login is not kept: after the pause the next call logs in again");
    }

    @Test
    void aWrongSecretCostsTheServerOneLoginPerPauseNotOnePerCall() throws Exception {
        wm.stubFor(post(urlEqualTo(LOGIN)).willReturn(error(401, "UnauthorizedError", "Invalid credentials")));
        kmsAccepts("tok-1");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (KmsClient c = client()) {
            long[] expected = {1, 2, 2, 3, 4, 5, 6, 7, 7};
            // Pauses double from 1 s: logins at 0, 1, 3, 7, 15, 31, 61 and 91 s (30 s at most), one per pause.
            long[] advanceSeconds = {0, 1, 1, 1, 4, 8, 16, 30, 1};
            for (int step = 0; step < expected.length; step++) {
                clock.advance(Duration.ofSeconds(advanceSeconds[step]));
                List<Future<byte[]>> results = together(16, () -> {
                    for (int i = 0; i < 10; i++) {
                        try {
                            encrypt(c);
                        } catch (KmsException expectedFailure) {
                            // every call fails: the secret is wrong
                        }
                    }
                    return null;
                }, pool);
                for (Future<byte[]> f : results) {
                    f.get();
                }
                assertEquals(expected[step], requests(LOGIN), "logins after step " + step + " (160 calls per step)");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, requests(ENCRYPT));
    }

    @Test
    void secretsNeverShowInToStringOrExceptions() throws Exception {
        InfisicalConfig ua = TestSupport.universalAuth(wm.baseUrl());
        InfisicalConfig st = TestSupport.staticToken(wm.baseUrl());
        try (KmsClient uaClient = KmsClient.create(ua); KmsClient stClient = KmsClient.create(st)) {
            for (Object o : List.of(ua, st, uaClient, stClient)) {
                String s = o.toString();
                assertFalse(s.contains(TestSupport.CLIENT_SECRET) || s.contains(TestSupport.TOKEN), s);
                assertTrue(s.contains(Secret.MASK), s);
            }
        }
        // The server echoes the token in a refusal: the message masks it.
        logins();
        kms("tok-1", error(403, "PermissionDenied", "Token tok-1 may not encrypt with this key"));
        try (KmsClient c = client()) {
            KmsApiException e = assertThrows(KmsApiException.class, () -> encrypt(c));
            assertNoSecret(e, "tok-1");
        }
    }

    @Test
    void loginRefusalEchoingTheClientSecretIsMasked() throws Exception {
        wm.stubFor(post(urlEqualTo(LOGIN)).willReturn(error(401, "UnauthorizedError",
                "Invalid credentials for client secret " + TestSupport.CLIENT_SECRET)));
        try (KmsClient c = client()) {
            KmsApiException e = assertThrows(KmsApiException.class, () -> encrypt(c));
            assertEquals(401, e.status());
            assertNoSecret(e, TestSupport.CLIENT_SECRET);
        }
    }

    private static void assertNoSecret(KmsApiException e, String secret) {
        for (String text : new String[] {e.getMessage(), e.toString(), e.serverMessage()}) {
            assertFalse(text.contains(secret), text);
        }
        assertTrue(e.getMessage().contains(Secret.MASK), e.getMessage());
    }
}
