package io.github.infisicaljca.kms;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What this client knows of one route's rate limit on the server, and the permits it hands out
 * against it, so that threads queue here instead of spending the server's budget on refusals.
 *
 * <p>Infisical counts requests per client address and route in fixed windows (a minute by
 * default) that start at the first request after the previous one ended, and says so on every
 * answer: the limit, what is left, and the whole seconds until the window ends. Whether the
 * server rounds those seconds up or down depends on its rate-limit plugin's version, so each
 * answer's estimate of the end gets one more second: then every estimate is at or after the
 * real end, the earliest one is the best, and waiting for it never sends early. The state is
 * a small machine over that:
 * <ul>
 * <li>until the first answer, one request at a time (the probe) finds out whether there is a
 *     limit at all; a route whose answers announce none is never paced again;</li>
 * <li>within a window, permits come from {@code remaining}, lowered to what the server reports
 *     (other processes on the same address spend the same budget);</li>
 * <li>when it is spent, a caller queues for a following window and comes back when it opens
 *     (to take a permit like anyone else: a queued turn is a promise of when to ask, not a
 *     permit, so nothing is ever sent that the window it lands in has not got); or, when that
 *     window opens past its deadline, it is refused at once without sending anything;</li>
 * <li>answers to requests sent in an earlier window ({@code epoch}) say nothing of this one;
 *     but such a request still in flight when a window ends may be counted in the next one, so
 *     the next window starts without the permits still out.</li>
 * </ul>
 * Methods take the time as an argument so the machine can be driven without a clock.
 */
final class RouteBudget {
    static final long DEFAULT_WINDOW = TimeUnit.MINUTES.toNanos(1);
    /** Added to every announced reset, which may have been rounded down to whole seconds. */
    static final long RESET_MARGIN = TimeUnit.SECONDS.toNanos(1);
    private static final long NEVER = Long.MIN_VALUE;

    /** A right to send one request now, counted in window {@code epoch}. */
    record Permit(RouteBudget budget, long epoch, boolean probe) {
        /** For news of a budget from a request that held no permit of it. */
        static Permit outside(RouteBudget budget) {
            return new Permit(budget, -1, false);
        }
    }

    /** What {@link #reserve} decided. */
    sealed interface Decision permits Go, Wait, Refuse {
    }

    /** Send now. */
    record Go(Permit permit) implements Decision {
    }

    /**
     * Ask again at {@code until}, or, with {@code forProbe}, once the probe has its answer;
     * {@code queued}: a turn in a following window is held, to be passed back to
     * {@link #reserve} (or to {@link #leave} when the caller gives up).
     */
    record Wait(long until, boolean forProbe, boolean queued) implements Decision {
    }

    /** Nothing before the deadline: the next permit is at {@code availableAt}. */
    record Refuse(long availableAt, int limit) implements Decision {
    }

    private final String route;
    // All guarded by this.
    private int limit = -1;
    private boolean unlimited;
    private boolean probing;
    private long epoch;
    private long windowEnd;
    /** {@code windowEnd} is a guess (no answer from this window yet), to be replaced by the server's word. */
    private boolean provisional;
    private int remaining;
    /** Callers waiting for a following window: they decide who is refused at once, not who is served. */
    private int queued;
    /** Permits of this window sent (or about to be) and not yet answered. */
    private int outstanding;
    /** Requests of this window that the server counted in its next one (sent just after its window turned). */
    private int spentAhead;
    private long learnedWindow;
    /** Set by a refusal that announced no limit: nothing is sent before it. */
    private long blockedUntil = NEVER;
    private RateLimitHeaders lastSeen = RateLimitHeaders.NONE;
    private long lastSeenAt;

    RouteBudget(String route) {
        this.route = route;
    }

    String route() {
        return route;
    }

    synchronized int limit() {
        return limit;
    }

    /**
     * @param wasQueued whether the caller comes back with a turn a {@link Wait} gave it
     */
    synchronized Decision reserve(long now, long deadline, boolean wasQueued) {
        if (wasQueued && queued > 0) {
            queued--;
        }
        if (now < blockedUntil) {
            return blockedUntil >= deadline ? new Refuse(blockedUntil, limit) : new Wait(blockedUntil, false, false);
        }
        if (unlimited) {
            return new Go(new Permit(this, epoch, false));
        }
        if (limit < 0) {
            if (probing) {
                return new Wait(deadline, true, false);
            }
            probing = true;
            return new Go(new Permit(this, epoch, true));
        }
        roll(now);
        if (remaining > 0) {
            remaining--;
            outstanding++;
            return new Go(new Permit(this, epoch, false));
        }
        long opens = windowEnd + (long) (queued / limit) * window();
        if (opens >= deadline) {
            return new Refuse(opens, limit);
        }
        queued++;
        return new Wait(opens, false, true);
    }

