package io.github.infisicaljca.telemetry.internal;

import jdk.jfr.EventType;

/**
 * The only class that touches the event classes; {@link OptionalModules} loads it only when
 * {@code jdk.jfr} is in the boot layer. Each {@code begin} returns null when its event type is
 * enabled in no recording, so a call with JFR off allocates no event.
 */
final class JfrEvents implements EventSink {
    private final EventType callType = EventType.getEventType(KmsCallEvent.class);
    private final EventType reloginType = EventType.getEventType(ReloginEvent.class);
    private final EventType waitType = EventType.getEventType(RateLimitWaitEvent.class);

    @Override
    public Object beginCall() {
        if (!callType.isEnabled()) {
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
        if (!reloginType.isEnabled()) {
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
        if (!waitType.isEnabled()) {
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
