package io.github.infisicaljca.telemetry.internal;

/**
 * The one hook the HTTP code calls: at the start and end of each KMS call, token login and
 * rate-limit wait, and on each data-key cache lookup. Implementations must be cheap and must
 * not throw: they run on every request's path.
 */
public interface KmsObserver {
    /** The outcome of a call that succeeded. */
    String SUCCESS = "SUCCESS";

    /** Records nothing. */
    KmsObserver NONE = new KmsObserver() {
        @Override
        public Trace callStarted(String operation, String keyId) {
            return Trace.IGNORED;
        }

        @Override
        public void callEnded(Trace call, String outcome) {
        }

        @Override
        public Trace loginStarted() {
            return Trace.IGNORED;
        }

        @Override
        public void loginEnded(Trace login, String reason, boolean renewal, boolean success) {
        }

        @Override
        public Trace waitStarted() {
            return Trace.IGNORED;
        }

        @Override
        public void waitEnded(Trace wait, String operation, String route, long waitedNanos) {
        }

        @Override
        public void dataKeyCache(boolean hit) {
        }
    };

    /**
     * A call begins (before its first attempt, its token and its rate-limit permit).
     *
     * @param operation the client operation, for example {@code sign}
     * @param keyId     the key addressed, or null
     * @return the trace to fill in and pass to {@link #callEnded}
     */
    Trace callStarted(String operation, String keyId);

    /**
     * A call ended.
     *
     * @param call    its trace
     * @param outcome {@link #SUCCESS}, or the failure's kind
     */
    void callEnded(Trace call, String outcome);

    /** {@return the trace of a token login or renewal beginning} */
    Trace loginStarted();

    /**
     * A token login or renewal ended.
     *
     * @param login   its trace
     * @param reason  why a token was needed: {@code first-login}, {@code expired}, {@code rejected},
     *                {@code renewal} or {@code revoked}
     * @param renewal whether the token was renewed rather than obtained by a login
     * @param success whether a token was obtained
     */
    void loginEnded(Trace login, String reason, boolean renewal, boolean success);

    /** {@return the trace of a wait for a rate-limit window beginning} */
    Trace waitStarted();

    /**
     * A wait for a rate-limit window ended.
     *
     * @param wait        its trace
     * @param operation   the call that waited
     * @param route       the budget's route
     * @param waitedNanos how long it waited, on the client's deadline clock
     */
    void waitEnded(Trace wait, String operation, String route, long waitedNanos);

    /**
     * An INFISICAL-ENVELOPE data-key cache lookup.
     *
     * @param hit whether it served a data key
     */
    void dataKeyCache(boolean hit);
}
