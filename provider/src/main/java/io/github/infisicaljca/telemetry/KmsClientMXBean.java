package io.github.infisicaljca.telemetry;

import java.util.Map;

/**
 * The figures of one {@link io.github.infisicaljca.kms.KmsClient} over JMX, registered in the
 * platform MBean server as {@code io.github.infisicaljca:type=KmsClient,name=<instance>} while
 * the client is open. Open types only, so jconsole, {@code jcmd} and the Prometheus JMX
 * exporter read it without this library's classes. The same figures, for code:
 * {@link KmsTelemetry}.
 *
 * <p>Per-operation maps are keyed by the client's operation names ({@code sign},
 * {@code encrypt}, {@code login}, ...); latencies are of whole calls, retries and waits included,
 * in milliseconds, from a fixed-bucket histogram (about 12% resolution).
 */
public interface KmsClientMXBean {

    /** {@return this client's instance name, the {@code name} key of its ObjectName} */
    String getInstance();

    /** {@return calls made since the client was created, whatever their outcome} */
    long getCalls();

    /** {@return calls that ended in a failure} */
    long getFailures();

    /**
     * {@return calls by {@code operation/outcome}, for example {@code sign/SUCCESS} or
     * {@code get-key/API}; an outcome is {@code SUCCESS} or the failure's
     * {@link io.github.infisicaljca.kms.KmsException.Kind} name}
     */
    Map<String, Long> getCallsByOutcome();

    /** {@return the median call latency of each operation, in milliseconds} */
    Map<String, Double> getLatencyP50Millis();

    /** {@return the 90th percentile call latency of each operation, in milliseconds} */
    Map<String, Double> getLatencyP90Millis();

    /** {@return the 99th percentile call latency of each operation, in milliseconds} */
    Map<String, Double> getLatencyP99Millis();

    /** {@return the longest call of each operation, in milliseconds} */
    Map<String, Double> getLatencyMaxMillis();

    /** {@return requests sent again after a failed attempt (over all calls)} */
    long getRetries();

    /** {@return access tokens obtained again: logins and renewals after the first login} */
    long getRelogins();

    /** {@return times a call waited for a route's rate-limit window} */
    long getRateLimitWaits();

    /** {@return the requests left in each route's rate-limit window, as the server last announced it} */
    Map<String, Long> getRateLimitRemaining();

    /** {@return each route's requests a window, as the server last announced it} */
    Map<String, Long> getRateLimitLimit();

    /** {@return INFISICAL-ENVELOPE data keys served from the cache (no KMS call)} */
    long getDataKeyCacheHits();

    /** {@return INFISICAL-ENVELOPE data-key cache lookups that found nothing usable} */
    long getDataKeyCacheMisses();

    /** {@return all of the above as a small text table} */
    String getSummary();
}
