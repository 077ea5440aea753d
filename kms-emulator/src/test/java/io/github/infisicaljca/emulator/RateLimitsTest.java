package io.github.infisicaljca.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimitsTest {
    @Test
    void theFactoriesGiveInfisicalsNumbers() {
        assertEquals(new RateLimits(200, 60, 0, Duration.ofMinutes(1)), RateLimits.selfHostedDefault());
        assertEquals(new RateLimits(10, 5, 0, Duration.ofMinutes(1)), RateLimits.perMinute(10, 5));
        assertEquals(new RateLimits(10, 5, 0, Duration.ofSeconds(1)), RateLimits.perWindow(10, 5, Duration.ofSeconds(1)));
        assertEquals(new RateLimits(10, 5, 7, Duration.ofMinutes(1)), RateLimits.perMinute(10, 5).withGlobal(7));
    }

    @Test
    void theConstructorRefusesLimitsThatCouldNeverPass() {
        assertThrows(IllegalArgumentException.class, () -> RateLimits.perMinute(0, 1));
        assertThrows(IllegalArgumentException.class, () -> RateLimits.perMinute(1, -1));
        assertThrows(IllegalArgumentException.class, () -> RateLimits.perMinute(1, 1).withGlobal(0));
        assertThrows(IllegalArgumentException.class, () -> RateLimits.perWindow(1, 1, Duration.ofMillis(999)));
        assertThrows(NullPointerException.class, () -> RateLimits.perWindow(1, 1, null));
    }

    @Test
    void parseReadsTheCommandLineValues() {
        assertEquals(RateLimits.selfHostedDefault(), RateLimits.parse("default"));
        assertNull(RateLimits.parse("off"), "off means no limits");
        assertEquals(RateLimits.perMinute(1000, 300), RateLimits.parse("1000/300"));
        assertEquals(RateLimits.perMinute(1, 1), RateLimits.parse(" 1/1 "));
        assertEquals(RateLimits.selfHostedDefault(), RateLimits.parse("DEFAULT"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "on", "200", "200/", "/60", "0/60", "200/0", "-1/60", "200/60/600", "2e2/60", "a/b",
        "99999999999/1"})
    void parseRefusesAnythingElseSayingWhatItTakes(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RateLimits.parse(text));
        assertTrue(e.getMessage().contains("W/R") && e.getMessage().contains("'default'")
                && e.getMessage().contains("'off'") && e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void toStringReadsWell() {
        assertEquals("200 writes / 60 reads a minute per route and client address",
                RateLimits.selfHostedDefault().toString());
        assertEquals("5 writes / 5 reads per 10 s per route and client address, 8 per 10 s per address in all",
                RateLimits.perWindow(5, 5, Duration.ofSeconds(10)).withGlobal(8).toString());
    }
}
