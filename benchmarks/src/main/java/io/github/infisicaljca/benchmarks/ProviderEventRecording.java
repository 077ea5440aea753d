package io.github.infisicaljca.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * The recording side of {@code jfr_sign_overhead_ratio}: before each block a JFR recording of
 * the provider's own events and nothing else (threshold 0, no stack traces, in memory), closed
 * after it, so that the other side's blocks run with no recording at all. Loaded only once
 * {@link JfrSignOverhead} has found {@code jdk.jfr} in the runtime.
 */
final class ProviderEventRecording implements PairedLatency.Around, AutoCloseable {
    /** The provider's events (issue 19); enabling names no class defines yet is allowed and records nothing. */
    static final List<String> EVENTS = List.of("io.github.infisicaljca.KmsCall", "io.github.infisicaljca.Relogin",
            "io.github.infisicaljca.RateLimitWait");

    private Recording current;
    private Recording last;
    private int started;
    private int closed;

    /** Whether this JVM can record at all (a runtime with jdk.jfr can still be built without JFR support). */
    static boolean available() {
        return FlightRecorder.isAvailable();
    }

    /** Recordings running in this JVM that this class did not start (-XX:StartFlightRecording, for example). */
    static int othersRunning() {
        return FlightRecorder.isInitialized() ? (int) FlightRecorder.getFlightRecorder().getRecordings().stream()
                .filter(r -> r.getState() == RecordingState.RUNNING).count() : 0;
    }

    @Override
    public void before() {
        Recording r = new Recording();
        try {
            r.setName("infisical-jca bench: provider events");
            r.setToDisk(false);
            for (String event : EVENTS) {
                r.enable(event).withThreshold(Duration.ZERO).withoutStackTrace();
            }
            r.start();
        } catch (RuntimeException | Error e) {
            r.close();
            throw e;
        }
        current = r;
        last = r;
        started++;
    }

    @Override
    public void after() {
        close();
    }

    @Override
    public void close() {
        if (current != null) {
            try {
                current.close();
            } finally {
                current = null;
                closed++;
            }
        }
    }

    int started() {
        return started;
    }

    int closed() {
        return closed;
    }

    /** For tests: the settings of the last recording, and whether it is closed. */
    Map<String, String> lastSettings() {
        return last == null ? Map.of() : last.getSettings();
    }

    boolean lastClosed() {
        return last != null && last.getState() == RecordingState.CLOSED;
    }
}
