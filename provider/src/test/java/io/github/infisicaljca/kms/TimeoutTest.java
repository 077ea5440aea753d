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
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.infisicaljca.InfisicalConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The request timeout bounds a whole operation: a silent server, a dribbled body, retries with
 * their backoff and a re-login. Nothing here sleeps to prove a point, and nothing asserts on the
 * time a call took: a server that stalls does so for far longer than the bound, so a client
 * without one gets an answer (and fails the test) instead of a timeout; the budget's arithmetic
 * is checked on a clock that only the client's waits (and the test) move.
 */
class TimeoutTest {
    private static final ServerTakes SERVER_TAKES = new ServerTakes();

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(SERVER_TAKES)).build();

    private static final String ENCRYPT = "/api/v1/kms/keys/" + TestSupport.KEY_ID + "/encrypt";
    private static final String LOGIN = "/api/v1/auth/universal-auth/login";
    private static final String OK_BODY = "{\"ciphertext\":\"AQIDBA==\"}";
    /** Only stops a hung test: far above any run, and above the 20-30 s the stalling servers here take. */
    private static final Duration GENEROUS = Duration.ofMinutes(1);

    /**
     * A stub with this listener takes {@code millis} of the client's (virtual) time to answer,
     * and no real time: the client's clock moves on just before the answer goes out.
     */
    static final class ServerTakes implements ServeEventListener {
        volatile TestSupport.VirtualTime clientTime;

        @Override
        public String getName() {
            return "server-takes";
        }

        @Override
        public boolean applyGlobally() {
            return false; // only the stubs that name it
        }

        @Override
        public void beforeResponseSent(ServeEvent event, Parameters parameters) {
            clientTime.advance(Duration.ofMillis(parameters.getInt("millis")));
        }
    }

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

    /**
     * First attempt: a 503 that takes 57 s of the call's minute (on the client's clock, in no real
     * time). Second: silence for 30 s. The second attempt gets what is left, under 3 s, and times
     * out; with a fresh minute of its own it would get the answer.
     */
    @Test
    void laterAttemptGetsOnlyWhatIsLeftOfTheBudget() throws Exception {
        wm.stubFor(post(urlEqualTo(ENCRYPT)).inScenario("s").whenScenarioStateIs(STARTED)
                .willReturn(unavailable()).willSetStateTo("silent")
                .withServeEventListener("server-takes", Parameters.one("millis", 57_000)));
        wm.stubFor(post(urlEqualTo(ENCRYPT)).inScenario("s").whenScenarioStateIs("silent")
                .willReturn(okJson(OK_BODY).withFixedDelay(30_000)));
        TestSupport.VirtualTime time = new TestSupport.VirtualTime();
        SERVER_TAKES.clientTime = time;
        try (KmsClient c = time.client(config(Duration.ofMinutes(1), 5))) {
            KmsException e = assertTimeoutPreemptively(GENEROUS, () -> assertThrows(KmsException.class, () -> encrypt(c)));
            assertEquals(KmsException.Kind.TIMEOUT, e.kind());
        }
        assertEquals(2, requests(ENCRYPT));
        assertEquals(1, time.waits.size());
    }

    /**
     * The waits the client chooses fit in its time bound: it does not start one that would end
     * past the deadline. On a clock that only its waits move, backoffs of 100-200, 200-400,
     * 400-800 and 800-1600 ms end the retries after three waits at most, long before the ten
     * allowed. (The requests themselves are timed on the system's clock, with what is left: on a
     * slow machine one may time out first, after fewer waits.)
     */
    @Test
    void retriesStopBeforeAWaitThatWouldPassTheRequestTimeout() throws Exception {
        wm.stubFor(post(urlEqualTo(ENCRYPT)).willReturn(unavailable()));
        Duration requestTimeout = Duration.ofMillis(1500);
        TestSupport.VirtualTime time = new TestSupport.VirtualTime();
        try (KmsClient c = time.client(config(requestTimeout, 10))) {
            KmsException e = assertThrows(KmsException.class, () -> encrypt(c));
            // Either the last 503 (the next wait would pass the deadline) or a final attempt cut short.
            assertTrue(e instanceof KmsApiException ? ((KmsApiException) e).status() == 503
                    : e.kind() == KmsException.Kind.TIMEOUT, e.toString());
        }
        Duration waited = time.waits.stream().reduce(Duration.ZERO, Duration::plus);
        assertTrue(waited.compareTo(requestTimeout) < 0, "waited " + waited + " of a " + requestTimeout + " bound: "
                + time.waits);
        assertTrue(time.waits.size() <= 3, "waits: " + time.waits);
    }

    /**
     * A re-login after a refused token spends the call's own time bound, not one of its own: when
     * the refusal arrives with none left (the server took 2.5 s of the call's 2 s, on the client's
     * clock), the re-login times out unsent. A re-login with a fresh budget would go out and get
     * the token the server has ready, and the call would succeed.
     */
    @Test
    void reLoginAfterRefusalSpendsTheCallsOwnTimeBound() throws Exception {
        wm.stubFor(post(urlEqualTo(LOGIN)).inScenario("login").whenScenarioStateIs(STARTED)
                .willReturn(okJson("{\"accessToken\":\"tok-1\",\"expiresIn\":3600,\"accessTokenMaxTTL\":86400}"))
                .willSetStateTo("second"));
        wm.stubFor(post(urlEqualTo(LOGIN)).inScenario("login").whenScenarioStateIs("second")
                .willReturn(okJson("{\"accessToken\":\"tok-2\",\"expiresIn\":3600,\"accessTokenMaxTTL\":86400}")));
        wm.stubFor(post(urlEqualTo(ENCRYPT)).withHeader("Authorization", equalTo("Bearer tok-1"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"statusCode\":401,\"message\":\"Token expired\",\"error\":\"UnauthorizedError\"}"))
                .withServeEventListener("server-takes", Parameters.one("millis", 2500)));
        wm.stubFor(post(urlEqualTo(ENCRYPT)).withHeader("Authorization", equalTo("Bearer tok-2"))
                .willReturn(okJson(OK_BODY)));
        InfisicalConfig config = TestSupport.config(wm.baseUrl()).clientId(TestSupport.CLIENT_ID)
                .clientSecret(TestSupport.CLIENT_SECRET).requestTimeout(Duration.ofMillis(2000)).maxRetries(3).build();
        TestSupport.VirtualTime time = new TestSupport.VirtualTime();
        SERVER_TAKES.clientTime = time;
        try (KmsClient c = time.client(config)) {
            KmsException e = assertThrows(KmsException.class, () -> encrypt(c));
            assertEquals(KmsException.Kind.TIMEOUT, e.kind(), e.toString());
            assertEquals("login", e.operation(), "the re-login is what found no time left: " + e);
        }
        assertEquals(1, requests(LOGIN), "no re-login was sent");
        assertEquals(1, requests(ENCRYPT));
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
