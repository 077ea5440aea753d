package io.github.infisicaljca.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.emulator.RateLimits;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rate-limited envelope harness is rate limited, decrypts right, and makes the KMS calls it
 * claims: one per message without the cache; with it, one per data key, thread and
 * {@code maxMessages} decryptions. Counts only, never times.
 */
class RateLimitedThroughputTest {
    private static final int THREADS = 4;
    private static final int MESSAGES = 50;
    private static final RateLimits LIMITS = BenchSettings.SMOKE.rateLimits();
    private static RateLimitedThroughput.Result uncached;
    private static RateLimitedThroughput.Result cached;

    @BeforeAll
    static void runBothSides() throws Exception {
        uncached = RateLimitedThroughput.run(false, LIMITS, THREADS, MESSAGES);
        cached = RateLimitedThroughput.run(true, LIMITS, THREADS, MESSAGES);
    }

    @Test
    void theLimitsAreTheSelfHostedRateInTheRunsWindow() {
        assertEquals(RateLimits.perWindow(200, 60, Duration.ofSeconds(60)), BenchSettings.FULL.rateLimits());
        assertEquals(RateLimits.perWindow(33, 10, Duration.ofSeconds(10)), BenchSettings.QUICK.rateLimits());
        assertEquals(RateLimits.perWindow(6, BenchSettings.MIN_PERMITS, Duration.ofSeconds(2)),
                BenchSettings.SMOKE.rateLimits());
        assertTrue(BenchSettings.QUICK.describe().contains("33 writes / 10 reads per 10 s"),
                BenchSettings.QUICK.describe());
    }

    @Test
    void withoutTheCacheEveryMessageCostsOneDecryptCallAndTheLimitBindsThem() {
        RateLimitedThroughput.Result r = uncached;
        WindowedLoad.Result load = r.load();
        String summary = RateLimitedThroughput.summary(r) + "; " + load;
        assertEquals(MESSAGES, r.dataKeys(), "one data key wrapped per message");
        assertTrue(load.completed() > 0, summary);
        // Each decryption is one call; a decryption cut short at the end may or may not have reached the server.
        assertTrue(r.kmsDecrypts() >= load.completedInAll(), summary);
        assertTrue(r.kmsDecrypts() <= load.completedInAll() + load.abandoned(), summary);
        // Four threads could decrypt thousands in the run; the limit lets through a window's worth per window.
        assertTrue(r.kmsDecrypts() >= LIMITS.writes(), "the first window's budget is spent: " + summary);
        assertTrue(r.kmsDecrypts() <= (long) LIMITS.writes() * (RateLimitedThroughput.WINDOWS + 1), summary);
        assertTrue(r.refused() <= THREADS, "the threads wait for the window, they do not spend it on refusals: "
                + summary);
        assertEquals(r.requests(), r.kmsDecrypts() + r.refused(), "nothing but decrypt calls once the limits apply: "
                + summary);
    }

    @Test
    void withTheCacheEachUnwrapServesUpToMaxMessagesDecryptions() {
        RateLimitedThroughput.Result r = cached;
        WindowedLoad.Result load = r.load();
        String summary = RateLimitedThroughput.summary(r) + "; " + load;
        assertEquals(1, r.dataKeys(), "the 50 messages share one data key");
        // Each thread's cache entry serves maxMessages decryptions (the threads decrypt the 50
        // messages over and over), then the data key is unwrapped again.
        long perUnwrap = RateLimitedThroughput.CACHED.cacheMaxMessages();
        assertTrue(r.kmsDecrypts() * perUnwrap >= load.completedInAll(), summary);
        assertTrue(r.kmsDecrypts() <= load.completedInAll() / perUnwrap + THREADS + load.abandoned(), summary);
        assertTrue(r.kmsDecrypts() > 0, summary);
        // Every decryption compared its plaintext (a wrong one fails the run); most never reached the KMS.
        assertTrue(load.completed() > r.kmsDecrypts(), summary);
        assertEquals(0, r.refused(), summary);
        assertTrue(r.perMinute() > 0, summary);
    }

    @Test
    void theFigureIsTheRatioOfTheTwoSidesPerMinute() {
        Figure f = RateLimitedThroughput.figure(cached, uncached);
        assertEquals("rate_limited_envelope_gain", f.key());
        assertEquals(cached.perMinute() / uncached.perMinute(), f.value(), 1e-9);
        assertEquals(uncached.load().completed() / uncached.load().seconds() * 60, uncached.perMinute(), 1e-9);
        assertTrue(f.numerator().contains(String.format(Locale.ROOT, "%,.0f messages/min", cached.perMinute())),
                f.numerator());
        assertTrue(f.denominator().contains(uncached.kmsDecrypts() + " KMS decrypt calls"), f.denominator());
        assertTrue(f.inputs().contains(THREADS + " threads") && f.inputs().contains(LIMITS.toString()), f.inputs());
    }
}
