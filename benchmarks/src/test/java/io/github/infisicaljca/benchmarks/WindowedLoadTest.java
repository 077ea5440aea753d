package io.github.infisicaljca.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RateLimits;
import java.security.Key;
import java.security.ProviderException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Mac;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WindowedLoadTest {
    /** A real one, as the provider throws it: a MAC whose permit is a window past its request timeout. */
    private static Exception rateLimited;

    @BeforeAll
    static void provokeARateLimit() throws Exception {
        try (BenchFixture fixture = BenchFixture.start(KmsEmulator.builder()
                .rateLimits(RateLimits.perWindow(1, 1, Duration.ofSeconds(30))))) {
            InfisicalProvider provider = new InfisicalProvider(fixture.config()
                    .requestTimeout(Duration.ofSeconds(2)).build());
            Key key = provider.key(fixture.kms().keyId(KmsEmulator.HMAC_KEY));
            Mac mac = Mac.getInstance("INFISICAL-HMAC", provider);
            mac.init(key);
            mac.doFinal(new byte[1]);
            rateLimited = assertThrows(ProviderException.class, () -> mac.doFinal(new byte[1]));
        }
    }

    @Test
    void theProvidersRateLimitIsRecognisedUnlessItHidesUnderABadTag() {
        assertTrue(WindowedLoad.isRateLimit(rateLimited), String.valueOf(rateLimited));
        assertFalse(WindowedLoad.isRateLimit(new IllegalStateException("boom")));
        Exception misreported = new AEADBadTagException("tag mismatch");
        misreported.initCause(rateLimited);
        assertFalse(WindowedLoad.isRateLimit(misreported));
    }

    /**
     * A thread that lets a run end only once {@code ready} holds, whatever the machine's speed:
     * its first operation waits for that and completes (a run lasts until its minimum of
     * completions); each later one waits for the end of the run (the interrupt) and completes then.
     * After a minute it stops waiting, so that a run that never gets ready fails its assertions
     * instead of hanging.
     */
    private static Operation gate(BooleanSupplier ready) {
        AtomicBoolean first = new AtomicBoolean(true);
        return () -> {
            if (first.getAndSet(false)) {
                long giveUp = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                while (!ready.getAsBoolean() && System.nanoTime() < giveUp) {
                    LockSupport.parkNanos(1_000_000);
                }
                return;
            }
            while (!Thread.currentThread().isInterrupted()) {
                LockSupport.park();
            }
        };
    }

    @Test
    void aRateLimitIsCountedAndTheThreadWaitsForTheWindowItNames() throws Exception {
        // The window reopens in about 30 s: each of three threads meets the limit once, then waits until the
        // end; a fourth ends the run once all three wait (the only timed wait after a rate limit is its pause).
        Set<Thread> limited = ConcurrentHashMap.newKeySet();
        BooleanSupplier allPausing = () -> limited.size() == 3
                && limited.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING);
        WindowedLoad.Result r = WindowedLoad.run(4, Duration.ofMillis(300), 1, t -> t == 3 ? gate(allPausing) : () -> {
            limited.add(Thread.currentThread());
            throw rateLimited;
        });
        assertEquals(3, r.rateLimited());
        assertEquals(1, r.completed(), "the gate's");
        assertEquals(0, r.abandoned());
        assertEquals(4, r.threads());
    }

    @Test
    void operationsAreCountedInTheWindowAndUntilTheThreadsStop() throws Exception {
        WindowedLoad.Result r = WindowedLoad.run(2, Duration.ofMillis(200), 4, t -> () -> Thread.sleep(5));
        assertTrue(r.completed() >= 4, r.toString());
        assertTrue(r.completedInAll() >= r.completed(), r.toString());
        assertEquals(0, r.rateLimited());
        assertTrue(r.seconds() >= 0.2, r.toString());
    }

    /** A machine slower than the window (here: operations that take longer than it) still measures some. */
    @Test
    void operationsSlowerThanTheWindowAreWaitedFor() throws Exception {
        WindowedLoad.Result r = WindowedLoad.run(2, Duration.ofMillis(20), 2, t -> () -> Thread.sleep(500));
        assertTrue(r.completed() >= 2, r.toString());
        assertTrue(r.seconds() >= 0.5, r.toString());
    }

    @Test
    void anyOtherFailureFailsTheRun() {
        IllegalStateException wrong = new IllegalStateException("wrong result");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> WindowedLoad.run(2, Duration.ofMillis(100), 1, t -> () -> {
                    throw wrong;
                }));
        assertSame(wrong, e.getCause());
    }

    @Test
    void aThreadWaitingAtTheEndIsInterruptedAndAbandoned() throws Exception {
        // Two threads wait a minute in their operation; a third ends the run once both are in it.
        CountDownLatch entered = new CountDownLatch(2);
        AtomicInteger waitedItOut = new AtomicInteger();
        WindowedLoad.Result r = WindowedLoad.run(3, Duration.ofMillis(100), 1,
                t -> t == 2 ? gate(() -> entered.getCount() == 0) : () -> {
                    entered.countDown();
                    Thread.sleep(60_000);
                    waitedItOut.incrementAndGet();
                });
        assertEquals(2, r.abandoned());
        assertEquals(0, waitedItOut.get());
    }
}
