package io.github.infisicaljca.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import jdk.jfr.FlightRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JFR figure measures what it claims: the same signatures on both sides, the recorded side
 * inside recordings of the provider's events that are all closed afterwards; and its figure has
 * the report's shape. Speed is not checked here.
 */
class JfrSignOverheadTest {
    private final SignBenchmark sign = new SignBenchmark();

    @BeforeEach
    void setUp() throws Exception {
        sign.messageBytes = 256;
        sign.setUp();
    }

    @AfterEach
    void tearDown() {
        sign.tearDown();
    }

    @Test
    void bothSidesSignAsOftenAndEveryRecordingIsClosed() throws Exception {
        assertNull(JfrSignOverhead.whyUnavailable(), "this JDK has JFR");
        JfrSignOverhead m = new JfrSignOverhead(sign);
        Figure f = m.measure(BenchSettings.SMOKE);

        assertEquals("jfr_sign_overhead_ratio", f.key());
        assertTrue(f.value() > 0, f.toString());
        assertFalse(f.target().atLeast());
        assertEquals(1.02, f.target().bound(), 1e-9);
        assertTrue(f.numerator().startsWith("provider INFISICAL-RSA sign p50 while a JFR recording"), f.numerator());
        assertTrue(f.denominator().startsWith("the same sign with the events disabled p50 "), f.denominator());
        assertTrue(f.inputs().contains("io.github.infisicaljca.KmsCall"), f.inputs());

        // One sign request per operation (the token is fetched at set-up), as many on each side.
        assertTrue(m.callsWithRecording() >= PairedLatency.BLOCK, "calls " + m.callsWithRecording());
        assertEquals(m.callsWithRecording(), m.callsWithout());
        assertEquals(0, m.callsWithRecording() % PairedLatency.BLOCK);
        assertTrue(f.inputs().contains(m.callsWithRecording() + " and " + m.callsWithout() + " KMS requests"),
                f.inputs());

        // The events on for each recorded block, warm-up included, and off after it; the one
        // recording closed, none left in the JVM.
        ProviderEventRecording r = m.recording();
        assertEquals(m.callsWithRecording() / PairedLatency.BLOCK, r.enabledBlocks());
        assertEquals(r.enabledBlocks(), r.disabledBlocks());
        assertTrue(r.closed());
        assertEquals(0, ProviderEventRecording.othersRunning());
        assertTrue(FlightRecorder.getFlightRecorder().getRecordings().isEmpty());

        Map<String, String> settings = r.lastSettings();
        for (String event : ProviderEventRecording.EVENTS) {
            assertEquals("true", settings.get(event + "#enabled"), settings.toString());
            assertEquals("0 ns", settings.get(event + "#threshold"), settings.toString());
            assertEquals("false", settings.get(event + "#stackTrace"), settings.toString());
        }
        assertEquals(3 * ProviderEventRecording.EVENTS.size(), settings.size(), "nothing else is recorded: " + settings);
    }

    @Test
    void aRuntimeWithoutJfrSkipsTheFigureWithANote() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        int before = sign.fixture().kms().requests().size();
        Optional<Figure> f = JfrSignOverhead.figure(sign, BenchSettings.SMOKE,
                new PrintStream(progress, true, StandardCharsets.UTF_8), "this Java runtime has no jdk.jfr module");
        assertTrue(f.isEmpty());
        assertEquals("  jfr_sign_overhead_ratio skipped: this Java runtime has no jdk.jfr module\n",
                progress.toString(StandardCharsets.UTF_8));
        assertEquals(before, sign.fixture().kms().requests().size(), "a skipped figure signs nothing");
    }
}
