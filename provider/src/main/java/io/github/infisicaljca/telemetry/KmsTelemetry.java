package io.github.infisicaljca.telemetry;

import io.github.infisicaljca.kms.RequestBudget;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable snapshot of what one {@link io.github.infisicaljca.kms.KmsClient} did since it
 * was created: the figures its {@link KmsClientMXBean} shows, for code (for example a health
 * check or the CLI's {@code doctor}). Take one with
 * {@link io.github.infisicaljca.kms.KmsClient#telemetry()}; {@link #toString()} prints it as a
 * small table. Holds no secret.
 *
 * @param instance           the client's instance name, the {@code name} of its MBean
 * @param operations         one entry per operation called, by operation name
 * @param retries            requests sent again after a failed attempt
 * @param relogins           access tokens obtained again after the first login
 * @param rateLimitWaits     times a call waited for a route's rate-limit window
 * @param rateLimitBudgets   each route's rate limit as the server last announced it, by route
 * @param dataKeyCacheHits   INFISICAL-ENVELOPE data keys served from the cache
 * @param dataKeyCacheMisses INFISICAL-ENVELOPE data-key cache lookups that found nothing usable
 */
public record KmsTelemetry(String instance, List<OperationStats> operations, long retries, long relogins,
        long rateLimitWaits, List<RequestBudget> rateLimitBudgets, long dataKeyCacheHits, long dataKeyCacheMisses) {

    /**
     * Copies the lists, so the snapshot stays as it was taken.
     *
     * @param instance           the client's instance name
     * @param operations         per-operation figures
     * @param retries            retries
     * @param relogins           re-logins
     * @param rateLimitWaits     rate-limit waits
     * @param rateLimitBudgets   route budgets
     * @param dataKeyCacheHits   data-key cache hits
     * @param dataKeyCacheMisses data-key cache misses
     */
    public KmsTelemetry {
        Objects.requireNonNull(instance, "instance");
        operations = List.copyOf(operations);
        rateLimitBudgets = List.copyOf(rateLimitBudgets);
    }

    /**
     * The calls of one operation.
     *
     * @param operation     the operation's name, for example {@code sign}
     * @param calls         calls made
     * @param byOutcome     calls by outcome: {@code SUCCESS} or a
     *                      {@link io.github.infisicaljca.kms.KmsException.Kind} name
     * @param p50Millis     median latency of a whole call (retries and waits included), in ms
     * @param p90Millis     90th percentile latency, in ms
     * @param p99Millis     99th percentile latency, in ms
     * @param maxMillis     the longest call, in ms
     */
    public record OperationStats(String operation, long calls, Map<String, Long> byOutcome, double p50Millis,
            double p90Millis, double p99Millis, double maxMillis) {

        /**
         * Copies the map.
         *
         * @param operation the operation's name
         * @param calls     calls made
         * @param byOutcome calls by outcome
         * @param p50Millis median latency
         * @param p90Millis 90th percentile latency
         * @param p99Millis 99th percentile latency
         * @param maxMillis the longest call
         */
        public OperationStats {
            Objects.requireNonNull(operation, "operation");
            byOutcome = Map.copyOf(byOutcome);
        }

        /** {@return calls whose outcome is {@code SUCCESS}} */
        public long successes() {
            return byOutcome.getOrDefault("SUCCESS", 0L);
        }

        /** {@return calls that ended in a failure} */
        public long failures() {
            return calls - successes();
        }
    }

    /** {@return calls of every operation} */
    public long calls() {
        return operations.stream().mapToLong(OperationStats::calls).sum();
    }

    /** {@return failed calls of every operation} */
    public long failures() {
        return operations.stream().mapToLong(OperationStats::failures).sum();
    }

    /**
     * The figures of one operation.
     *
     * @param operation the operation's name
     * @return its figures, or {@code null} when it was never called
     */
    public OperationStats operation(String operation) {
        for (OperationStats s : operations) {
            if (s.operation().equals(operation)) {
                return s;
            }
        }
        return null;
    }

    /** {@return the snapshot as a small text table, one line per operation and the totals below} */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("KMS client ").append(instance).append('\n');
        b.append(String.format(Locale.ROOT, "%-20s %8s %8s %9s %9s %9s %9s%n", "operation", "calls", "failed",
                "p50 ms", "p90 ms", "p99 ms", "max ms"));
        for (OperationStats s : operations) {
            b.append(String.format(Locale.ROOT, "%-20s %8d %8d %9.1f %9.1f %9.1f %9.1f%n", s.operation(), s.calls(),
                    s.failures(), s.p50Millis(), s.p90Millis(), s.p99Millis(), s.maxMillis()));
        }
        b.append(String.format(Locale.ROOT, "retries %d, re-logins %d, rate-limit waits %d, data-key cache %d hits"
                + " / %d misses%n", retries, relogins, rateLimitWaits, dataKeyCacheHits, dataKeyCacheMisses));
        for (RequestBudget budget : rateLimitBudgets) {
            b.append("  ").append(budget).append('\n');
        }
        return b.toString();
    }
}
