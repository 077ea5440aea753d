package io.github.infisicaljca.benchmarks;

/** One timed operation of a plain harness ({@link ConcurrencyHarness}, {@link PairedLatency}). */
@FunctionalInterface
interface Operation {
    void run() throws Exception;
}
