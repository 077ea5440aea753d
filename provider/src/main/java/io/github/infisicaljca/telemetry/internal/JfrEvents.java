package io.github.infisicaljca.telemetry.internal;

import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;

/**
 * The only class that touches the event classes; {@link OptionalModules} loads it only when
 * {@code jdk.jfr} is in the boot layer. Each {@code begin} returns null when its event type is
 * enabled in no recording, so a call with JFR off allocates no event. Nothing of JFR is set up
 * before the JVM's flight recorder is (by {@code -XX:StartFlightRecording}, {@code jcmd
 * JFR.start} or a {@code Recording}): a process that never records pays nothing for it.
 */
final class JfrEvents implements EventSink {
    /** The event types, looked up once the flight recorder is up; null before. */
    private volatile EventType[] types;

    private EventType type(int index) {
        EventType[] t = types;
        if (t == null) {
            if (!FlightRecorder.isInitialized()) {
                return null;
            }
            try {
                t = new EventType[] {EventType.getEventType(KmsCallEvent.class),
                    EventType.getEventType(ReloginEvent.class), EventType.getEventType(RateLimitWaitEvent.class)};
            } catch (RuntimeException refused) {
                t = new EventType[3]; // a security manager's refusal: no events, never a failed call
            }
            types = t;
        }
        return t[index];
    }

    private boolean enabled(int index) {
        EventType t = type(index);
        return t != null && t.isEnabled();
    }

    @Override
    public Object beginCall() {
        if (!enabled(0)) {
            return null;
        }
        KmsCallEvent e = new KmsCallEvent();
        e.begin();
        return e;
    }

    @Override
    public void endCall(Object event, Trace t, String outcome) {
        KmsCallEvent e = (KmsCallEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.operation = t.operation;
            e.keyId = t.keyId;
            e.status = t.status;
            e.attempts = t.attempts;
            e.outcome = outcome;
            e.requestBytes = t.requestBytes;
            e.responseBytes = t.responseBytes;
            e.commit();
        }
    }

    @Override
    public Object beginLogin() {
        if (!enabled(1)) {
            return null;
        }
        ReloginEvent e = new ReloginEvent();
        e.begin();
        return e;
    }

    @Override
    public void endLogin(Object event, String reason, boolean renewal, boolean success) {
        ReloginEvent e = (ReloginEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.reason = reason;
            e.renewal = renewal;
            e.success = success;
            e.commit();
        }
    }

    @Override
    public Object beginWait() {
        if (!enabled(2)) {
            return null;
        }
        RateLimitWaitEvent e = new RateLimitWaitEvent();
        e.begin();
        return e;
    }

    @Override
    public void endWait(Object event, String operation, String route, long waitedNanos) {
        RateLimitWaitEvent e = (RateLimitWaitEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.operation = operation;
            e.route = route;
            e.waited = waitedNanos;
            e.commit();
        }
    }
}
