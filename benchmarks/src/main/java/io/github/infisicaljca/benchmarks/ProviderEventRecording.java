package io.github.infisicaljca.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * The recording side of {@code jfr_sign_overhead_ratio}: one in-memory JFR recording runs for
 * the whole figure, and the provider's own events (and nothing else: threshold 0, no stack
 * traces) are enabled in it before each recorded block and disabled after it. Both sides so run
 * with the flight recorder up and differ only in the provider's events, the cost being
 * measured; starting a recording per block instead woke JFR's own threads during the very
 * block being timed. Loaded only once {@link JfrSignOverhead} has found {@code jdk.jfr}.
 */
final class ProviderEventRecording implements PairedLatency.Around, AutoCloseable {
    /** The provider's events (issue 19). */
    static final List<String> EVENTS = List.of("io.github.infisicaljca.KmsCall", "io.github.infisicaljca.Relogin",
            "io.github.infisicaljca.RateLimitWait");

    private final Recording recording = new Recording();
    private Map<String, String> lastSettings = Map.of();
    private int enabled;
    private int disabled;

    ProviderEventRecording() {
        try {
            recording.setName("infisical-jca bench: provider events");
            recording.setToDisk(false);
            recording.start(); // with no settings: it records nothing until before()
        } catch (RuntimeException | Error e) {
            recording.close();
            throw e;
        }
    }

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
        for (String event : EVENTS) {
            recording.enable(event).withThreshold(Duration.ZERO).withoutStackTrace();
        }
        lastSettings = Map.copyOf(recording.getSettings());
        enabled++;
    }

    @Override
    public void after() {
        for (String event : EVENTS) {
            recording.disable(event);
        }
        disabled++;
    }

    @Override
    public void close() {
        recording.close();
    }

    /** {@return how many blocks ran with the events enabled} */
    int enabledBlocks() {
        return enabled;
    }

    /** {@return how many times they were disabled again} */
    int disabledBlocks() {
        return disabled;
    }

    /** For tests: the recording's settings while the last recorded block ran. */
    Map<String, String> lastSettings() {
        return lastSettings;
    }

    boolean closed() {
        return recording.getState() == RecordingState.CLOSED;
    }
}
