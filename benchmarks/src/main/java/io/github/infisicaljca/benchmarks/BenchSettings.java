package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.emulator.RateLimits;
import java.time.Duration;
import java.util.Locale;

/**
 * How long each measurement runs. {@link #QUICK} keeps the whole run to about five minutes on
 * two cores; {@link #FULL} forks twice and measures longer for steadier figures.
 *
 * @param forks           JVMs per JMH benchmark (0 runs in this JVM: tests only)
 * @param iteration       length of each JMH warm-up and measurement iteration
 * @param concurrencyRuns runs of the concurrency harness (the median is reported)
 * @param pairedWarmup    warm-up of the paired sign measurement, then its window
 * @param rateLimitWindow the emulator's rate-limit window for the rate-limit figures: a
 *                        real server's minute in the full run, shorter ones at the same rate
 *                        (see {@link #rateLimits()}) so that a quick run crosses windows in seconds
 * @param audit           the files of the audit seal figures
 */
record BenchSettings(String name, int forks, int warmupIterations, int measurementIterations, Duration iteration,
        int concurrencyRuns, Duration concurrencyWarmup, Duration concurrencyWindow, Duration pairedWarmup,
        Duration pairedWindow, Duration rateLimitWindow, AuditSizes audit) {
    /** Permits a window allows at the least, so that a short window still serves a few threads. */
    static final int MIN_PERMITS = 4;

    static final BenchSettings QUICK = new BenchSettings("quick", 1, 4, 3, Duration.ofSeconds(1), 3,
            Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(8),
            Duration.ofSeconds(10), new AuditSizes(1_000_000, 200_000, 100_000, Duration.ofSeconds(10), 1));
    static final BenchSettings FULL = new BenchSettings("full", 2, 5, 10, Duration.ofSeconds(2), 5,
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(45),
            Duration.ofSeconds(60), new AuditSizes(1_000_000, 500_000, 200_000, Duration.ofSeconds(20), 3));

    /** For the tests: every path once, in this JVM, figures meaningless. */
    static final BenchSettings SMOKE = new BenchSettings("smoke", 0, 0, 1, Duration.ofMillis(100), 1,
            Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofMillis(200),
            Duration.ofSeconds(2), new AuditSizes(3_000, 2_500, 500, Duration.ZERO, 1));

    /**
     * Sizes of the audit seal figures (events of generated JSON Lines files, about 290 bytes each).
     *
     * @param events       the file the smart-logs and batch seals and the baseline are timed on
     * @param kmsEvents    the file the KMS batch seal, and the HMAC batch seal beside it, are timed on
     * @param warmupEvents the file each sealer seals first, untimed, for the JIT
     * @param warmup       how long each sealer seals the warm-up file over and over (at least once): the
     *                     batch seal needs several seconds of it on two cores to run at its speed
     * @param runs         timed runs of each sealer, in turn; the median is reported
     */
    record AuditSizes(int events, int kmsEvents, int warmupEvents, Duration warmup, int runs) {
    }

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
        return String.format(Locale.ROOT, "JMH %d fork%s x (%d warm-up + %d measured iterations of %d ms); concurrency "
                + "%d run%s of %d ms warm-up + %d ms measured; paired sign %d ms warm-up + %d ms measured; rate "
                + "limits %s, two windows measured per rate-limit run; audit seal %,d events (KMS batch %,d), %d "
                + "run%s each after %d ms of warm-up on %,d events", forks,
                forks == 1 ? "" : "s", warmupIterations, measurementIterations, iteration.toMillis(), concurrencyRuns,
                concurrencyRuns == 1 ? "" : "s", concurrencyWarmup.toMillis(), concurrencyWindow.toMillis(),
                pairedWarmup.toMillis(), pairedWindow.toMillis(), rateLimits(), audit.events(), audit.kmsEvents(),
                audit.runs(), audit.runs() == 1 ? "" : "s", audit.warmup().toMillis(), audit.warmupEvents());
    }
}
