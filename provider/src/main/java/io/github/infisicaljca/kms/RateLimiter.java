package io.github.infisicaljca.kms;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Paces one client's requests to the rate limits the server announces, one {@link RouteBudget}
 * per route, so that a burst of threads waits here for the next window (or fails at once, when
 * that is past its deadline) instead of spending the server's budget on refusals. A refusal
 * whose limit is not its route's means the address's overall budget (all routes together) is
 * spent: every route then waits until the server said it resets.
 *
 * <p>One per client: separate clients in one process each pace themselves and learn of each
 * other's spending only from the server's {@code x-ratelimit-remaining}.
 */
final class RateLimiter {
    private static final Logger LOG = System.getLogger("io.github.infisicaljca.kms");
    private static final long NEVER = Long.MIN_VALUE;

    private final LongSupplier clock;
    private final RequestExecutor.Sleeper sleeper;
    private final Map<String, RouteBudget> routes = new ConcurrentHashMap<>();
    private final Object overallLock = new Object();
    private long overallBlockedUntil = NEVER; // guarded by overallLock
    private int overallLimit = -1; // guarded by overallLock

    /** @param clock the clock of the callers' deadlines ({@link System#nanoTime} but in tests) */
    RateLimiter(LongSupplier clock, RequestExecutor.Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * A permit to send {@code call} now, after waiting for it when the route's budget is spent
     * and its next window opens before {@code deadline}.
     *
     * @throws RateLimitedException when no permit can be had before the deadline (nothing sent)
     */
    RouteBudget.Permit acquire(ApiCall call, long deadline) throws KmsException {
        RouteBudget budget = routes.computeIfAbsent(call.operation(), op -> new RouteBudget(call.route()));
        // Logical time: after a wait it is at least the time waited for, so a test's sleeper that
        // records instead of sleeping still moves the machine on.
        long now = clock.getAsLong();
        while (true) {
            long overall;
            int overallMax;
            synchronized (overallLock) {
                overall = overallBlockedUntil;
                overallMax = overallLimit;
            }
            if (now < overall) {
                if (overall >= deadline) {
                    throw RateLimitedException.spent(call, budget.route(), overallMax, Duration.ofNanos(overall - now), true);
                }
                now = sleepUntil(call, now, overall);
                continue;
            }
            RouteBudget.Decision d = budget.reserve(now, deadline);
            if (d instanceof RouteBudget.Go go) {
                RouteBudget.Permit permit = go.permit();
                if (permit.sendAt() > now) {
                    LOG.log(Level.DEBUG, "{0}: the budget of {1} is spent; waiting {2,number,#} ms for its next window",
                            call.operation(), budget.route(), (permit.sendAt() - now) / 1_000_000);
                    try {
                        for (long at = permit.sendAt(); at > now; at = budget.startOf(permit, now)) {
                            if (at >= deadline) { // the window moved out since the booking
                                throw RateLimitedException.spent(call, budget.route(), budget.limit(),
                                        Duration.ofNanos(at - now), false);
                            }
                            now = sleepUntil(call, now, at);
                        }
                    } catch (KmsException e) {
                        budget.abandoned(permit);
                        throw e;
                    }
                }
                return permit;
            }
            if (d instanceof RouteBudget.Refuse refuse) {
                throw RateLimitedException.spent(call, budget.route(), refuse.limit(),
                        Duration.ofNanos(refuse.availableAt() - now), false);
            }
            RouteBudget.Wait wait = (RouteBudget.Wait) d;
            if (wait.forProbe()) {
                awaitProbe(call, budget, deadline);
                now = Math.max(now, clock.getAsLong());
            } else {
                now = sleepUntil(call, now, wait.until());
            }
        }
    }

    /** An answer that is not a refusal: what its headers say of the budget. */
    void answered(RouteBudget.Permit permit, HttpTransport.Response response) {
        permit.budget().answered(permit, RateLimitHeaders.read(response.status(), response.headers(), null),
                clock.getAsLong());
    }

    /**
     * The server refused for its rate limit. Nothing goes to that budget before the time the
     * server named, or {@code fallback} when it named none; never sooner than {@code fallback}
     * (a {@code retry-after: 0} must not turn into a burst of refusals).
     */
    void refused(RouteBudget.Permit permit, RateLimitedException refusal, Duration fallback) {
        long now = clock.getAsLong();
        RateLimitHeaders h = refusal.headers();
        long wait = Math.max(h.asked().orElse(fallback).toNanos(), fallback.toNanos());
        RouteBudget budget = permit.budget();
        if (budget.isOtherBucket(h)) {
            budget.released(permit);
            synchronized (overallLock) {
                overallBlockedUntil = Math.max(overallBlockedUntil, now + wait);
                overallLimit = h.limit();
            }
            return;
        }
        budget.refused(permit, h, wait, now);
    }

    /** The request got no answer: whether it was counted is unknown, so its permit stays spent. */
    void unanswered(RouteBudget.Permit permit) {
        permit.budget().released(permit);
    }

    /** What the server last announced for each route this client used, by route. */
    List<RequestBudget> budgets() {
        long now = clock.getAsLong();
        List<RequestBudget> out = new ArrayList<>();
        for (RouteBudget b : routes.values()) {
            out.add(b.view(now));
        }
        out.sort(Comparator.comparing(RequestBudget::route));
        return List.copyOf(out);
    }

    private void awaitProbe(ApiCall call, RouteBudget budget, long deadline) throws KmsException {
        try {
            if (!budget.awaitProbe(deadline, clock)) {
                throw new KmsException(KmsException.Kind.TIMEOUT, call.operation(), call.keyId(),
                        "no answer within the request timeout (infisical.requestTimeoutMillis) while the first "
                                + "request on " + budget.route() + " was finding out its rate limit", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(call, e);
        }
    }

    private long sleepUntil(ApiCall call, long now, long until) throws KmsException {
        try {
            sleeper.sleep(Duration.ofNanos(until - now));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(call, e);
        }
        return Math.max(until, clock.getAsLong());
    }

    private static KmsException interrupted(ApiCall call, InterruptedException e) {
        return new KmsException(KmsException.Kind.INTERRUPTED, call.operation(), call.keyId(),
                "interrupted while waiting for the rate limit's next window", e);
    }
}
