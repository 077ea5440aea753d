package io.github.infisicaljca.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RateLimits;
import io.github.infisicaljca.emulator.RecordedRequest;
import java.security.Signature;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The refusal figure counts what the emulator logged, and the load checks every result it counts. */
class RateLimitRefusalsTest {
    private static final RateLimits LIMITS = RateLimits.perWindow(6, 4, Duration.ofSeconds(3));

    @Test
    void theLoadRunsEveryKindAndEveryRequestIsInTheCount() throws Exception {
        RateLimitRefusals.Result r = RateLimitRefusals.run(LIMITS, 12);
        String summary = RateLimitRefusals.refusals(r) + "; " + RateLimitRefusals.operations(r);
        for (int i = 0; i < RateLimitRefusals.KINDS.size(); i++) {
            assertTrue(r.byKind()[i] > 0, RateLimitRefusals.KINDS.get(i) + ": " + summary);
        }
        // A round trip is two calls, a signature and a MAC one each; then the login and the key lookups.
        long calls = 2 * r.byKind()[0] + r.byKind()[1] + r.byKind()[2];
        assertTrue(r.requests() >= calls + 1, summary);
        assertEquals(r.refused() / (double) r.requests(), r.share());
    }

    /**
     * Another client on the same address spends the signature route's window just before the
     * load: the provider's first signature meets a refusal, and the figure shows it. Others may
     * follow on other routes (threads that waited out the outsider's window come back late in a
     * window, which the client's limiter does not always pace): this test checks the counting,
     * not the limiter.
     */
    @Test
    void refusalsAreTheOnesTheEmulatorLogged() throws Exception {
        try (BenchFixture fixture = BenchFixture.start(KmsEmulator.builder().rateLimits(LIMITS))) {
            InfisicalPrivateKey key = (InfisicalPrivateKey) fixture.key(KmsEmulator.SIGNING_KEY);
            Signature outsider = Signature.getInstance("INFISICAL-RSA", fixture.provider());
            for (int i = 0; i < LIMITS.writes(); i++) {
                outsider.initSign(key);
                outsider.update(new byte[] {(byte) i});
                outsider.sign();
            }
            RateLimitRefusals.Result r = RateLimitRefusals.run(fixture, 12);
            List<RecordedRequest> log = fixture.kms().requests();
            long refused = log.stream().filter(RecordedRequest::rateLimited).count();
            String summary = RateLimitRefusals.refusals(r) + "; log " + log.size() + " requests, " + refused
                    + " refused";
            assertTrue(r.refusedByRoute().getOrDefault("POST sign", 0L) >= 1,
                    "the provider learned of the outsider's spending from a refusal: " + summary);
            assertEquals(refused, r.refused(), summary);
            assertEquals(byRoute(log), r.refusedByRoute(), summary);
            assertEquals(log.size(), r.requests(), "the outsider's requests count too: " + summary);

            Figure f = RateLimitRefusals.figure(r);
            assertEquals(refused / (double) log.size(), f.value());
            assertFalse(f.met(), "any refusal misses the target");
            assertTrue(f.numerator().startsWith(refused + " of " + log.size() + " requests refused"), f.numerator());
        }
    }

    private static Map<String, Long> byRoute(List<RecordedRequest> log) {
        Map<String, Long> refused = new TreeMap<>();
        for (RecordedRequest r : log) {
            if (r.rateLimited()) {
                String route = r.route();
                refused.merge(r.method() + " " + route.substring(route.lastIndexOf('/') + 1), 1L, Long::sum);
            }
        }
        return refused;
    }
}
