package io.github.infisicaljca.telemetry.internal;

/**
 * Where the recorder sends events: JFR when present, else nowhere. An interface free of
 * {@code jdk.jfr} types, so the recorder links without that module. A {@code begin} returns
 * the event begun, or null when nobody records it; {@code end} gets only non-null events.
 */
interface EventSink {
    EventSink NONE = new EventSink() {
        @Override
        public Object beginCall() {
            return null;
        }

        @Override
        public void endCall(Object event, Trace t, String outcome) {
        }

        @Override
        public Object beginLogin() {
            return null;
        }

        @Override
        public void endLogin(Object event, String reason, boolean renewal, boolean success) {
        }

        @Override
        public Object beginWait() {
            return null;
        }

        @Override
        public void endWait(Object event, String operation, String route, long waitedNanos) {
        }
    };

    Object beginCall();

    void endCall(Object event, Trace t, String outcome);

    Object beginLogin();

    void endLogin(Object event, String reason, boolean renewal, boolean success);

    Object beginWait();

    void endWait(Object event, String operation, String route, long waitedNanos);
}