    /** An answer that is not a refusal (success or the handler's own error) and what it said of the budget. */
    synchronized void answered(Permit p, RateLimitHeaders h, long now) {
        released(p);
        see(h, now);
        if (!h.announced()) {
            if (limit < 0) {
                unlimited = true; // the server does not limit this route
            }
            return;
        }
        unlimited = false;
        // Times are System.nanoTime values, which may be negative: no sentinel, a flag.
        boolean endKnown = h.reset() != null;
        long estimatedEnd = endKnown ? now + h.reset().toNanos() + RESET_MARGIN : now + window();
        if (limit < 0) {
            limit = h.limit();
            epoch++;
            outstanding = 0;
            remaining = h.remaining() >= 0 ? h.remaining() : limit - 1;
            windowEnd = estimatedEnd;
            provisional = !endKnown;
            return;
        }
        if (h.limit() != limit) {
            remaining = Math.max(0, remaining + h.limit() - limit); // the server's limits changed
            limit = h.limit();
        }
        roll(now);
        if (p.epoch() != epoch) {
            return;
        }
        if (endKnown && !provisional && estimatedEnd >= windowEnd + window() / 2) {
            spentAhead++; // the server's window had turned when this one arrived: it spent the next one's
            return;
        }
        if (endKnown) {
            windowEnd = provisional ? estimatedEnd : Math.min(windowEnd, estimatedEnd);
            provisional = false;
        }
        if (h.remaining() >= 0) {
            remaining = Math.min(remaining, h.remaining());
        }
    }

    /**
     * Whether a refusal is the work of another bucket than this route's: it announces a limit,
     * and it is not the one this route's answers announce (newer servers also cap all routes of
     * an address together).
     */
    synchronized boolean isOtherBucket(RateLimitHeaders h) {
        return h.announced() && limit > 0 && h.limit() != limit;
    }

    /** The server refused the request for this route's budget; nothing is sent before {@code now + wait}. */
    synchronized void refused(Permit p, RateLimitHeaders h, long wait, long now) {
        released(p);
        see(h, now);
        long until = now + wait;
        if (!h.announced()) {
            blockedUntil = Math.max(blockedUntil, until);
            return;
        }
        if (limit < 0) {
            limit = h.limit();
            epoch++;
            outstanding = 0;
            windowEnd = until;
        } else {
            windowEnd = Math.max(windowEnd, until); // the server's word wins over an estimate
        }
        unlimited = false;
        remaining = 0;
        provisional = false;
    }

    /**
     * The request is over, answered or not; a request without an answer may still have been
     * counted, so its permit is not given back.
     */
    synchronized void released(Permit p) {
        if (p.probe()) {
            probing = false;
            notifyAll();
        } else if (p.epoch() == epoch && outstanding > 0) {
            outstanding--;
        }
    }

    /** A caller that held a turn in a following window gave up (interrupted, or out of time). */
    synchronized void leave() {
        if (queued > 0) {
            queued--;
        }
    }

    /**
     * Waits, on the wall clock, until the probe of this route has its answer or the deadline passes.
     *
     * @return whether the probe finished in time
     */
    synchronized boolean awaitProbe(long deadline, LongSupplier clock) throws InterruptedException {
        while (probing) {
            long left = deadline - clock.getAsLong();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** What the server last said of this route, for {@code doctor} and logs. */
    synchronized RequestBudget view(long now) {
        Duration resetIn = lastSeen.reset() == null ? null
                : Duration.ofNanos(Math.max(0, lastSeenAt + lastSeen.reset().toNanos() - now));
        return new RequestBudget(route, lastSeen.limit(), lastSeen.remaining(), resetIn);
    }

    private void see(RateLimitHeaders h, long now) {
        if (h.announced()) {
            lastSeen = h;
            lastSeenAt = now;
            if (h.reset() != null) {
                learnedWindow = Math.max(learnedWindow, h.reset().toNanos());
            }
        }
    }

    /**
     * Past the estimated end, a new window begins, less the last window's permits still out
     * (they may arrive after the server's window turned, and count in the new one) and the
     * requests known to have landed in it already.
     */
    private void roll(long now) {
        if (now < windowEnd) {
            return;
        }
        epoch++;
        remaining = Math.max(0, limit - outstanding - spentAhead);
        outstanding = 0;
        spentAhead = 0;
        windowEnd = now + window();
        provisional = true;
    }

    /** The longest reset the server announced is the best guess of its window; Infisical's is a minute. */
    private long window() {
        return learnedWindow > 0 ? learnedWindow : DEFAULT_WINDOW;
    }

    @Override
    public synchronized String toString() {
        return "RouteBudget{" + route + (unlimited ? ", unlimited" : limit < 0 ? ", unknown"
                : ", limit " + limit + ", remaining " + remaining + ", queued " + queued) + "}";
    }
}
