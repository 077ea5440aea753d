package io.github.infisicaljca.benchmarks;

import java.time.Duration;
import java.util.Arrays;

/**
 * Two operations timed in alternating blocks in one JVM against one server, so that both see
 * the same machine, the same JIT state and the same server key at the same moments; the
 * result is each one's median latency. For {@code sign_overhead_ratio}: run as two JMH
 * benchmarks, each in its own JVM with its own emulator, the 5 ms server-side RSA signature
 * varied by up to 10% between JVMs, more than the overhead being measured.
 */
final class PairedLatency {
    /** Operations per block before switching to the other one. */
    static final int BLOCK = 8;

    record Result(double p50MicrosA, double p50MicrosB, int samplesEach) {
        double ratio() {
            return p50MicrosA / p50MicrosB;
        }
    }

    private PairedLatency() {
    }

    static Result run(Operation a, Operation b, Duration warmup, Duration window)
            throws Exception {
        long warmEnd = System.nanoTime() + warmup.toNanos();
        while (System.nanoTime() < warmEnd) {
            block(a, null, 0);
            block(b, null, 0);
        }
        long[] timesA = new long[1024];
        long[] timesB = new long[1024];
        int n = 0;
        long end = System.nanoTime() + window.toNanos();
        for (int round = 0; n == 0 || System.nanoTime() < end; round++) {
            if (n + BLOCK > timesA.length) {
                timesA = Arrays.copyOf(timesA, 2 * timesA.length);
                timesB = Arrays.copyOf(timesB, 2 * timesB.length);
            }
            if (round % 2 == 0) { // neither always goes first
                block(a, timesA, n);
                block(b, timesB, n);
            } else {
                block(b, timesB, n);
                block(a, timesA, n);
            }
            n += BLOCK;
        }
        return new Result(median(timesA, n) / 1e3, median(timesB, n) / 1e3, n);
    }

    private static void block(Operation op, long[] times, int at) throws Exception {
        for (int i = 0; i < BLOCK; i++) {
            long t = System.nanoTime();
            op.run();
            if (times != null) {
                times[at + i] = System.nanoTime() - t;
            }
        }
    }

    static double median(long[] values, int n) {
        return Concurrency.median(Arrays.stream(values, 0, n).asDoubleStream().toArray());
    }
}
