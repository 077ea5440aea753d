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
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The limiter between threads and a server: many threads against an in-memory server that
 * counts as Infisical does (fixed windows from the first request after the last one ended,
 * headers on every answer, refusals past the limit), and the overall (all routes) budget. All
 * on clocks of the test's, so what is asserted does not depend on the machine's speed.
 */
class RateLimiterTest {
    private static final ApiCall ENCRYPT = ApiCall.post("encrypt", TestSupport.KEY_ID,
            "/v1/kms/keys/" + TestSupport.KEY_ID + "/encrypt", JsonNodeFactory.instance.objectNode());
    private static final ApiCall DECRYPT = ApiCall.post("decrypt", TestSupport.KEY_ID,
            "/v1/kms/keys/" + TestSupport.KEY_ID + "/decrypt", JsonNodeFactory.instance.objectNode());

    /** Infisical's limiter in miniature: one route, one address, on the given clock. */
    static final class FixedWindowServer {
        private final int limit;
        private final long window;
        private final LongSupplier clock;
        private long start;
        private int count;
        final AtomicInteger served = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();

        FixedWindowServer(int limit, Duration window, LongSupplier clock) {
            this.limit = limit;
            this.window = window.toNanos();
            this.clock = clock;
        }

        synchronized HttpTransport.Response answer() {
            long now = clock.getAsLong();
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

    /**
     * 32 threads for 3.5 s of virtual time, which stands still while any thread works: so a
     * permit is always used in the instant it was had, and the counts below hold for any
     * interleaving (the first window's 10 permits go at once; the other 22 threads find its end,
     * the announced second plus one for rounding, past what their 2.5 s bound may wait for).
     */
    @Test
    void threadsQueueForTheBudgetInsteadOfSpendingItOnRefusals() throws Exception {
        int threads = 32;
        SharedVirtualTime time = new SharedVirtualTime(threads);
        FixedWindowServer server = new FixedWindowServer(10, Duration.ofSeconds(1), time::nanos);
        RateLimiter limiter = new RateLimiter(time::nanos, time);
        long stop = time.nanos() + TimeUnit.MILLISECONDS.toNanos(3500);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refusedHere = new AtomicInteger();
        List<Throwable> unexpected = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    try {
                        while (time.nanos() < stop) {
                            try {
                                call(limiter, server, ENCRYPT, time.nanos() + TimeUnit.MILLISECONDS.toNanos(2500));
                                ok.incrementAndGet();
                            } catch (RateLimitedException e) {
                                if (e.refusedByServer()) {
                                    synchronized (unexpected) {
                                        unexpected.add(e);
                                    }
                                    return null;
                                }
                                refusedHere.incrementAndGet();
                                time.sleep(Duration.ofMillis(100)); // as a caller would: a refusal unsent is instant
                            }
                        }
                        return null;
                    } finally {
                        time.done();
                    }
                }));
            }
            for (Future<?> f : workers) {
                f.get(2, TimeUnit.MINUTES); // only stops a hung test: the run takes no real time to speak of
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
        TestSupport.ManualClock clock = new TestSupport.ManualClock();
        RateLimiter limiter = new RateLimiter(clock::nanos, sleeper);
        long deadline = clock.nanos() + TimeUnit.SECONDS.toNanos(15);
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

        long later = clock.nanos() + TimeUnit.SECONDS.toNanos(60);
        limiter.acquire(DECRYPT, later);
        assertEquals(List.of(Duration.ofSeconds(40)), sleeper.waits, "with time to spare, the call waits out the overall block");
    }

    @Test
    void budgetsListEachRouteAsTheServerLastAnnouncedIt() throws Exception {
        TestSupport.ManualClock clock = new TestSupport.ManualClock();
        RateLimiter limiter = new RateLimiter(clock::nanos, new TestSupport.RecordingSleeper());
        long deadline = clock.nanos() + TimeUnit.SECONDS.toNanos(15);
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
        assertEquals(Duration.ofSeconds(30), encrypt.resetIn(), encrypt.toString());
    }
}
