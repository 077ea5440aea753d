package io.github.infisicaljca.telemetry.internal;

import io.github.infisicaljca.kms.RequestBudget;
import io.github.infisicaljca.telemetry.KmsClientMXBean;
import io.github.infisicaljca.telemetry.KmsTelemetry.OperationStats;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/** The MXBean: every attribute read from a fresh snapshot of the recorder. Touches no JMX type. */
final class KmsClientBean implements KmsClientMXBean {
    private final TelemetryRecorder recorder;

    KmsClientBean(TelemetryRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public String getInstance() {
        return recorder.instance();
    }

    @Override
    public long getCalls() {
        return recorder.snapshot().calls();
    }

    @Override
    public long getFailures() {
        return recorder.snapshot().failures();
    }

    @Override
    public Map<String, Long> getCallsByOutcome() {
        Map<String, Long> out = new TreeMap<>();
        for (OperationStats s : recorder.snapshot().operations()) {
            s.byOutcome().forEach((outcome, n) -> out.put(s.operation() + "/" + outcome, n));
        }
        return out;
    }

    @Override
    public Map<String, Double> getLatencyP50Millis() {
        return latency(OperationStats::p50Millis);
    }

    @Override
    public Map<String, Double> getLatencyP90Millis() {
        return latency(OperationStats::p90Millis);
    }

    @Override
    public Map<String, Double> getLatencyP99Millis() {
        return latency(OperationStats::p99Millis);
    }

    @Override
    public Map<String, Double> getLatencyMaxMillis() {
        return latency(OperationStats::maxMillis);
    }

    private Map<String, Double> latency(ToDoubleFunction<OperationStats> figure) {
        Map<String, Double> out = new TreeMap<>();
        for (OperationStats s : recorder.snapshot().operations()) {
            out.put(s.operation(), figure.applyAsDouble(s));
        }
        return out;
    }

    @Override
    public long getRetries() {
        return recorder.snapshot().retries();
    }

    @Override
    public long getRelogins() {
        return recorder.snapshot().relogins();
    }

    @Override
    public long getRateLimitWaits() {
        return recorder.snapshot().rateLimitWaits();
    }

    @Override
    public Map<String, Long> getRateLimitRemaining() {
        return budgets(RequestBudget::remaining);
    }

    @Override
    public Map<String, Long> getRateLimitLimit() {
        return budgets(RequestBudget::limit);
    }

    /** One figure of each route that announced a limit, by route. */
    private Map<String, Long> budgets(ToLongFunction<RequestBudget> figure) {
        Map<String, Long> out = new TreeMap<>();
        for (RequestBudget b : recorder.snapshot().rateLimitBudgets()) {
            if (b.limited()) {
                out.put(b.route(), figure.applyAsLong(b));
            }
        }
        return out;
    }

    @Override
    public long getDataKeyCacheHits() {
        return recorder.snapshot().dataKeyCacheHits();
    }

    @Override
    public long getDataKeyCacheMisses() {
        return recorder.snapshot().dataKeyCacheMisses();
    }

    @Override
    public String getSummary() {
        return recorder.snapshot().toString();
    }
}
