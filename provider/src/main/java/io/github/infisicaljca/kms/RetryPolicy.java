package io.github.infisicaljca.kms;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The contract's retry rules. Retryable: connection failures, a rate limiter's refusal (429, or
 * a 2024 server's 500 with {@code retry-after}), 500, 502, 503, 504; never another 4xx. A call
 * that is not idempotent (key creation) is retried only when it surely never ran: a refused
 * connection, or a rate limiter's refusal (the limiter answers before the handler runs). A TLS
 * failure and a host name that does not resolve are not retried. Delays
 * grow exponentially with "equal jitter"; after a refusal the {@link RateLimiter} waits for the
 * window the server named. The executor stops early when a wait would pass the call's deadline.
 */
final class RetryPolicy {
    private final int maxRetries;
    private final Duration baseDelay;
    private final Duration maxDelay;

    RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay) {
        this.maxRetries = maxRetries;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    static RetryPolicy standard(int maxRetries) {
        return new RetryPolicy(maxRetries, Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    int maxRetries() {
        return maxRetries;
    }

    /** @param retriesSoFar retries already made for this call */
    boolean isRetryable(KmsException failure, ApiCall call, int retriesSoFar) {
        if (failure instanceof KmsApiException) {
            int status = ((KmsApiException) failure).status();
            if (status == 500 && call.max500Retries() >= 0 && retriesSoFar >= call.max500Retries()) {
                return false;
            }
            return call.idempotent() && (status == 500 || status == 502 || status == 503 || status == 504);
        }
        switch (failure.kind()) {
            case CONNECT:
                // A TLS failure will not heal by itself. Nor, within a call's time bound, will a name
                // that does not resolve: the JVM caches the failed lookup (10 s by default), so a retry
                // would only ask that cache; and in practice such a name is a mistake in infisical.url.
                return !(failure.getCause() instanceof javax.net.ssl.SSLException)
                        && !HttpTransport.isUnresolvedHost(failure.getCause());
            case IO:
                return call.idempotent();
            case RATE_LIMITED:
                return true;
            default:
                return false;
        }
    }

    /** The wait before retry number {@code retry} (0-based): exponential, half fixed, half random. */
    Duration backoff(int retry) {
        long cap = maxDelay.toMillis();
        long exp = Math.min(cap, baseDelay.toMillis() << Math.min(retry, 20));
        long half = exp / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
