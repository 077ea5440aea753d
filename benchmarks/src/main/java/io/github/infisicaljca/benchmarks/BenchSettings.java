package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.emulator.RateLimits;
import java.time.Duration;

/**
 * How long each measurement runs. {@link #QUICK} keeps the whole run to about three minutes on
 * two cores; {@link #FULL} forks twice and measures longer for steadier figures.
 *
 * @param forks           JVMs per JMH benchmark (0 runs in this JVM: tests only)
 * @param iteration       length of each JMH warm-up and measurement iteration
 * @param concurrencyRuns runs of the concurrency harness (the median is reported)
 * @param pairedWarmup    warm-up of the paired sign measurement, then its window
 * @param rateLimitWindow the emulator's rate-limit window for the rate-limit figures: a
 *                        real server's minute in the full run, shorter ones at the same rate
 *                        (see {@link #rateLimits()}) so that a quick run crosses windows in seconds
 */
record BenchSettings(String name, int forks, int warmupIterations, int measurementIterations, Duration iteration,
        int concurrencyRuns, Duration concurrencyWarmup, Duration concurrencyWindow, Duration pairedWarmup,
        Duration pairedWindow, Duration rateLimitWindow) {
    /** Permits a window allows at the least, so that a short window still serves a few threads. */
    static final int MIN_PERMITS = 4;

    static final BenchSettings QUICK = new BenchSettings("quick", 1, 4, 3, Duration.ofSeconds(1), 3,
            Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(8),
            Duration.ofSeconds(10));
    static final BenchSettings FULL = new BenchSettings("full", 2, 5, 10, Duration.ofSeconds(2), 5,
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(45),
            Duration.ofSeconds(60));

    /** For the tests: every path once, in this JVM, figures meaningless. */
    static final BenchSettings SMOKE = new BenchSettings("smoke", 0, 0, 1, Duration.ofMillis(100), 1,
            Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofMillis(200),
            Duration.ofSeconds(2));

    /**
     * A self-hosted server's default limits (200 writes and 60 reads a minute per route and
     * address) at the same rate in {@link #rateLimitWindow} windows, rounded down, at least
     * {@link #MIN_PERMITS}: 33 writes and 10 reads in 10 s.
     */
    RateLimits rateLimits() {
        RateLimits perMinute = RateLimits.selfHostedDefault();
        return RateLimits.perWindow(scaled(perMinute.writes(), perMinute.window()),
                scaled(perMinute.reads(), perMinute.window()), rateLimitWindow);
    }

    private int scaled(int permits, Duration per) {
        return (int) Math.max(MIN_PERMITS, permits * rateLimitWindow.toMillis() / per.toMillis());
    }

    String describe() {
        return String.format("JMH %d fork%s x (%d warm-up + %d measured iterations of %d ms); concurrency %d run%s of "
                + "%d ms warm-up + %d ms measured; paired sign %d ms warm-up + %d ms measured; rate limits %s, "
                + "two windows measured per rate-limit run", forks,
                forks == 1 ? "" : "s", warmupIterations, measurementIterations, iteration.toMillis(), concurrencyRuns,
                concurrencyRuns == 1 ? "" : "s", concurrencyWarmup.toMillis(), concurrencyWindow.toMillis(),
                pairedWarmup.toMillis(), pairedWindow.toMillis(), rateLimits());
    }
}
