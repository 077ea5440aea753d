package io.github.infisicaljca.kms;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contract's retry rules. Retryable: connection failures, 429, 500, 502, 503, 504; never
 * another 4xx. A call that is not idempotent (key creation) is retried only when it surely
 * never reached the server: a refused connection, or a 429 (the rate limiter answers before
 * the handler runs). Delays grow exponentially with "equal jitter"; a 429 waits as long as
 * the server asks. The executor stops early when a wait would pass the call's deadline.
 */
final class RetryPolicy {
    private static final Pattern TRY_AGAIN = Pattern.compile("try again in (\\d{1,6}) seconds?", Pattern.CASE_INSENSITIVE);

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
            if (status == 429) {
                return true;
            }
            if (status == 500 && call.max500Retries() >= 0 && retriesSoFar >= call.max500Retries()) {
                return false;
            }
            return call.idempotent() && (status == 500 || status == 502 || status == 503 || status == 504);
        }
        switch (failure.kind()) {
            case CONNECT:
                // A TLS failure is reported as CONNECT too, but it will not heal by itself.
                return !(failure.getCause() instanceof javax.net.ssl.SSLException);
            case IO:
                return call.idempotent();
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

    /** How long a 429 asks to wait: {@code Retry-After} (seconds or HTTP date), else the message text. */
    static Optional<Duration> retryAfter(HttpHeaders headers, String message) {
        Optional<String> header = headers.firstValue("Retry-After");
        if (header.isPresent()) {
            String v = header.get().strip();
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration d = Duration.between(ZonedDateTime.now(when.getZone()), when);
                    return Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (DateTimeParseException notADate) {
                    // unreadable header: fall back to the message text
                }
            }
        }
        if (message != null) {
            Matcher m = TRY_AGAIN.matcher(message);
            if (m.find()) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(m.group(1))));
            }
        }
        return Optional.empty();
    }
}
