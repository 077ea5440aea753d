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

    @Test
    void aRateLimitIsCountedAndTheThreadWaitsForTheWindowItNames() throws Exception {
        // The window reopens in about 30 s: each thread meets the limit once, then waits until the end.
        WindowedLoad.Result r = WindowedLoad.run(3, Duration.ofMillis(300), 0, t -> () -> {
            throw rateLimited;
        });
        assertEquals(3, r.rateLimited());
        assertEquals(0, r.completed());
        assertEquals(3, r.threads());
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
        WindowedLoad.Result r = WindowedLoad.run(2, Duration.ofMillis(100), 0, t -> () -> Thread.sleep(60_000));
        assertEquals(2, r.abandoned());
        assertEquals(0, r.completedInAll());
    }
}
