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

    /**
     * What one side does around each of its blocks, outside the timing: {@code jfr_sign_overhead_ratio}
     * starts a JFR recording before each block of one side and closes it after.
     */
    interface Around {
        Around NOTHING = new Around() {
            @Override
            public void before() {
            }

            @Override
            public void after() {
            }
        };

        void before() throws Exception;

        /** Runs after every block that {@link #before()} began, whether the block failed or not. */
        void after() throws Exception;
    }

    record Result(double p50MicrosA, double p50MicrosB, int samplesEach) {
        double ratio() {
            return p50MicrosA / p50MicrosB;
        }
    }

    private PairedLatency() {
    }

    static Result run(Operation a, Operation b, Duration warmup, Duration window)
            throws Exception {
        return run(a, Around.NOTHING, b, Around.NOTHING, warmup, window);
    }

    static Result run(Operation a, Around aroundA, Operation b, Around aroundB, Duration warmup, Duration window)
            throws Exception {
        long warmEnd = System.nanoTime() + warmup.toNanos();
        while (System.nanoTime() < warmEnd) {
            block(a, aroundA, null, 0);
            block(b, aroundB, null, 0);
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
                block(a, aroundA, timesA, n);
                block(b, aroundB, timesB, n);
            } else {
                block(b, aroundB, timesB, n);
                block(a, aroundA, timesA, n);
            }
            n += BLOCK;
        }
        return new Result(median(timesA, n) / 1e3, median(timesB, n) / 1e3, n);
    }

    private static void block(Operation op, Around around, long[] times, int at) throws Exception {
        around.before();
        try {
            for (int i = 0; i < BLOCK; i++) {
                long t = System.nanoTime();
                op.run();
                if (times != null) {
                    times[at + i] = System.nanoTime() - t;
                }
            }
        } finally {
            around.after();
        }
    }

    static double median(long[] values, int n) {
        return Concurrency.median(Arrays.stream(values, 0, n).asDoubleStream().toArray());
    }
}
