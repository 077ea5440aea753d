package io.github.infisicaljca.telemetry.internal;

/**
 * One KMS call, login or rate-limit wait under way: when it started, and for a call what its
 * attempts brought. Made by {@link KmsObserver}, filled in by the HTTP code, handed back at the
 * end. Used by one thread only.
 */
public final class Trace {
    /** For the observer that records nothing: shared, so it is written to but never read. */
    static final Trace IGNORED = new Trace(null, null, 0, null);

    final String operation;
    final String keyId;
    final long startedNanos;
    /** The JFR event begun with it, or null when its event type is off (or JFR absent). */
    final Object event;
    int status;
    int attempts;
    long requestBytes;
    long responseBytes;

    Trace(String operation, String keyId, long startedNanos, Object event) {
        this.operation = operation;
        this.keyId = keyId;
        this.startedNanos = startedNanos;
        this.event = event;
    }

    /** A request is about to be sent. */
    public void sending() {
        attempts++;
    }

    /**
     * The server answered an attempt.
     *
     * @param httpStatus the answer's status
     * @param sent       the request body's length
     * @param received   the response body's length
     */
    public void answered(int httpStatus, long sent, long received) {
        status = httpStatus;
        requestBytes += sent;
        responseBytes += received;
    }
}
