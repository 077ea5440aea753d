package io.github.infisicaljca.kms;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.infisicaljca.telemetry.internal.KmsObserver;
import io.github.infisicaljca.telemetry.internal.Trace;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * Runs one {@link ApiCall} to completion within its time budget: adds the token, takes a permit
 * from the {@link RateLimiter} (waiting for it when the route's budget is spent), sends, maps
 * errors, retries what {@link RetryPolicy} allows, and after an authentication refusal gets one
 * fresh token and tries once more. Every remote call of the client goes through here.
 */
final class RequestExecutor {
    private static final Logger LOG = System.getLogger("io.github.infisicaljca.kms");

    /** Pauses between attempts; tests substitute one that records instead of sleeping. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final HttpTransport transport;
    private final TokenSource tokens;
    private final RetryPolicy retry;
    private final RateLimiter limiter;
    private final Duration budget;
    private final Sleeper sleeper;
    /** The clock of deadlines and waits: {@link System#nanoTime} but in tests, where waits move it on. */
    private final LongSupplier clock;
    private final KmsObserver observer;

    RequestExecutor(HttpTransport transport, TokenSource tokens, RetryPolicy retry, RateLimiter limiter,
            Duration budget, Sleeper sleeper, LongSupplier clock) {
        this(transport, tokens, retry, limiter, budget, sleeper, clock, KmsObserver.NONE);
    }

    RequestExecutor(HttpTransport transport, TokenSource tokens, RetryPolicy retry, RateLimiter limiter,
            Duration budget, Sleeper sleeper, LongSupplier clock, KmsObserver observer) {
        this.transport = transport;
        this.tokens = tokens;
        this.retry = retry;
        this.limiter = limiter;
        this.budget = budget;
        this.sleeper = sleeper;
        this.clock = clock;
        this.observer = observer;
    }

    /** The JSON object a 2xx answer carries. */
    JsonNode execute(ApiCall call) throws KmsException {
        return execute(call, clock.getAsLong() + budget.toNanos());
    }

    /**
     * As {@link #execute(ApiCall)}, within a deadline already running: a login or renewal made
     * on behalf of another call spends that call's budget instead of starting a fresh one.
     */
    JsonNode execute(ApiCall call, long deadline) throws KmsException {
        Trace trace = observer.callStarted(call.operation(), call.keyId());
        String outcome = "ERROR"; // a RuntimeException or Error: not a KMS outcome, but a call that ended
        try {
            JsonNode body = execute(call, deadline, trace);
            outcome = KmsObserver.SUCCESS;
            return body;
        } catch (KmsException e) {
            outcome = e.kind().name();
            throw e;
        } finally {
            observer.callEnded(trace, outcome);
        }
    }

    /** The attempts of one call (named like its caller, so log records keep naming {@code execute}). */
    private JsonNode execute(ApiCall call, long deadline, Trace trace) throws KmsException {
        boolean refreshed = false;
        int retries = 0;
        KmsException previous = null;
        while (true) {
            String token = call.bearer() ? tokens.token(deadline) : null;
            RateLimiter.Ticket ticket;
            try {
                ticket = limiter.acquire(call, deadline);
            } catch (RateLimitedException unsent) {
                if (previous == null) {
                    throw unsent;
                }
                // A retry the budget cannot pay for: the failure that asked for it is the answer
                // (a rate limit's own refusal, or say a rejected ciphertext's 500).
                if (!previous.isRateLimited()) {
                    previous.addSuppressed(unsent);
                }
                throw previous;
            }
            long started = System.nanoTime();
            KmsException failure = null;
            HttpTransport.Response response = null;
            trace.sending();
            try {
                // The transport times real I/O: what is left of the deadline, from now on the system's clock.
                response = transport.exchange(call, token, System.nanoTime() + (deadline - clock.getAsLong()));
            } catch (KmsException e) {
                limiter.unanswered(ticket);
                if (e.kind() == KmsException.Kind.INTERRUPTED) {
                    throw e;
                }
                failure = e;
            } catch (RuntimeException | Error e) {
                // Out of memory reading the body, say: the permit (maybe the route's probe, which
                // every other caller waits for) must not stay held.
                limiter.unanswered(ticket);
                throw e;
            }
            if (response != null) {
                trace.answered(response.status(), response.sent(), response.body() == null ? 0 : response.body().length);
                log(call, response.status(), started, retries);
                if (response.isSuccess()) {
                    limiter.answered(ticket, response);
                    JsonNode body = Json.parseObject(response.body());
                    if (body == null) {
                        throw Json.malformed(call.operation(), call.keyId(),
                                "the body is not a JSON object (HTTP " + response.status() + ")");
                    }
                    return body;
                }
                try {
                    failure = ErrorResponses.toException(call, response, redactor(call, token));
                } catch (RuntimeException | Error e) {
                    limiter.answered(ticket, response);
                    throw e;
                }
                if (failure instanceof RateLimitedException r) {
                    limiter.refused(ticket, r, retry.backoff(retries));
                } else {
                    limiter.answered(ticket, response);
                }
            }
            previous = failure;
            if (!refreshed && call.bearer() && failure instanceof KmsApiException
                    && ((KmsApiException) failure).isAuthenticationFailure()) {
                refreshed = true;
                String fresh = tokens.refreshAfterRejection(token, deadline);
                if (fresh != null) {
                    LOG.log(Level.INFO, "{0}{1}: token refused ({2}); logged in again, retrying once",
                            call.operation(), safe(call.keyId()), ((KmsApiException) failure).error());
                    continue;
                }
                throw failure;
            }
            if (retries >= retry.maxRetries() || !retry.isRetryable(failure, call, retries)) {
                throw failure;
            }
            if (failure.isRateLimited()) {
                // The limiter now holds the window the server named: the next acquire waits for it,
                // or refuses at once when it opens after the deadline.
                LOG.log(Level.WARNING, "{0}{1}: {2}; retry {3} of {4} when the window reopens, if that is within the"
                        + " time bound", call.operation(), safe(call.keyId()), firstSentence(failure), retries + 1,
                        retry.maxRetries());
                retries++;
                continue;
            }
            int attempt = retries;
            // A Retry-After of 0 (or a past date) must not become a burst: the backoff is the floor.
            Duration backoff = retry.backoff(attempt);
            Duration asked = failure instanceof KmsApiException
                    ? ((KmsApiException) failure).retryAfter().orElse(Duration.ZERO) : Duration.ZERO;
            Duration wait = asked.compareTo(backoff) > 0 ? asked : backoff;
            if (clock.getAsLong() + wait.toNanos() >= deadline) {
                LOG.log(Level.WARNING, "{0}{1}: not retrying, a wait of {2,number,#} ms would pass the request timeout{3}",
                        call.operation(), safe(call.keyId()), wait.toMillis(), reqId(failure));
                throw failure;
            }
            LOG.log(Level.WARNING, "{0}{1}: {2}; retry {3} of {4} in {5,number,#} ms", call.operation(), safe(call.keyId()),
                    failure.getMessage(), retries + 1, retryLimit(failure, call), wait.toMillis());
            pause(call, wait);
            retries++;
        }
    }

    /** Masks what this client knows to be secret, and what this very attempt sent. */
    private UnaryOperator<String> redactor(ApiCall call, String sentToken) {
        UnaryOperator<String> known = tokens == null ? UnaryOperator.identity() : tokens::redact;
        UnaryOperator<String> sent = SentValues.masker(call, sentToken);
        return text -> sent.apply(known.apply(text));
    }

    private void pause(ApiCall call, Duration wait) throws KmsException {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KmsException(KmsException.Kind.INTERRUPTED, call.operation(), call.keyId(),
                    "interrupted while waiting to retry", e);
        }
    }

    private static void log(ApiCall call, int status, long startedNanos, int retries) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "{0} {1} {2} -> HTTP {3,number,#} in {4,number,#} ms (attempt {5})", call.operation(), call.method(),
                    call.path(), status, (System.nanoTime() - startedNanos) / 1_000_000, retries + 1);
        }
    }

    /** The retries this failure can get, for the log: a decrypt's 500 has its own, smaller limit. */
    private int retryLimit(KmsException failure, ApiCall call) {
        boolean capped500 = failure instanceof KmsApiException && ((KmsApiException) failure).status() == 500
                && call.max500Retries() >= 0;
        return capped500 ? Math.min(call.max500Retries(), retry.maxRetries()) : retry.maxRetries();
    }

    /**
     * A rate limit's message up to its remedy: the log says what happened, the exception what to
     * do. The reqId, which the message puts after the remedy, stays: it is what finds the refusal
     * in the server's logs.
     */
    private static String firstSentence(KmsException e) {
        String m = e.getMessage();
        int end = m.indexOf(". To stay");
        return end < 0 ? m : m.substring(0, end) + reqId(e);
    }

    /** " (reqId ...)" when the server named its request, for a warning that does not quote the message. */
    private static String reqId(KmsException e) {
        Optional<String> id = e instanceof RateLimitedException r ? r.reqId()
                : e instanceof KmsApiException a ? a.reqId() : Optional.empty();
        return id.map(v -> " (reqId " + v + ")").orElse("");
    }

    private static String safe(String keyId) {
        return keyId == null ? "" : " key " + keyId;
    }
}
