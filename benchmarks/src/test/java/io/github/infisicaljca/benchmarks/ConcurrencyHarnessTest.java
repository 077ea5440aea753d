package io.github.infisicaljca.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyHarnessTest {
    @Test
    void everyThreadRunsItsOwnOperationAndTheWindowCountsThem() throws Exception {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger created = new AtomicInteger();
        // No operation completes before every thread has begun one: the run, which lasts until operations
        // complete, then has seen all four threads however late the machine starts one.
        CountDownLatch allBegun = new CountDownLatch(4);
        ConcurrencyHarness.Result r = ConcurrencyHarness.run(4, Duration.ofMillis(20), Duration.ofMillis(50),
                Duration.ofMillis(200), 8, () -> {
                    created.incrementAndGet();
                    return () -> {
                        threads.add(Thread.currentThread());
                        allBegun.countDown();
                        allBegun.await(1, TimeUnit.MINUTES); // a bound only against a hang
                        Thread.sleep(1);
                    };
                });
        assertEquals(4, created.get());
        assertEquals(4, threads.size());
        assertTrue(r.operations() >= 8, "operations " + r.operations());
        assertEquals(200.0, r.ideal(), 1e-9); // 4 threads / 20 ms
        assertEquals(r.opsPerSecond() / 200.0, r.efficiency(), 1e-12);
    }

    /** A machine slower than the window (here: operations that take longer than it) still measures some. */
    @Test
    void operationsSlowerThanTheWindowAreWaitedFor() throws Exception {
        ConcurrencyHarness.Result r = ConcurrencyHarness.run(4, Duration.ofMillis(20), Duration.ZERO,
                Duration.ofMillis(20), 4, () -> () -> Thread.sleep(500));
        assertTrue(r.operations() >= 4, "operations " + r.operations());
        assertTrue(r.efficiency() > 0, "efficiency " + r.efficiency());
    }

    @Test
    void aFailingOperationFailsTheRun() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConcurrencyHarness.run(2,
                Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofMillis(50), 1, () -> () -> {
                    throw boom;
                }));
        assertSame(boom, e.getCause());
    }

    @Test
    void theMacOperationIsOneRemoteCall() throws Exception {
        try (BenchFixture fixture = BenchFixture.start()) {
            Operation op = Concurrency.macs(fixture).get();
            long before = macCalls(fixture);
            op.run();
            op.run();
            assertEquals(before + 2, macCalls(fixture));
        }
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, Concurrency.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Concurrency.median(new double[] {4, 1, 3, 2}));
    }

    private static long macCalls(BenchFixture fixture) {
        return fixture.kms().requests().stream().filter(r -> r.route().endsWith("/generate-mac")).count();
    }
}
