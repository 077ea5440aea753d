package io.github.infisicaljca.kms;

import io.github.infisicaljca.telemetry.internal.KmsObserver;
import io.github.infisicaljca.telemetry.internal.Trace;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces one client's requests to the rate limits the server announces, one {@link RouteBudget}
 * per route, so that a burst of threads waits here for the next window (or fails at once, when
 * that is past its deadline) instead of spending the server's budget on refusals.
 *
 * <p>Newer servers also cap all routes of an address together. That budget announces itself
 * only in a refusal (successes carry their route's headers): a refusal whose limit is not its
 * route's. From then on every request also takes a permit from an overall budget of that limit,
 * counted here, so the cap is met by waiting rather than by another round of refusals.
 *
 * <p>One per client: separate clients in one process each pace themselves and learn of each
 * other's spending only from the server's {@code x-ratelimit-remaining}.
 */
final class RateLimiter {
    private static final Logger LOG = System.getLogger("io.github.infisicaljca.kms");
    static final String OVERALL = "all routes of this client address";
    /**
     * A call waits for a window only if this much of its time bound is left when the window
     * opens (or a quarter of what it has now, when that is less): a request sent with no time
     * left would time out at the very moment the window turns and everybody sends.
     */
    static final long SEND_ALLOWANCE = TimeUnit.SECONDS.toNanos(2);

    /** The permits one request holds: its route's, and the overall budget's once that is known. */
    record Ticket(RouteBudget.Permit route, RouteBudget.Permit overall) {
    }

    /** A permit, and the (logical) time once it was had. */
    private record Taken(RouteBudget.Permit permit, long now) {
    }

    private final LongSupplier clock;
    private final RequestExecutor.Sleeper sleeper;
    private final Map<String, RouteBudget> routes = new ConcurrentHashMap<>();
    private volatile RouteBudget overall;
    private final KmsObserver observer;

    /** @param clock the clock of the callers' deadlines ({@link System#nanoTime} but in tests) */
    RateLimiter(LongSupplier clock, RequestExecutor.Sleeper sleeper) {
        this(clock, sleeper, KmsObserver.NONE);
    }

    /** @param observer told of every wait for a window */
    RateLimiter(LongSupplier clock, RequestExecutor.Sleeper sleeper, KmsObserver observer) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.observer = observer;
    }

    /**
     * Permits to send {@code call} now, after waiting for them when a budget is spent and its
     * next window opens before {@code deadline}.
     *
     * @throws RateLimitedException when no permit can be had before the deadline (nothing sent)
     */
    Ticket acquire(ApiCall call, long deadline) throws KmsException {
        RouteBudget route = routes.computeIfAbsent(call.operation(), op -> new RouteBudget(call.route()));
        RouteBudget all = overall;
        // Logical time: after a wait it is at least the time waited for, so a test's sleeper that
        // records instead of sleeping still moves the machine on.
        long now = clock.getAsLong();
        long sendBy = deadline - Math.min(SEND_ALLOWANCE, Math.max(0, deadline - now) / 4);
        Taken first = all == null ? null : take(all, call, now, sendBy, true);
        try {
            Taken own = take(route, call, first == null ? now : first.now(), sendBy, false);
            return new Ticket(own.permit(), first == null ? null : first.permit());
        } catch (KmsException e) {
            if (first != null) {
                all.released(first.permit()); // taken but unsent: it stays spent, as unknown spending does
            }
            throw e;
        }
    }

    /** One budget's permit: now, or after its probe, or after waiting for a window that opens before {@code deadline}. */
    private Taken take(RouteBudget budget, ApiCall call, long now, long deadline, boolean isOverall)
            throws KmsException {
        boolean queued = false;
        while (true) {
            RouteBudget.Decision d = budget.reserve(now, deadline, queued);
            queued = false;
            if (d instanceof RouteBudget.Go go) {
                return new Taken(go.permit(), now);
            }
            if (d instanceof RouteBudget.Refuse refuse) {
                throw RateLimitedException.spent(call, budget.route(), refuse.limit(),
                        Duration.ofNanos(refuse.availableAt() - now), isOverall);
            }
            RouteBudget.Wait wait = (RouteBudget.Wait) d;
            if (wait.forProbe()) {
                awaitProbe(call, budget, deadline);
                now = Math.max(now, clock.getAsLong());
                continue;
            }
            if (wait.queued()) {
                LOG.log(Level.DEBUG, "{0}: the budget of {1} is spent; waiting {2,number,#} ms for its next window",
                        call.operation(), budget.route(), (wait.until() - now) / 1_000_000);
            }
            Trace waiting = observer.waitStarted();
            long before = now;
            try {
                now = sleepUntil(call, now, wait.until());
                observer.waitEnded(waiting, call.operation(), budget.route(), now - before);
            } catch (KmsException interrupted) {
                if (wait.queued()) {
                    budget.leave();
                }
                throw interrupted;
            }
            queued = wait.queued();
        }
    }

    /** An answer that is not a refusal: what its headers say of the route's budget. */
    void answered(Ticket ticket, HttpTransport.Response response) {
        long now = clock.getAsLong();
        ticket.route().budget().answered(ticket.route(),
                RateLimitHeaders.read(response.status(), response.headers(), null), now);
        if (ticket.overall() != null) {
            ticket.overall().budget().answered(ticket.overall(), RateLimitHeaders.NONE, now);
        }
    }

    /**
     * The server refused for its rate limit. Nothing goes to that budget before the time the
     * server named, or {@code fallback} when it named none; never sooner than {@code fallback}
     * (a {@code retry-after: 0} must not turn into a burst of refusals).
     */
    void refused(Ticket ticket, RateLimitedException refusal, Duration fallback) {
        long now = clock.getAsLong();
        RateLimitHeaders h = refusal.headers();
        long wait = Math.max(h.asked().orElse(fallback).toNanos(), fallback.toNanos());
        RouteBudget route = ticket.route().budget();
        RouteBudget all = overall;
        boolean overallRefusal = all != null ? h.announced() && h.limit() == all.limit() : route.isOtherBucket(h);
        if (!overallRefusal) {
            route.refused(ticket.route(), h, wait, now);
            if (ticket.overall() != null) {
                all.released(ticket.overall());
            }
            return;
        }
        route.released(ticket.route());
        if (all == null) {
            synchronized (this) {
                if (overall == null) {
                    overall = new RouteBudget(OVERALL);
                    LOG.log(Level.INFO, "the server also limits all routes of this address together, to {0} requests"
                            + " a window; pacing to that too", h.limit());
                }
                all = overall;
            }
        }
        all.refused(ticket.overall() != null ? ticket.overall() : RouteBudget.Permit.outside(all), h, wait, now);
    }

    /** The request got no answer: whether it was counted is unknown, so its permits stay spent. */
    void unanswered(Ticket ticket) {
        ticket.route().budget().released(ticket.route());
        if (ticket.overall() != null) {
            ticket.overall().budget().released(ticket.overall());
        }
    }

    /** What the server last announced for each route this client used, by route. */
    List<RequestBudget> budgets() {
        long now = clock.getAsLong();
        List<RequestBudget> out = new ArrayList<>();
        for (RouteBudget b : routes.values()) {
            out.add(b.view(now));
        }
        RouteBudget all = overall;
        if (all != null) {
            out.add(all.view(now));
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
