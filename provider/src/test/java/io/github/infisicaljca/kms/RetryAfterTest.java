package io.github.infisicaljca.kms;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code Retry-After} as a broken or hostile server may send it, on every answer that carries
 * one (a newer server's 429, the 2024 server's 500 refusal, a 503): a value past any long, a
 * date in year 9999, and zero. None may escape as an arithmetic error from a signing call, and
 * zero must not turn into a burst: the backoff, jittered, stays the floor.
 */
class RetryAfterTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String SIGN = "/api/v1/kms/keys/" + TestSupport.KEY_ID + "/sign";
    private static final String YEAR_9999 = "Fri, 31 Dec 9999 23:59:59 GMT";

    private final TestSupport.RecordingSleeper sleeper = new TestSupport.RecordingSleeper();

    private KmsClient client(int maxRetries) {
        return KmsClient.create(TestSupport.config(wm.baseUrl()).accessToken(TestSupport.TOKEN).maxRetries(maxRetries)
                .build(), sleeper, new TestSupport.ManualClock()::nanos);
    }

    private static byte[] sign(KmsClient c) throws KmsException {
        return c.sign(TestSupport.KEY_ID, SigningAlgorithm.RSASSA_PSS_SHA_256, new byte[] {1, 2, 3}, false);
    }

    /** 429 as newer servers refuse, 500 as the 2024 server refuses, 503 as a server in maintenance answers. */
    private static ResponseDefinitionBuilder answer(int status, String retryAfter) {
        String error = status == 429 ? "RateLimitError" : status == 500 ? "InternalServerError" : "ServiceUnavailable";
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("Retry-After", retryAfter)
                .withBody("{\"statusCode\":" + status + ",\"message\":\"Something went wrong\",\"error\":\"" + error + "\"}");
    }

    private static int requests() {
        return wm.findAll(postRequestedFor(urlEqualTo(SIGN))).size();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "429|9223372036854775807", "500|9223372036854775807", "503|9223372036854775807",
        "429|99999999999999999999999999", "503|99999999999999999999999999",
        "429|" + YEAR_9999, "500|" + YEAR_9999, "503|" + YEAR_9999})
    void aWaitPastAnyDeadlineFailsAtOnceAsTheServersAnswerNotAsArithmetic(int status, String retryAfter) {
        wm.stubFor(post(urlEqualTo(SIGN)).willReturn(answer(status, retryAfter)));
        try (KmsClient c = client(10)) {
            KmsException e = assertThrows(KmsException.class, () -> sign(c));
            if (status == 503) {
                KmsApiException api = assertInstanceOf(KmsApiException.class, e);
                assertEquals(503, api.status());
                assertEquals(Optional.of(RateLimitHeaders.MAX_WAIT), api.retryAfter(), "clamped, not overflowed");
            } else {
                RateLimitedException limited = assertInstanceOf(RateLimitedException.class, e);
                assertEquals(status, limited.status());
                assertEquals(Optional.of(RateLimitHeaders.MAX_WAIT), limited.resetIn(), "clamped, not overflowed");
            }
        }
        assertEquals(1, requests(), "a wait past the request timeout is not waited for, nor retried");
        assertEquals(List.of(), sleeper.waits);
    }

    /**
     * Every attempt after the first is sent at least the backoff floor after the one before:
     * measured on a clock the waits move on, from the end of one wait to the end of the next
     * (a recorded wait alone is shorter by the moment between a refusal and the next try).
     */
    @ParameterizedTest
    @ValueSource(ints = {429, 500, 503})
    void retryAfterZeroWaitsTheJitteredBackoffBeforeEachRetry(int status) {
        wm.stubFor(post(urlEqualTo(SIGN)).willReturn(answer(status, "0")));
        TestSupport.AdvancingSleeper time = new TestSupport.AdvancingSleeper();
        try (KmsClient c = KmsClient.create(TestSupport.config(wm.baseUrl()).accessToken(TestSupport.TOKEN)
                .maxRetries(10).requestTimeout(Duration.ofMinutes(2)).build(), time, System::nanoTime, time::nanos)) {
            assertThrows(KmsException.class, () -> sign(c));
        }
        assertEquals(11, requests());
        assertEquals(10, time.wokeAt.size(), "one wait before each retry");
        long[] nominal = {200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000, 5000};
        Set<Long> gaps = new HashSet<>();
        for (int i = 1; i < nominal.length; i++) {
            long gap = (time.wokeAt.get(i) - time.wokeAt.get(i - 1)) / 1_000_000;
            assertTrue(gap >= nominal[i] / 2, "retry " + (i + 1) + " came " + gap + " ms after the one before, under the "
                    + "backoff floor of " + nominal[i] / 2 + " ms");
            gaps.add(gap);
        }
        assertTrue(gaps.size() > 4, "the waits are jittered, not one fixed value: " + gaps);
    }
}
