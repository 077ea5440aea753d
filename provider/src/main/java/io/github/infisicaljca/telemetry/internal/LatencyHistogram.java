package io.github.infisicaljca.telemetry.internal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Latencies in fixed log-linear buckets of microseconds: exact below 16 µs, then eight buckets
 * per power of two (at most 12.5% wide) up to about 12 days. Lock-free and allocation-free to
 * record; a percentile is the upper bound of its bucket, capped at the largest value seen.
 */
final class LatencyHistogram {
    private static final int LINEAR = 16;
    private static final int SUB_BITS = 3;
    private static final int SUBS = 1 << SUB_BITS;
    private static final int MAX_EXPONENT = 40;
    static final int BUCKETS = LINEAR + (MAX_EXPONENT - 4 + 1) * SUBS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAccumulator maxMicros = new LongAccumulator(Math::max, 0);

    void record(long nanos) {
        long micros = Math.max(0, nanos / 1_000);
        counts.incrementAndGet(index(micros));
        maxMicros.accumulate(micros);
    }

    static int index(long micros) {
        if (micros < LINEAR) {
            return (int) micros;
        }
        int exponent = Math.min(63 - Long.numberOfLeadingZeros(micros), MAX_EXPONENT);
        if (exponent == MAX_EXPONENT && micros >= (2L << MAX_EXPONENT)) {
            return BUCKETS - 1;
        }
        int sub = (int) (micros >>> (exponent - SUB_BITS)) & (SUBS - 1);
        return LINEAR + (exponent - 4) * SUBS + sub;
    }

    /** The largest value bucket {@code index} holds. */
    static long upperBound(int index) {
        if (index < LINEAR) {
            return index;
        }
        int exponent = 4 + (index - LINEAR) / SUBS;
        int sub = (index - LINEAR) % SUBS;
        return ((long) (SUBS + sub + 1) << (exponent - SUB_BITS)) - 1;
    }

    /** Percentiles ({@code 0 < q <= 1}) in milliseconds, in the order asked; zeros when empty. */
    double[] percentilesMillis(double... quantiles) {
        long[] snapshot = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            total += snapshot[i];
        }
        double[] out = new double[quantiles.length];
        if (total == 0) {
            return out;
        }
        long max = maxMicros.get();
        for (int q = 0; q < quantiles.length; q++) {
            long rank = Math.max(1, (long) Math.ceil(quantiles[q] * total));
            long seen = 0;
            for (int i = 0; i < BUCKETS; i++) {
                seen += snapshot[i];
                if (seen >= rank) {
                    out[q] = Math.min(upperBound(i), max) / 1000.0;
                    break;
                }
            }
        }
        return out;
    }

    double maxMillis() {
        return maxMicros.get() / 1000.0;
    }
}
