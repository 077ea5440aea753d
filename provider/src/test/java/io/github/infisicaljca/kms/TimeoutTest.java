package io.github.infisicaljca.kms;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.infisicaljca.InfisicalConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The request timeout bounds a whole operation: a silent server, a dribbled body, retries with
 * their backoff and a re-login. Bounds are generous and enforced preemptively; nothing here
 * sleeps to prove a point.
 */
class TimeoutTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String ENCRYPT = "/api/v1/kms/keys/" + TestSupport.KEY_ID + "/encrypt";
    private static final String LOGIN = "/api/v1/auth/universal-auth/login";
    private static final String OK_BODY = "{\"ciphertext\":\"AQIDBA==\"}";
    private static final Duration GENEROUS = Duration.ofSeconds(5);

    private final TestSupport.RecordingSleeper sleeper = new TestSupport.RecordingSleeper();

    private static InfisicalConfig config(Duration requestTimeout, int maxRetries) {
        return TestSupport.config(wm.baseUrl()).accessToken(TestSupport.TOKEN)
                .requestTimeout(requestTimeout).maxRetries(maxRetries).build();
    }

    private KmsClient recordingClient(InfisicalConfig config) {
        return KmsClient.create(config, sleeper, new TestSupport.ManualClock()::nanos);
    }

    private static void encrypt(KmsClient c) throws KmsException {
        c.encrypt(TestSupport.KEY_ID, new byte[] {42});
    }

    private static ResponseDefinitionBuilder unavailable() {
        return aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                .withBody("{\"statusCode\":503,\"message\":\"down\",\"error\":\"ServiceUnavailable\"}");
    }

    private static int requests(String path) {
        return wm.findAll(postRequestedFor(urlEqualTo(path))).size();
    }

    @Test
    void silentServerTimesOutWithinTheRequestTimeout() throws Exception {
        wm.stubFor(post(urlEqualTo(ENCRYPT)).willReturn(okJson(OK_BODY).withFixedDelay(30_000)));
        try (KmsClient c = recordingClient(config(Duration.ofMillis(500), 3))) {
            KmsException e = assertTimeoutPreemptively(GENEROUS, () -> assertThrows(KmsException.class, () -> encrypt(c)));
            assertEquals(KmsException.Kind.TIMEOUT, e.kind());
            assertTrue(e.getMessage().contains("infisical.requestTimeoutMillis"), e.getMessage());
        }
        assertEquals(1, requests(ENCRYPT), "a timeout used the whole budget: no second attempt");
        assertEquals(List.of(), sleeper.waits);
    }

    @Test
    void slowlyDribbledBodyTimesOut() throws Exception {
        wm.stubFor(post(urlEqualTo(ENCRYPT)).willReturn(okJson(OK_BODY).withChunkedDribbleDelay(5, 20_000)));
        try (KmsClient c = recordingClient(config(Duration.ofMillis(500), 3))) {
            KmsException e = assertTimeoutPreemptively(GENEROUS, () -> assertThrows(KmsException.class, () -> encrypt(c)));
            assertEquals(KmsException.Kind.TIMEOUT, e.kind());
        }
        assertEquals(1, requests(ENCRYPT));
    }

    @Test
    void laterAttemptGetsOnlyWhatIsLeftOfTheBudget() throws Exception {
        // First attempt: a quick 503. Second: silence. The second attempt must not get a fresh budget.
        wm.stubFor(post(urlEqualTo(ENCRYPT)).inScenario("s").whenScenarioStateIs(STARTED)
                .willReturn(unavailable()).willSetStateTo("silent"));
        wm.stubFor(post(urlEqualTo(ENCRYPT)).inScenario("s").whenScenarioStateIs("silent")
                .willReturn(okJson(OK_BODY).withFixedDelay(30_000)));
        try (KmsClient c = recordingClient(config(Duration.ofMillis(800), 5))) {
            KmsException e = assertTimeoutPreemptively(GENEROUS, () -> assertThrows(KmsException.class, () -> encrypt(c)));
            assertEquals(KmsException.Kind.TIMEOUT, e.kind());
        }
        assertEquals(2, requests(ENCRYPT));
        assertEquals(1, sleeper.waits.size());
    }

    @Test
    void retriesWithRealBackoffStayWithinTheRequestTimeout() throws Exception {
        wm.stubFor(post(urlEqualTo(ENCRYPT)).willReturn(unavailable()));
        Duration requestTimeout = Duration.ofMillis(1500);
        try (KmsClient c = KmsClient.create(config(requestTimeout, 10))) {
            KmsException e = assertTimeoutPreemptively(requestTimeout.plusSeconds(1),
                    () -> assertThrows(KmsException.class, () -> encrypt(c)));
            // Either the last 503 (the next wait would pass the deadline) or a final attempt cut short.
            assertTrue(e instanceof KmsApiException ? ((KmsApiException) e).status() == 503
                    : e.kind() == KmsException.Kind.TIMEOUT, e.toString());
        }
        int attempts = requests(ENCRYPT);
        // Backoff of 100-200, 200-400, 400-800, 800-1600 ms: the budget ends the retries long before 11 attempts.
        assertTrue(attempts >= 2 && attempts <= 6, "attempts: " + attempts);
    }

    @Test
    void reLoginAfterRefusalStaysWithinTheRequestTimeout() throws Exception {
        wm.stubFor(post(urlEqualTo(LOGIN)).inScenario("login").whenScenarioStateIs(STARTED)
                .willReturn(okJson("{\"accessToken\":\"tok-1\",\"expiresIn\":3600,\"accessTokenMaxTTL\":86400}"))
                .willSetStateTo("slow"));
        wm.stubFor(post(urlEqualTo(LOGIN)).inScenario("login").whenScenarioStateIs("slow")
                .willReturn(okJson("{\"accessToken\":\"tok-2\",\"expiresIn\":3600,\"accessTokenMaxTTL\":86400}")
                        .withFixedDelay(30_000)));
        // The refusal itself arrives late: most of the budget is gone when the re-login starts.
        wm.stubFor(post(urlEqualTo(ENCRYPT)).withHeader("Authorization", equalTo("Bearer tok-1"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"statusCode\":401,\"message\":\"Token expired\",\"error\":\"UnauthorizedError\"}")
                        .withFixedDelay(1500)));
        Duration requestTimeout = Duration.ofMillis(2000);
        InfisicalConfig config = TestSupport.config(wm.baseUrl()).clientId(TestSupport.CLIENT_ID)
                .clientSecret(TestSupport.CLIENT_SECRET).requestTimeout(requestTimeout).maxRetries(3).build();
        try (KmsClient c = recordingClient(config)) {
            KmsException e = assertTimeoutPreemptively(requestTimeout.plusMillis(1000),
                    () -> assertThrows(KmsException.class, () -> encrypt(c)));
            assertEquals(KmsException.Kind.TIMEOUT, e.kind(), e.toString());
        }
        assertEquals(2, requests(LOGIN));
    }

    @Test
    void interruptedCallerGetsInterruptedAndKeepsItsFlag() throws Exception {
        wm.stubFor(post(urlEqualTo(ENCRYPT)).willReturn(okJson(OK_BODY).withFixedDelay(30_000)));
        try (KmsClient c = recordingClient(config(Duration.ofSeconds(20), 3))) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean flagAfter = new AtomicBoolean();
            Thread caller = new Thread(() -> {
                try {
                    encrypt(c);
                } catch (Throwable t) {
                    thrown.set(t);
                }
                flagAfter.set(Thread.currentThread().isInterrupted());
            }, "interrupted-caller");
            caller.start();
            assertTimeoutPreemptively(GENEROUS, () -> {
                while (requests(ENCRYPT) == 0) { // wait until the call is really blocked on the server
                    Thread.sleep(10);
                }
                caller.interrupt();
                caller.join();
            });
            KmsException e = assertInstanceOf(KmsException.class, thrown.get());
            assertEquals(KmsException.Kind.INTERRUPTED, e.kind());
            assertNotNull(e.getCause());
            assertTrue(flagAfter.get(), "the interrupt flag must be set again");
        }
    }

    @Test
    void alreadyInterruptedCallerDoesNotWaitForTheServer() throws Exception {
        wm.stubFor(post(urlEqualTo(ENCRYPT)).willReturn(okJson(OK_BODY).withFixedDelay(30_000)));
        try (KmsClient c = recordingClient(config(Duration.ofSeconds(20), 3))) {
            KmsException e = assertTimeoutPreemptively(GENEROUS, () -> {
                Thread.currentThread().interrupt();
                try {
                    return assertThrows(KmsException.class, () -> encrypt(c));
                } finally {
                    assertTrue(Thread.interrupted(), "flag still set (and cleared here for the next test)");
                }
            });
            assertEquals(KmsException.Kind.INTERRUPTED, e.kind());
        }
    }

    @Test
    void interruptDuringRetryWaitIsInterrupted() throws Exception {
        wm.stubFor(post(urlEqualTo(ENCRYPT)).willReturn(unavailable()));
        RequestExecutor.Sleeper interrupting = d -> {
            throw new InterruptedException("test");
        };
        try (KmsClient c = KmsClient.create(config(Duration.ofSeconds(10), 3), interrupting,
                new TestSupport.ManualClock()::nanos)) {
            KmsException e = assertThrows(KmsException.class, () -> encrypt(c));
            assertEquals(KmsException.Kind.INTERRUPTED, e.kind());
            assertTrue(Thread.interrupted(), "flag set again (and cleared here)");
        }
        assertEquals(1, requests(ENCRYPT));
    }
}
