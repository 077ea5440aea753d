package io.github.infisicaljca.emulator;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts requests the way Infisical's limiter (@fastify/rate-limit with its in-memory store)
 * does, so that a client tuned against the emulator meets the same refusals on a real server:
 * one bucket per client address and route pattern, each a fixed window that starts at the
 * bucket's first request after its previous window ended (not at a wall-clock minute), and
 * optionally one more bucket per address over all routes. Time is the emulator's clock, so
 * {@code advanceTime} ends windows too.
 */
final class RateLimiter {
    /** What one request got: whether it may run, and the numbers its answer's headers carry. */
    record Verdict(boolean allowed, int limit, int remaining, long resetSeconds) {
        /** {@code x-ratelimit-*}, plus {@code retry-after} on a refusal. */
        Map<String, String> headers() {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("x-ratelimit-limit", Integer.toString(limit));
            h.put("x-ratelimit-remaining", Integer.toString(remaining));
            h.put("x-ratelimit-reset", Long.toString(resetSeconds));
            if (!allowed) {
                h.put("retry-after", Long.toString(resetSeconds));
            }
            return h;
        }
    }

    private record Key(String address, String bucket) {
    }

    /** A bucket's window; synchronized because one address may send many requests at once. */
    private static final class Window {
        private long startMillis;
        private int count;

        synchronized Verdict hit(long now, long windowMillis, int limit) {
            // fastify's LocalStore: a window that has run out restarts at this request, from zero.
            if (count == 0 || startMillis + windowMillis <= now) {
                startMillis = now;
                count = 0;
            }
            if (count < Integer.MAX_VALUE) {
                count++;
            }
            long leftMillis = windowMillis - (now - startMillis);
            return new Verdict(count <= limit, limit, Math.max(0, limit - count), (leftMillis + 999) / 1000);
        }
    }

    /** Names the bucket over all routes; route patterns start with a method, so none is this. */
    private static final String ALL_ROUTES = "*";

    private final RateLimits limits;
    private final Clock clock;
    private final boolean globalBucket;
    // Bounded by addresses times route patterns (ids are not part of a pattern), so never pruned.
    private final Map<Key, Window> windows = new ConcurrentHashMap<>();

    /** @param globalBucket whether the per-address bucket over all routes applies (newer servers) */
    RateLimiter(RateLimits limits, Clock clock, boolean globalBucket) {
        this.limits = limits;
        this.clock = clock;
        this.globalBucket = globalBucket;
    }

    RateLimits limits() {
        return limits;
    }

    /**
     * Counts one request in its route's bucket (and the global one) and says whether it may
     * run. A refusal by the route's bucket carries that bucket's numbers; otherwise a refusal
     * by the global bucket carries its own; an allowed request carries the route's.
     *
     * @param pattern the route pattern, for example {@code POST /api/v1/kms/keys/:keyId/encrypt}
     * @param read    whether the route is a GET, which has the reads limit
     */
    Verdict hit(String address, String pattern, boolean read) {
        long now = clock.millis();
        long window = limits.window().toMillis();
        Verdict route = window(address, pattern).hit(now, window, read ? limits.reads() : limits.writes());
        if (!globalBucket || limits.global() == 0) {
            return route;
        }
        Verdict all = window(address, ALL_ROUTES).hit(now, window, limits.global());
        return route.allowed() && !all.allowed() ? all : route;
    }

    private Window window(String address, String bucket) {
        return windows.computeIfAbsent(new Key(address, bucket), k -> new Window());
    }
}
