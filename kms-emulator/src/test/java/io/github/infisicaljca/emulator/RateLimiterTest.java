package io.github.infisicaljca.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The counting itself, on a clock the test moves by the millisecond. */
class RateLimiterTest {
    private static final String ENCRYPT = "POST /api/v1/kms/keys/:keyId/encrypt";
    private static final String DECRYPT = "POST /api/v1/kms/keys/:keyId/decrypt";
    private static final String LIST = "GET /api/v1/kms/keys";

    /** A clock that stands still until moved. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-12-05T10:00:00.123Z");

        void advanceMillis(long ms) {
            now = now.plusMillis(ms);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();

    private static void assertVerdict(RateLimiter.Verdict v, boolean allowed, int limit, int remaining, long reset) {
        assertEquals(new RateLimiter.Verdict(allowed, limit, remaining, reset), v);
    }

    @Test
    void twoAddressesDoNotShareBuckets() {
        RateLimiter limiter = new RateLimiter(RateLimits.perMinute(1, 1), clock, true);
        assertTrue(limiter.hit("10.0.0.1", ENCRYPT, false).allowed());
        assertFalse(limiter.hit("10.0.0.1", ENCRYPT, false).allowed());
        assertTrue(limiter.hit("10.0.0.2", ENCRYPT, false).allowed(), "another address has its own bucket");
        assertTrue(limiter.hit("::1", ENCRYPT, false).allowed());
        assertTrue(limiter.hit("10.0.0.1", DECRYPT, false).allowed(), "another route has its own bucket");
    }

    @Test
    void aWindowIsFixedFromTheFirstRequestAfterThePreviousOneEnded() {
        RateLimiter limiter = new RateLimiter(RateLimits.perMinute(3, 1), clock, false);
        assertVerdict(limiter.hit("a", ENCRYPT, false), true, 3, 2, 60);
        clock.advanceMillis(1);
        assertVerdict(limiter.hit("a", ENCRYPT, false), true, 3, 1, 60); // 59.999 s left: rounded up
        clock.advanceMillis(59_998);
        assertVerdict(limiter.hit("a", ENCRYPT, false), true, 3, 0, 1); // 1 ms left
        assertVerdict(limiter.hit("a", ENCRYPT, false), false, 3, 0, 1);
        clock.advanceMillis(1); // start + window <= now: the window has ended
        assertVerdict(limiter.hit("a", ENCRYPT, false), true, 3, 2, 60);
        clock.advanceMillis(40_000);
        assertVerdict(limiter.hit("a", ENCRYPT, false), true, 3, 1, 20);
        clock.advanceMillis(200_500); // idle: the next window starts at the next request, not on a minute
        assertVerdict(limiter.hit("a", ENCRYPT, false), true, 3, 2, 60);
        clock.advanceMillis(30_000);
        assertVerdict(limiter.hit("a", ENCRYPT, false), true, 3, 1, 30);
    }

    @Test
    void refusalsKeepCountingSoTheWindowDoesNotStretch() {
        RateLimiter limiter = new RateLimiter(RateLimits.perWindow(1, 1, Duration.ofSeconds(10)), clock, false);
        assertTrue(limiter.hit("a", LIST, true).allowed());
        for (int i = 0; i < 9; i++) {
            clock.advanceMillis(1000);
            assertVerdict(limiter.hit("a", LIST, true), false, 1, 0, 9 - i);
        }
        clock.advanceMillis(1000);
        assertTrue(limiter.hit("a", LIST, true).allowed());
    }

    @Test
    void readsAndWritesHaveTheirOwnLimits() {
        RateLimiter limiter = new RateLimiter(RateLimits.perMinute(200, 60), clock, false);
        assertEquals(60, limiter.hit("a", LIST, true).limit());
        assertEquals(200, limiter.hit("a", ENCRYPT, false).limit());
    }

    @Test
    void theGlobalBucketCountsEveryRouteAndRefusesWithItsOwnNumbers() {
        RateLimiter limiter = new RateLimiter(RateLimits.perMinute(2, 5).withGlobal(3), clock, true);
        assertVerdict(limiter.hit("a", ENCRYPT, false), true, 2, 1, 60);
        assertVerdict(limiter.hit("a", DECRYPT, false), true, 2, 1, 60);
        assertVerdict(limiter.hit("a", LIST, true), true, 5, 4, 60);
        clock.advanceMillis(15_000);
        assertVerdict(limiter.hit("a", LIST, true), false, 3, 0, 45);
        assertVerdict(limiter.hit("a", ENCRYPT, false), false, 3, 0, 45);
        assertVerdict(limiter.hit("a", ENCRYPT, false), false, 2, 0, 45); // the route refuses first
        assertTrue(limiter.hit("b", LIST, true).allowed(), "per address");
    }

    @Test
    void withoutTheGlobalBucketOnlyRoutesCount() {
        RateLimiter limiter = new RateLimiter(RateLimits.perMinute(2, 2).withGlobal(1), clock, false);
        assertTrue(limiter.hit("a", ENCRYPT, false).allowed());
        assertTrue(limiter.hit("a", DECRYPT, false).allowed());
        assertTrue(limiter.hit("a", LIST, true).allowed());
    }

    @Test
    void headersAreTheServersAndRetryAfterComesOnlyWithARefusal() {
        assertEquals(Map.of("x-ratelimit-limit", "200", "x-ratelimit-remaining", "17", "x-ratelimit-reset", "42"),
                new RateLimiter.Verdict(true, 200, 17, 42).headers());
        assertEquals(Map.of("x-ratelimit-limit", "200", "x-ratelimit-remaining", "0", "x-ratelimit-reset", "49",
                "retry-after", "49"), new RateLimiter.Verdict(false, 200, 0, 49).headers());
    }
}
