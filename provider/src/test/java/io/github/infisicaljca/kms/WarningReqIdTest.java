package io.github.infisicaljca.kms;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every WARNING the client logs about a server's answer names Infisical's {@code reqId}, so an
 * operator can find the request in the server's logs: retries of a 500, a rate limit waited
 * for, a retry given up because its wait passes the time bound, and a failed token renewal.
 * {@link System.Logger} maps to java.util.logging here, so a handler on the provider's JUL
 * logger sees the records.
 */
class WarningReqIdTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String ENCRYPT = "/api/v1/kms/keys/" + TestSupport.KEY_ID + "/encrypt";
    private static final String LOGIN = "/api/v1/auth/universal-auth/login";
    private static final String RENEW = "/api/v1/auth/token/renew";
    private static final byte[] CIPHERTEXT = {1, 2, 3};
    private static final ResponseDefinitionBuilder ENCRYPTED = okJson("{\"ciphertext\":\"AQID\"}");

    /** Strong reference: JUL holds loggers weakly, and a collected logger loses its handler. */
    private final Logger ours = Logger.getLogger("io.github.infisicaljca");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final TestSupport.VirtualTime time = new TestSupport.VirtualTime();

    @BeforeEach
    void capture() {
        handler.setLevel(Level.ALL);
        ours.addHandler(handler);
    }

    @AfterEach
    void release() {
        ours.removeHandler(handler);
    }

    private static ResponseDefinitionBuilder error(int status, String error, String reqId) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"reqId\":\"" + reqId + "\",\"statusCode\":" + status + ",\"message\":\"it failed\","
                        + "\"error\":\"" + error + "\"}");
    }

    private static void firstThen(String path, ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        wm.stubFor(post(urlEqualTo(path)).inScenario(path).whenScenarioStateIs(STARTED).willReturn(first)
                .willSetStateTo("then"));
        wm.stubFor(post(urlEqualTo(path)).inScenario(path).whenScenarioStateIs("then").willReturn(then));
    }

    private KmsClient staticTokenClient() {
        return time.client(TestSupport.config(wm.baseUrl()).accessToken(TestSupport.TOKEN).maxRetries(3).build());
    }

    private List<String> warnings() {
        SimpleFormatter f = new SimpleFormatter();
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(f::formatMessage).collect(Collectors.toList());
    }

    /** At least one WARNING was logged, it says {@code about}, and every WARNING names {@code reqId}. */
    private void assertWarningsName(String reqId, String about) {
        List<String> w = warnings();
        assertFalse(w.isEmpty(), "a WARNING was logged");
        assertTrue(w.stream().anyMatch(m -> m.contains(about)), "a WARNING says '" + about + "': " + w);
        for (String m : w) {
            assertTrue(m.contains("(reqId " + reqId + ")"), "the WARNING names the reqId: " + m);
        }
    }

    @Test
    void aRetriedServerErrorNamesItsReqId() throws Exception {
        firstThen(ENCRYPT, error(500, "InternalServerError", "req-500-a1"), ENCRYPTED);
        try (KmsClient c = staticTokenClient()) {
            assertArrayEquals(CIPHERTEXT, c.encrypt(TestSupport.KEY_ID, new byte[] {42}));
        }
        assertWarningsName("req-500-a1", "retry 1 of 3 in");
    }

    @Test
    void aRateLimitWaitedForNamesItsReqId() throws Exception {
        ResponseDefinitionBuilder refusal = error(429, "RateLimitError", "req-429-b2")
                .withHeader("retry-after", "2").withHeader("x-ratelimit-limit", "200")
                .withHeader("x-ratelimit-remaining", "0").withHeader("x-ratelimit-reset", "2");
        firstThen(ENCRYPT, refusal, ENCRYPTED);
        try (KmsClient c = staticTokenClient()) {
            assertArrayEquals(CIPHERTEXT, c.encrypt(TestSupport.KEY_ID, new byte[] {42}));
        }
        assertEquals(List.of(Duration.ofSeconds(2)), time.waits, "the refusal was waited for, on the virtual clock");
        assertWarningsName("req-429-b2", "when the window reopens");
        assertTrue(warnings().stream().noneMatch(m -> m.contains("To stay within the budget")),
                "the log says what happened, the exception what to do: " + warnings());
    }

    @Test
    void aRetryGivenUpForTheTimeBoundNamesItsReqId() {
        wm.stubFor(post(urlEqualTo(ENCRYPT)).willReturn(error(503, "ServiceUnavailable", "req-503-c3")
                .withHeader("Retry-After", "3600")));
        try (KmsClient c = staticTokenClient()) {
            KmsApiException e = assertThrows(KmsApiException.class, () -> c.encrypt(TestSupport.KEY_ID, new byte[] {42}));
            assertEquals(Optional.of("req-503-c3"), e.reqId());
        }
        assertWarningsName("req-503-c3", "would pass the request timeout");
    }

    @Test
    void aFailedTokenRenewalNamesTheReqIdOfTheFailure() throws Exception {
        String token = "{\"accessToken\":\"tok-1\",\"expiresIn\":3000,\"accessTokenMaxTTL\":86400,\"tokenType\":\"Bearer\"}";
        wm.stubFor(post(urlEqualTo(LOGIN)).withHeader("Authorization", absent()).inScenario("login")
                .whenScenarioStateIs(STARTED).willReturn(okJson(token)).willSetStateTo("refusing"));
        // The renewal is refused (INFO: log in again), and so is that login: the renewal failed.
        wm.stubFor(post(urlEqualTo(LOGIN)).inScenario("login").whenScenarioStateIs("refusing")
                .willReturn(error(400, "BadRequest", "req-login-d4")));
        wm.stubFor(post(urlEqualTo(RENEW)).willReturn(error(401, "UnauthorizedError", "req-renew-d4")));
        wm.stubFor(post(urlEqualTo(ENCRYPT)).willReturn(ENCRYPTED));
        try (KmsClient c = time.client(TestSupport.universalAuth(wm.baseUrl()))) {
            c.encrypt(TestSupport.KEY_ID, new byte[] {42});
            time.advance(Duration.ofSeconds(2010)); // past 2/3 of the 3000 s lifetime: renew
            assertArrayEquals(CIPHERTEXT, c.encrypt(TestSupport.KEY_ID, new byte[] {42}),
                    "the still-valid token is used when renewal fails");
        }
        assertWarningsName("req-login-d4", "renewing the Infisical access token failed");
        List<String> infos = records.stream().filter(r -> r.getLevel() == Level.INFO)
                .map(new SimpleFormatter()::formatMessage).collect(Collectors.toList());
        assertTrue(infos.stream().anyMatch(m -> m.contains("token renewal refused") && m.contains("req-renew-d4")),
                "the refused renewal is an INFO naming its reqId: " + infos);
    }
}
