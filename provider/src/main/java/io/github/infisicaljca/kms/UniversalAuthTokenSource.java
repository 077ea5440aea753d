package io.github.infisicaljca.kms;

import io.github.infisicaljca.Secret;
import io.github.infisicaljca.telemetry.internal.KmsObserver;
import io.github.infisicaljca.telemetry.internal.Trace;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Universal Auth tokens for a machine identity. Renews a token once two thirds of its TTL
 * have passed (in the background of the caller that notices, while others keep using the
 * still-valid token); logs in again once renewal cannot help (past the max TTL, or renewal
 * refused). A token that is missing, expired or refused by the server is replaced by one
 * login that every waiting thread shares (single flight). After a failed login the next one
 * waits a while (1 s, doubling up to 30 s for a refusal, 5 s for an outage): callers meanwhile
 * get the failure at once, so a wrong secret costs the server a login every few seconds, not
 * one per call of every thread.
 */
final class UniversalAuthTokenSource implements TokenSource {
    private static final Logger LOG = System.getLogger("io.github.infisicaljca.kms");
    private static final long NEVER = Long.MAX_VALUE;
    private static final long FIRST_PAUSE = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_PAUSE_REFUSED = TimeUnit.SECONDS.toNanos(30);
    private static final long MAX_PAUSE_TRANSIENT = TimeUnit.SECONDS.toNanos(5);

    /** An immutable view of the current token; replaced whole, compared by identity. */
    private static final class State {
        final Secret token;
        final long renewAt;
        /** A little before the real expiry: a token is not sent when it may expire in transit. */
        final long usableUntil;
        final long expiresAt;
        final long maxExpiresAt;
        /** Obtained by renewing the one before, not by a login. */
        final boolean renewed;

        State(Secret token, long renewAt, long usableUntil, long expiresAt, long maxExpiresAt, boolean renewed) {
            this.renewed = renewed;
            this.token = token;
            this.renewAt = renewAt;
            this.usableUntil = usableUntil;
            this.expiresAt = expiresAt;
            this.maxExpiresAt = maxExpiresAt;
        }
    }

    private final AuthApi api;
    private final String clientId;
    private final Secret clientSecret;
    private final LongSupplier nanoClock;
    /** The clock of the callers' deadlines ({@link System#nanoTime} but in tests, like {@code nanoClock}). */
    private final LongSupplier deadlineClock;
    private final Object lock = new Object();
    private final AtomicBoolean renewing = new AtomicBoolean();
    private volatile State state;
    /** The last tokens replaced: a server may still echo one back, so they stay masked. */
    private volatile java.util.List<Secret> retired = java.util.List.of();
    private volatile long nextRenewalAttempt = Long.MIN_VALUE;
    private CompletableFuture<State> inFlight; // guarded by lock
    private KmsException lastFailure; // guarded by lock
    private long lastFailureAt; // guarded by lock
    private long pausedUntil; // guarded by lock
    private int failuresInARow; // guarded by lock
    private final KmsObserver observer;
    /** Whether a token was ever obtained: the first login is not a re-login. */
    private volatile boolean hadToken;

    UniversalAuthTokenSource(AuthApi api, String clientId, Secret clientSecret, LongSupplier nanoClock,
            LongSupplier deadlineClock) {
        this(api, clientId, clientSecret, nanoClock, deadlineClock, KmsObserver.NONE);
    }

    UniversalAuthTokenSource(AuthApi api, String clientId, Secret clientSecret, LongSupplier nanoClock,
            LongSupplier deadlineClock, KmsObserver observer) {
        this.observer = observer;
        this.api = api;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.nanoClock = nanoClock;
        this.deadlineClock = deadlineClock;
    }

