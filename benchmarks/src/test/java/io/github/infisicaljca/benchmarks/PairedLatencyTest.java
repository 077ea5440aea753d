package io.github.infisicaljca.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairedLatencyTest {
    @Test
    void theTwoOperationsAlternateInBlocksAndEachGetsAsManySamples() throws Exception {
        List<Character> order = new ArrayList<>();
        PairedLatency.Result r = PairedLatency.run(() -> order.add('a'), () -> order.add('b'), Duration.ZERO,
                Duration.ofMillis(20));
        assertTrue(r.samplesEach() >= PairedLatency.BLOCK && r.samplesEach() % PairedLatency.BLOCK == 0);
        assertEquals(order.stream().filter(c -> c == 'a').count(), order.stream().filter(c -> c == 'b').count());
        // blocks of BLOCK, and the first of each round alternates: a..a b..b, then b..b a..a
        for (int i = 0; i < PairedLatency.BLOCK; i++) {
            assertEquals('a', order.get(i));
            assertEquals('b', order.get(PairedLatency.BLOCK + i));
        }
        if (order.size() >= 4 * PairedLatency.BLOCK) {
            assertEquals('b', order.get(2 * PairedLatency.BLOCK));
            assertEquals('a', order.get(3 * PairedLatency.BLOCK));
        }
    }

    @Test
    void eachSideIsWrappedBlockByBlockInItsOwnHooks() throws Exception {
        StringBuilder trace = new StringBuilder();
        PairedLatency.Result r = PairedLatency.run(() -> trace.append('a'), hooks(trace, '[', ']'),
                () -> trace.append('b'), PairedLatency.Around.NOTHING, Duration.ZERO, Duration.ofMillis(20));
        String a = "a".repeat(PairedLatency.BLOCK);
        String b = "b".repeat(PairedLatency.BLOCK);
        String rounds = trace.toString().replace("[" + a + "]" + b, "").replace(b + "[" + a + "]", "");
        assertEquals("", rounds, trace.toString());
        assertEquals(r.samplesEach() / PairedLatency.BLOCK, trace.chars().filter(c -> c == ']').count());
    }

    @Test
    void aFailingBlockStillRunsItsAfterHook() {
        StringBuilder trace = new StringBuilder();
        assertThrows(IllegalStateException.class, () -> PairedLatency.run(() -> {
            throw new IllegalStateException("boom");
        }, hooks(trace, '[', ']'), () -> { }, PairedLatency.Around.NOTHING, Duration.ZERO, Duration.ofMillis(10)));
        assertEquals("[]", trace.toString());
    }

    private static PairedLatency.Around hooks(StringBuilder trace, char before, char after) {
        return new PairedLatency.Around() {
            @Override
            public void before() {
                trace.append(before);
            }

            @Override
            public void after() {
                trace.append(after);
            }
        };
    }

    @Test
    void aFailureStopsTheMeasurement() {
        IllegalStateException boom = new IllegalStateException("boom");
        Exception e = assertThrows(IllegalStateException.class, () -> PairedLatency.run(() -> { }, () -> {
            throw boom;
        }, Duration.ZERO, Duration.ofMillis(10)));
        assertSame(boom, e);
    }

    @Test
    void medianOfTheRecordedPrefix() {
        assertEquals(2.0, PairedLatency.median(new long[] {3, 1, 2, 99}, 3));
        assertEquals(2.5, PairedLatency.median(new long[] {4, 1, 3, 2, 0}, 4));
    }
}
