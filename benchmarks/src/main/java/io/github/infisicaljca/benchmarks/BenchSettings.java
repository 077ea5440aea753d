package io.github.infisicaljca.benchmarks;

import java.time.Duration;

/**
 * How long each measurement runs. {@link #QUICK} keeps the whole run under three minutes on
 * two cores; {@link #FULL} forks twice and measures longer for steadier figures.
 *
 * @param forks           JVMs per JMH benchmark (0 runs in this JVM: tests only)
 * @param iteration       length of each JMH warm-up and measurement iteration
 * @param concurrencyRuns runs of the concurrency harness (the median is reported)
 * @param pairedWarmup    warm-up of the paired sign measurement, then its window
 */
record BenchSettings(String name, int forks, int warmupIterations, int measurementIterations, Duration iteration,
        int concurrencyRuns, Duration concurrencyWarmup, Duration concurrencyWindow, Duration pairedWarmup,
        Duration pairedWindow) {
    static final BenchSettings QUICK = new BenchSettings("quick", 1, 4, 3, Duration.ofSeconds(1), 3,
            Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(8));
    static final BenchSettings FULL = new BenchSettings("full", 2, 5, 10, Duration.ofSeconds(2), 5,
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(45));

    /** For the tests: every path once, in this JVM, figures meaningless. */
    static final BenchSettings SMOKE = new BenchSettings("smoke", 0, 0, 1, Duration.ofMillis(100), 1,
            Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofMillis(200));

    String describe() {
        return String.format("JMH %d fork%s x (%d warm-up + %d measured iterations of %d ms); concurrency %d run%s of "
                + "%d ms warm-up + %d ms measured; paired sign %d ms warm-up + %d ms measured", forks,
                forks == 1 ? "" : "s", warmupIterations, measurementIterations, iteration.toMillis(), concurrencyRuns,
                concurrencyRuns == 1 ? "" : "s", concurrencyWarmup.toMillis(), concurrencyWindow.toMillis(),
                pairedWarmup.toMillis(), pairedWindow.toMillis());
    }
}