    @Override
    public String token(long deadlineNanos) throws KmsException {
        State s = state;
        long now = nanoClock.getAsLong();
        if (s != null && now < s.renewAt) {
            return s.token.reveal();
        }
        if (s != null && now < s.usableUntil && now >= nextRenewalAttempt && renewing.compareAndSet(false, true)) {
            // Time to renew, and the token still works: this caller renews, nobody waits for it.
            try {
                return shared(s, false, deadlineNanos).token.reveal();
            } catch (KmsException e) {
                // Not again on every call: wait a quarter of the remaining lifetime before the next try.
                nextRenewalAttempt = now + Math.max((s.usableUntil - now) / 4, TimeUnit.SECONDS.toNanos(1));
                LOG.log(Level.WARNING, "renewing the Infisical access token failed; the current one stays in use "
                        + "until it expires: {0}", e.getMessage());
                return s.token.reveal();
            } finally {
                renewing.set(false);
            }
        }
        if (s != null && now < s.usableUntil) {
            return s.token.reveal();
        }
        return shared(s, false, deadlineNanos).token.reveal();
    }

    @Override
    public String refreshAfterRejection(String rejected, long deadlineNanos) throws KmsException {
        State s = state;
        if (s != null && !s.token.matches(rejected)) {
            return s.token.reveal(); // someone else already replaced the refused token
        }
        return shared(s, true, deadlineNanos).token.reveal();
    }

