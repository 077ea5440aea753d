package io.github.infisicaljca.kms;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an answer says about the server's rate limit: Infisical's {@code x-ratelimit-limit},
 * {@code x-ratelimit-remaining} and {@code x-ratelimit-reset} (seconds until the window ends), on
 * every answer of a limited route, and {@code retry-after} on a refusal. Unreadable or absurd
 * values are clamped or dropped, never thrown: a header must not turn a result into a crash.
 *
 * @param limit      requests a window allows, or -1 when not announced
 * @param remaining  requests left in the window, or -1 when not announced
 * @param reset      time until the window ends, or {@code null}
 * @param retryAfter the wait a refusal asks for ({@code Retry-After}, else "try again in N
 *                   seconds" in a 429's message), or {@code null}
 */
record RateLimitHeaders(int limit, int remaining, Duration reset, Duration retryAfter) {
    /** No server legitimately asks for more; a larger value is clamped so arithmetic cannot overflow. */
    static final Duration MAX_WAIT = Duration.ofDays(1);
    static final RateLimitHeaders NONE = new RateLimitHeaders(-1, -1, null, null);

    // Any number of digits (RFC 9110's delay-seconds is 1*DIGIT): a long one saturates rather than being ignored.
    private static final Pattern TRY_AGAIN = Pattern.compile("try again in (\\d+) seconds?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern LEADING_ZEROS = Pattern.compile("^0+(?=\\d)");

    /** @param message the error's message, read for "try again in N seconds" when a 429 has no header */
    static RateLimitHeaders read(int status, HttpHeaders headers, String message) {
        int limit = count(headers.firstValue("x-ratelimit-limit"));
        int remaining = count(headers.firstValue("x-ratelimit-remaining"));
        Duration reset = seconds(headers.firstValue("x-ratelimit-reset").orElse(null));
        Duration retryAfter = retryAfter(headers.firstValue("retry-after").orElse(null));
        if (retryAfter == null && status == 429 && message != null) {
            Matcher m = TRY_AGAIN.matcher(message);
            if (m.find()) {
                retryAfter = seconds(m.group(1));
            }
        }
        return limit < 0 && remaining < 0 && reset == null && retryAfter == null ? NONE
                : new RateLimitHeaders(limit, remaining, reset, retryAfter);
    }

    /** Whether the server announced a limit for this route. */
    boolean announced() {
        return limit > 0;
    }

    /**
     * Whether a failed answer is the rate limiter's refusal rather than the handler's own error.
     * A 429 is; so is any error carrying {@code retry-after} (the 2024 server refuses with a 500
     * that only this header tells apart from a rejected ciphertext), except a 503 without any
     * rate-limit header, which is a server asking for time (maintenance), not a spent budget.
     * {@code x-ratelimit-remaining: 0} alone is not a refusal: the last request a window allows
     * carries it too, and that request ran (its 500 may be a genuinely rejected ciphertext).
     */
    static boolean isRefusal(int status, HttpHeaders headers) {
        if (status == 429) {
            return true;
        }
        if (status < 400 || headers.firstValue("retry-after").isEmpty()) {
            return false;
        }
        return status != 503 || headers.firstValue("x-ratelimit-limit").isPresent()
                || headers.firstValue("x-ratelimit-remaining").isPresent();
    }

    /** The wait this answer asks for: {@code retry-after}, else the window's reset. */
    Optional<Duration> asked() {
        return Optional.ofNullable(retryAfter != null ? retryAfter : reset);
    }

    /** {@code Retry-After}: delay-seconds or an HTTP date (RFC 9110, 10.2.3); a past date is zero. */
    static Duration retryAfter(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        Duration seconds = seconds(v);
        if (seconds != null) {
            return seconds;
        }
        try {
            ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            ZonedDateTime now = ZonedDateTime.now(when.getZone());
            if (!when.isAfter(now)) {
                return Duration.ZERO;
            }
            // Compare before subtracting: a date in year 9999 is past any wait we would honour.
            return when.isAfter(now.plus(MAX_WAIT)) ? MAX_WAIT : Duration.between(now, when);
        } catch (DateTimeParseException | ArithmeticException unreadable) {
            return null;
        }
    }

    private static Duration seconds(String value) {
        if (value == null || !DIGITS.matcher(value.strip()).matches()) {
            return null;
        }
        String v = LEADING_ZEROS.matcher(value.strip()).replaceFirst("");
        // Saturate instead of overflowing: past 7 digits it is past MAX_WAIT anyway.
        long s = v.length() > 7 ? MAX_WAIT.toSeconds() : Long.parseLong(v);
        return Duration.ofSeconds(Math.min(s, MAX_WAIT.toSeconds()));
    }

    private static int count(Optional<String> value) {
        if (value.isEmpty() || !DIGITS.matcher(value.get().strip()).matches()) {
            return -1;
        }
        String v = LEADING_ZEROS.matcher(value.get().strip()).replaceFirst("");
        return v.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(v);
    }
}
