package io.github.infisicaljca.emulator;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Request limits as Infisical applies them: per client address and route pattern, {@code writes}
 * for POST, PATCH, PUT and DELETE routes and {@code reads} for GET routes, in fixed windows. A
 * self-hosted server without a license uses {@link #selfHostedDefault()}.
 *
 * <p>Newer servers also register a limit of 600 a minute for all routes, but Infisical's
 * rate-limit plugin (@fastify/rate-limit) gives a route with a limit of its own (every KMS route
 * has one) that limit <em>instead</em> of the all-routes one. So the KMS routes are not capped
 * together by default. {@link #withGlobal(int)} adds such a cap anyway, in the
 * {@link ServerProfile#CURRENT} profile, for testing a client against a server that does stack
 * them (a refusal then carries the all-routes counter's headers).
 *
 * @param writes requests per window to one write route from one address
 * @param reads  requests per window to one read route from one address
 * @param global requests per window from one address over all routes together, or 0 for no such cap
 * @param window the length of a window, at least one second
 */
public record RateLimits(int writes, int reads, int global, Duration window) {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    /**
     * Checks the limits.
     *
     * @param writes requests per window to one write route from one address
     * @param reads requests per window to one read route from one address
     * @param global requests per window from one address over all routes, or 0 for no such cap
     * @param window the window's length
     * @throws IllegalArgumentException when a limit is below 1 (0 allowed for {@code global})
     *         or the window is shorter than a second
     */
    public RateLimits {
        if (writes < 1 || reads < 1 || global < 0) {
            throw new IllegalArgumentException("rate limits must be at least 1 request per window, not writes "
                    + writes + ", reads " + reads + ", global " + global);
        }
        Objects.requireNonNull(window, "window");
        if (window.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the rate limit window must be at least 1 s, not " + window);
        }
    }

    /** {@return what a self-hosted server without a license applies to the KMS routes: 200 writes and 60 reads a minute per route} */
    public static RateLimits selfHostedDefault() {
        return perMinute(200, 60);
    }

    /**
     * These limits per route a minute.
     *
     * @param writes requests a minute to one write route from one address
     * @param reads requests a minute to one read route from one address
     * @return the limits
     */
    public static RateLimits perMinute(int writes, int reads) {
        return perWindow(writes, reads, MINUTE);
    }

    /**
     * These limits per route in windows of this length.
     *
     * @param writes requests per window to one write route from one address
     * @param reads requests per window to one read route from one address
     * @param window the window's length, at least one second
     * @return the limits
     */
    public static RateLimits perWindow(int writes, int reads, Duration window) {
        return new RateLimits(writes, reads, 0, window);
    }

    /**
     * The same, with a cap on all routes of an address together as well (current profile only).
     *
     * @param global requests per window from one address over all routes, at least 1
     * @return the new limits
     */
    public RateLimits withGlobal(int global) {
        if (global < 1) {
            throw new IllegalArgumentException("a cap on all routes must allow at least 1 request per window, not "
                    + global);
        }
        return new RateLimits(writes, reads, global, window);
    }

    /**
     * Reads a command-line value: {@code default} for {@link #selfHostedDefault()}, {@code off}
     * for no limits (null), or {@code W/R} for {@link #perMinute(int, int) W writes and R reads a minute}.
     *
     * @param text the command-line value
     * @return the limits, or null for {@code off}
     * @throws IllegalArgumentException for anything else, with a message that says what is accepted
     */
    public static RateLimits parse(String text) {
        String t = Objects.requireNonNull(text, "text").strip().toLowerCase(Locale.ROOT);
        if (t.equals("default")) {
            return selfHostedDefault();
        }
        if (t.equals("off")) {
            return null;
        }
        int slash = t.indexOf('/');
        if (slash > 0 && t.matches("\\d{1,9}/\\d{1,9}")) {
            int writes = Integer.parseInt(t.substring(0, slash));
            int reads = Integer.parseInt(t.substring(slash + 1));
            if (writes >= 1 && reads >= 1) {
                return perMinute(writes, reads);
            }
        }
        throw new IllegalArgumentException("rate limits must be W/R (writes and reads a minute per route, each at"
                + " least 1, e.g. 200/60), 'default' (200/60) or 'off', not '" + text + "'");
    }

    @Override
    public String toString() {
        String per = window.equals(MINUTE) ? "a minute" : "per " + seconds(window);
        return writes + " writes / " + reads + " reads " + per + " per route and client address"
                + (global > 0 ? ", " + global + " " + per + " per address in all" : "");
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
