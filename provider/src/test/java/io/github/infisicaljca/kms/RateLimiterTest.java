package io.github.infisicaljca.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The limiter between threads and a server: many threads against an in-memory server that
 * counts as Infisical does (fixed windows from the first request after the last one ended,
 * headers on every answer, refusals past the limit), and the overall (all routes) budget.
 */
class RateLimiterTest {
    private static final ApiCall ENCRYPT = ApiCall.post("encrypt", TestSupport.KEY_ID,
            "/v1/kms/keys/" + TestSupport.KEY_ID + "/encrypt", JsonNodeFactory.instance.objectNode());
    private static final ApiCall DECRYPT = ApiCall.post("decrypt", TestSupport.KEY_ID,
            "/v1/kms/keys/" + TestSupport.KEY_ID + "/decrypt", JsonNodeFactory.instance.objectNode());

    /** Infisical's limiter in miniature: one route, one address, on the wall clock. */
    static final class FixedWindowServer {
        private final int limit;
        private final long window;
        private long start;
        private int count;
        final AtomicInteger served = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();

        FixedWindowServer(int limit, Duration window) {
            this.limit = limit;
            this.window = window.toNanos();
        }

        synchronized HttpTransport.Response answer() {
            long now = System.nanoTime();
            if (count == 0 || now - start >= window) {
                start = now;
                count = 0;
            }
            count++;
            long reset = (start + window - now + 999_999_999) / 1_000_000_000;
            Map<String, List<String>> h = new LinkedHashMap<>();
            h.put("x-ratelimit-limit", List.of(String.valueOf(limit)));
            h.put("x-ratelimit-remaining", List.of(String.valueOf(Math.max(0, limit - count))));
            h.put("x-ratelimit-reset", List.of(String.valueOf(reset)));
            if (count > limit) {
                refused.incrementAndGet();
                h.put("retry-after", List.of(String.valueOf(reset)));
                return response(429, h, "{\"statusCode\":429,\"message\":\"Rate limit exceeded. Please try again in "
                        + reset + " seconds\",\"error\":\"RateLimitError\"}");
            }
            served.incrementAndGet();
            return response(200, h, "{\"ciphertext\":\"AQID\"}");
        }
    }

    static HttpTransport.Response response(int status, Map<String, List<String>> headers, String body) {
        return new HttpTransport.Response(status, HttpHeaders.of(headers, (k, v) -> true),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** One call as the executor makes it: a permit, the answer, the answer reported. */
    private static void call(RateLimiter limiter, FixedWindowServer server, ApiCall call, long deadline)
            throws KmsException {
        RateLimiter.Ticket permit = limiter.acquire(call, deadline);
        HttpTransport.Response r = server.answer();
        if (r.status() == 200) {
            limiter.answered(permit, r);
            return;
        }
        KmsException e = ErrorResponses.toException(call, r, t -> t);
        limiter.refused(permit, assertInstanceOf(RateLimitedException.class, e), Duration.ofMillis(100));
        throw e;
    }

    @Test
    void threadsQueueForTheBudgetInsteadOfSpendingItOnRefusals() throws Exception {
        FixedWindowServer server = new FixedWindowServer(10, Duration.ofSeconds(1));
        RateLimiter limiter = new RateLimiter(System::nanoTime,
                d -> TimeUnit.NANOSECONDS.sleep(d.toNanos()));
        long stop = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3500);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refusedHere = new AtomicInteger();
        List<Throwable> unexpected = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < stop) {
                        try {
                            call(limiter, server, ENCRYPT, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500));
                            ok.incrementAndGet();
                        } catch (RateLimitedException e) {
                            if (e.refusedByServer()) {
                                synchronized (unexpected) {
                                    unexpected.add(e);
                                }
                                return null;
                            }
                            refusedHere.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), unexpected, "the server refused nothing: the threads waited for its windows");
        assertEquals(0, server.refused.get());
        assertEquals(ok.get(), server.served.get());
        assertTrue(ok.get() >= 10, "at least the first window's budget was used: " + ok.get());
        assertTrue(refusedHere.get() > 0, "32 threads want more than 10 a second: some were refused unsent");
    }

    @Test
    void aRefusalOfTheOverallBudgetHoldsEveryRoute() throws Exception {
        TestSupport.RecordingSleeper sleeper = new TestSupport.RecordingSleeper();
        RateLimiter limiter = new RateLimiter(System::nanoTime, sleeper);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        RateLimiter.Ticket first = limiter.acquire(ENCRYPT, deadline);
        limiter.answered(first, response(200, Map.of("x-ratelimit-limit", List.of("200"),
                "x-ratelimit-remaining", List.of("199"), "x-ratelimit-reset", List.of("59")), "{}"));
        RateLimiter.Ticket second = limiter.acquire(ENCRYPT, deadline);
        HttpTransport.Response overall = response(429, Map.of("x-ratelimit-limit", List.of("600"),
                "x-ratelimit-remaining", List.of("0"), "x-ratelimit-reset", List.of("40"),
                "retry-after", List.of("40")), "{\"statusCode\":429,\"error\":\"RateLimitError\"}");
        limiter.refused(second, (RateLimitedException) ErrorResponses.toException(ENCRYPT, overall, t -> t),
                Duration.ofMillis(100));

        RateLimitedException e = assertThrows(RateLimitedException.class, () -> limiter.acquire(DECRYPT, deadline));
        assertTrue(e.overall());
        assertEquals(0, e.status(), "refused here, unsent");
        assertTrue(e.getMessage().contains("overall limit of 600 requests a window"), e.getMessage());
        assertEquals(List.of(), sleeper.waits);

        long later = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        limiter.acquire(DECRYPT, later);
        assertEquals(1, sleeper.waits.size(), "with time to spare, the call waits out the overall block");
        assertTrue(sleeper.waits.get(0).compareTo(Duration.ofSeconds(39)) > 0, sleeper.waits.toString());
    }

    @Test
    void budgetsListEachRouteAsTheServerLastAnnouncedIt() throws Exception {
        RateLimiter limiter = new RateLimiter(System::nanoTime, new TestSupport.RecordingSleeper());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        limiter.answered(limiter.acquire(ENCRYPT, deadline), response(200, Map.of("x-ratelimit-limit", List.of("200"),
                "x-ratelimit-remaining", List.of("150"), "x-ratelimit-reset", List.of("30")), "{}"));
        limiter.answered(limiter.acquire(DECRYPT, deadline), response(200, Map.of(), "{}"));
        List<RequestBudget> budgets = limiter.budgets();
        assertEquals(2, budgets.size());
        assertEquals("POST /v1/kms/keys/{keyId}/decrypt", budgets.get(0).route());
        assertEquals(-1, budgets.get(0).limit());
        RequestBudget encrypt = budgets.get(1);
        assertEquals("POST /v1/kms/keys/{keyId}/encrypt", encrypt.route());
        assertEquals(200, encrypt.limit());
        assertEquals(150, encrypt.remaining());
        assertTrue(encrypt.resetIn().compareTo(Duration.ofSeconds(29)) > 0, encrypt.toString());
    }
}