    @Override
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text.replace(clientSecret.reveal(), Secret.MASK);
        for (Secret old : retired) {
            out = out.replace(old.reveal(), Secret.MASK);
        }
        State s = state;
        return s == null ? out : out.replace(s.token.reveal(), Secret.MASK);
    }

    /** Revokes the current token, if any; the next call logs in again. */
    void revokeCurrent() throws KmsException {
        State s;
        synchronized (lock) {
            s = state;
            retire(s);
            state = null;
        }
        if (s != null) {
            api.revoke(s.token);
        }
    }

    /**
     * Replaces {@code seen} once, however many threads ask: the first becomes the leader and
     * calls the server; the others wait for its result within their own deadlines.
     */
    private State shared(State seen, boolean rejected, long deadlineNanos) throws KmsException {
        CompletableFuture<State> flight;
        boolean leader = false;
        synchronized (lock) {
            if (state != seen) {
                return state != null ? state : shared(null, rejected, deadlineNanos);
            }
            if (inFlight == null) {
                long now = nanoClock.getAsLong();
                if (lastFailure != null && now - pausedUntil < 0) {
                    throw paused(now);
                }
                inFlight = new CompletableFuture<>();
                leader = true;
            }
            flight = inFlight;
        }
        if (leader) {
            try {
                State fresh = obtain(seen, rejected, deadlineNanos);
                synchronized (lock) {
                    retire(state);
                    state = fresh;
                    inFlight = null;
                    lastFailure = null;
                    failuresInARow = 0;
                }
                flight.complete(fresh);
                return fresh;
            } catch (KmsException | RuntimeException | Error e) {
                // An Error too (out of memory while reading the answer): a flight left open would
                // hold every later caller until its deadline.
                synchronized (lock) {
                    inFlight = null;
                    if (e instanceof KmsException k && k.kind() != KmsException.Kind.INTERRUPTED) {
                        pauseAfter(k);
                    }
                }
                flight.completeExceptionally(e);
                throw e;
            }
        }
        return await(flight, deadlineNanos);
    }

    /** Starts (or lengthens) the pause before the next login (call under lock). */
    private void pauseAfter(KmsException failure) {
        long now = nanoClock.getAsLong();
        boolean refused = failure instanceof KmsApiException && ((KmsApiException) failure).status() < 500;
        long max = refused ? MAX_PAUSE_REFUSED : MAX_PAUSE_TRANSIENT;
        long pause = Math.min(max, FIRST_PAUSE << Math.min(failuresInARow, 10));
        failuresInARow++;
        lastFailure = failure;
        lastFailureAt = now;
        pausedUntil = now + pause;
    }

    /** The last failure again, for a caller that comes during the pause (call under lock). */
    private KmsException paused(long now) {
        String detail = "not tried again yet: the last login, " + millis(now - lastFailureAt)
                + " ago, failed, and logins pause for " + millis(pausedUntil - now) + " more (they pause after"
                + " each failure so that waiting threads do not storm the server): " + lastFailure.getMessage();
        return new KmsException(lastFailure.kind(), "login", null, detail, lastFailure);
    }

    private static String millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
    }

    /** Keeps the replaced token for {@link #redact}; the last four are enough (call under lock). */
    private void retire(State old) {
        if (old == null) {
            return;
        }
        java.util.List<Secret> kept = new java.util.ArrayList<>(retired);
        kept.add(0, old.token);
        retired = java.util.List.copyOf(kept.subList(0, Math.min(4, kept.size())));
    }

    /** Spends the leader's own deadline: a login is part of the call that needed it. */
    private State obtain(State seen, boolean rejected, long deadlineNanos) throws KmsException {
        Trace trace = observer.loginStarted();
        long now = nanoClock.getAsLong();
        String reason = !hadToken ? "first-login" : rejected ? "rejected" : seen == null ? "revoked"
                : now < seen.usableUntil ? "renewal" : "expired";
        State fresh = null;
        try {
            fresh = obtain(seen, rejected, deadlineNanos, now);
            hadToken = true;
            return fresh;
        } finally {
            observer.loginEnded(trace, reason, fresh != null && fresh.renewed, fresh != null);
        }
    }

    private State obtain(State seen, boolean rejected, long deadlineNanos, long now) throws KmsException {
        // Renewal helps only a live token whose expiry is not already pinned to its max TTL.
        boolean renewable = seen != null && !rejected && now < seen.usableUntil && seen.expiresAt < seen.maxExpiresAt;
        if (renewable) {
            try {
                return adopt(api.renew(seen.token, OptionalLong.of(deadlineNanos)), seen.maxExpiresAt, true);
            } catch (KmsApiException e) {
                LOG.log(Level.INFO, "token renewal refused ({0}); logging in again", e.getMessage());
            }
        }
        LOG.log(Level.DEBUG, "logging in to Infisical with Universal Auth as client {0}", clientId);
        return adopt(api.login(clientId, clientSecret, OptionalLong.of(deadlineNanos)), NEVER, false);
    }

    /** @param maxExpiresAt the max-TTL bound carried over from the login, or NEVER after a login */
    private State adopt(AuthToken t, long maxExpiresAt, boolean renewed) {
        long now = nanoClock.getAsLong();
        long ttl = t.expiresIn().toNanos();
        long max = maxExpiresAt != NEVER ? maxExpiresAt
                : t.maxTtl().isZero() ? NEVER : now + t.maxTtl().toNanos();
        long expires = ttl == 0 ? NEVER : Math.min(now + ttl, max);
        long usableUntil = expires == NEVER ? NEVER : expires - Math.min((expires - now) / 10, TimeUnit.SECONDS.toNanos(10));
        long renewAt = expires == NEVER ? NEVER : now + (expires - now) * 2 / 3;
        return new State(t.accessToken(), renewAt, usableUntil, expires, max, renewed);
    }

    private State await(CompletableFuture<State> flight, long deadlineNanos) throws KmsException {
        try {
            return flight.get(Math.max(0, deadlineNanos - deadlineClock.getAsLong()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KmsException) {
                throw (KmsException) e.getCause();
            }
            throw new KmsException(KmsException.Kind.IO, "login", null, "login failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KmsException(KmsException.Kind.TIMEOUT, "login", null,
                    "no token within the request timeout while another thread was logging in", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KmsException(KmsException.Kind.INTERRUPTED, "login", null, "interrupted while waiting for login", e);
        }
    }

    @Override
    public String toString() {
        return "UniversalAuthTokenSource{clientId=" + clientId + ", clientSecret=" + Secret.MASK + "}";
    }
}
