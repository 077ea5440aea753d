package io.github.infisicaljca.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-route budget machine, driven with explicit times (seconds, as nanoseconds): no clock, no threads. */
class RouteBudgetTest {
    private static final long FAR = s(3600);

    private final RouteBudget budget = new RouteBudget("POST /v1/kms/keys/{keyId}/encrypt");

    /** An announced reset, as the budget reads it: one second more, in case it was rounded down. */
    private static long end(double answeredAt, long resetSeconds) {
        return s(answeredAt) + s(resetSeconds) + RouteBudget.RESET_MARGIN;
    }

    private static long s(double seconds) {
        return Math.round(seconds * 1_000_000_000L);
    }

    private static RateLimitHeaders headers(int limit, int remaining, long resetSeconds) {
        return new RateLimitHeaders(limit, remaining, Duration.ofSeconds(resetSeconds), null);
    }

    private RouteBudget.Permit go(long now) {
        return go(now, FAR);
    }

    private RouteBudget.Permit go(long now, long deadline) {
        RouteBudget.Decision d = budget.reserve(now, deadline, false);
        return assertInstanceOf(RouteBudget.Go.class, d, "at " + now + ": " + d).permit();
    }

    private static RouteBudget.Wait queuedUntil(long until) {
        return new RouteBudget.Wait(until, false, true);
    }

    /** Takes every permit the window has left, answering each as the server would (remaining counts down). */
    private int drain(long now, int limit, long resetSeconds) {
        int taken = 0;
        while (true) {
            RouteBudget.Decision d = budget.reserve(now, now + s(1), false);
            if (!(d instanceof RouteBudget.Go go)) {
                return taken;
            }
            taken++;
            budget.answered(go.permit(), headers(limit, Math.max(0, limit - taken - 1), resetSeconds), now);
        }
    }

    @Test
    void theFirstRequestProbesAloneAndItsAnswerOpensTheWindow() {
        RouteBudget.Permit probe = go(0);
        assertTrue(probe.probe());
        RouteBudget.Decision second = budget.reserve(0, s(10), false);
        assertEquals(new RouteBudget.Wait(s(10), true, false), second, "others wait for the probe's answer");

        budget.answered(probe, headers(5, 4, 60), s(0.1));
        assertEquals(4, drain(s(0.1), 5, 60), "the four left in the window, then none");
    }

    @Test
    void aRouteWhoseAnswersAnnounceNoLimitIsNeverPaced() {
        budget.answered(go(0), RateLimitHeaders.NONE, 0);
        for (int i = 0; i < 1000; i++) {
            assertFalse(go(0).probe());
        }
        assertEquals(-1, budget.view(0).limit());
    }

    @Test
    void aSpentWindowQueuesForTheNextOneOrRefusesWhenThatIsPastTheDeadline() {
        budget.answered(go(0), headers(3, 2, 60), 0);
        go(0);
        go(0);
        RouteBudget.Decision late = budget.reserve(s(1), s(30), false);
        assertEquals(new RouteBudget.Refuse(end(0, 60), 3), late, "the window reopens at 61 s, after the 30 s deadline");

        for (int i = 0; i < 3; i++) {
            assertEquals(queuedUntil(end(0, 60)), budget.reserve(s(1), s(70), false), "queued for the next window");
        }
        assertEquals(new RouteBudget.Refuse(end(0, 60) + s(60), 3), budget.reserve(s(1), s(70), false),
                "three are queued for the next window's three permits; the one after is past the deadline");
        assertEquals(queuedUntil(end(0, 60) + s(60)), budget.reserve(s(1), s(200), false), "queued two windows ahead");
    }

    @Test
    void queuedCallersTakeTheNextWindowsPermitsLikeAnyoneElse() {
        budget.answered(go(0), headers(3, 2, 10), 0);
        budget.answered(go(0), headers(3, 1, 10), 0);
        budget.answered(go(0), headers(3, 0, 10), 0);
        assertEquals(queuedUntil(end(0, 10)), budget.reserve(s(1), s(20), false));
        RouteBudget.Decision back = budget.reserve(end(0, 10), s(20), true);
        assertInstanceOf(RouteBudget.Go.class, back, "the window turned: a permit");
        assertEquals(2, drain(end(0, 10), 3, 10), "and two left for others");
    }

    @Test
    void aQueuedTurnIsNotAPermitSoAWindowPartlySpentBeforeItTurnedIsNotOverdrawn() {
        budget.answered(go(0), headers(3, 2, 10), 0); // the window ends by 11 s; really at 9.5 s
        budget.answered(go(0), headers(3, 1, 10), 0);
        RouteBudget.Permit straggler = go(s(9.6));
        budget.answered(straggler, headers(3, 2, 10), s(9.7)); // it landed in the server's next window
        for (int i = 0; i < 3; i++) {
            assertEquals(queuedUntil(end(0, 10)), budget.reserve(s(9.8), s(30), false));
        }
        int sent = 0;
        for (int i = 0; i < 3; i++) {
            if (budget.reserve(end(0, 10), s(30), true) instanceof RouteBudget.Go) {
                sent++;
            }
        }
        assertEquals(2, sent, "three a window, one of them spent by the straggler: the third queued caller waits on");
    }

    @Test
    void theEarliestEstimateOfTheWindowsEndWins() {
        RouteBudget.Permit probe = go(0);
        budget.answered(probe, headers(10, 9, 60), 0); // ends at or before 60 s
        RouteBudget.Permit p = go(s(0.5));
        budget.answered(p, headers(10, 8, 59), s(0.6)); // rounded up: at or before 59.6 s
        RouteBudget.Permit q = go(s(0.5));
        budget.answered(q, headers(10, 7, 61), s(0.7)); // 61.7 s: looser, ignored
        for (int i = 0; i < 7; i++) {
            go(s(1));
        }
        assertEquals(new RouteBudget.Refuse(end(0.6, 59), 10), budget.reserve(s(1), s(50), false));
    }

    @Test
    void otherClientsSpendingLowersWhatIsLeft() {
        budget.answered(go(0), headers(100, 99, 60), 0);
        RouteBudget.Permit p = go(s(1));
        budget.answered(p, headers(100, 10, 59), s(1)); // someone else on this address spent 88
        assertEquals(10, drain(s(1), 100, 59), "ten left, not ninety-eight");
    }

    @Test
    void answersToRequestsOfAnEarlierWindowSayNothingOfThisOne() {
        budget.answered(go(0), headers(3, 2, 10), 0);
        RouteBudget.Permit old = go(s(10.9)); // still out when the window turns
        RouteBudget.Permit fresh = go(s(11.1));
        assertEquals(old.epoch() + 1, fresh.epoch());
        budget.answered(old, headers(3, 0, 1), s(11.2)); // the old window's last word
        assertEquals(1, drain(s(11.2), 3, 10), "three a window, less the one sent and the one still out at the turn");
    }

    @Test
    void aRequestTheServerCountedInItsNextWindowIsTakenFromThatWindow() {
        budget.answered(go(0), headers(3, 2, 10), 0); // the window ends by 11 s; really at 9.5 s
        RouteBudget.Permit straggler = go(s(9.6));
        // It reached the server after its window turned: a fresh window's answer (10 s to go).
        budget.answered(straggler, headers(3, 2, 10), s(9.7));
        assertEquals(2, drain(s(11.01), 3, 10), "the straggler spent one of the new window's three");
    }

    @Test
    void aRefusalWithALimitClosesTheWindowUntilTheServerSaysItReopens() {
        RouteBudget.Permit probe = go(0);
        budget.refused(probe, new RateLimitHeaders(200, 0, Duration.ofSeconds(49), Duration.ofSeconds(49)), s(49), 0);
        assertEquals(new RouteBudget.Refuse(s(49), 200), budget.reserve(s(1), s(16), false));
        assertEquals(queuedUntil(s(49)), budget.reserve(s(1), s(60), false));
    }

    @Test
    void aRefusalWithoutALimitBlocksTheRouteForTheWaitThenProbesAgain() {
        RouteBudget.Permit probe = go(0);
        budget.refused(probe, RateLimitHeaders.NONE, s(3), 0);
        assertEquals(new RouteBudget.Wait(s(3), false, false), budget.reserve(s(1), s(10), false));
        assertEquals(new RouteBudget.Refuse(s(3), -1), budget.reserve(s(1), s(2), false));
        assertTrue(go(s(3)).probe(), "after the block, the route's limit is still to be found out");
    }

    @Test
    void aRefusalOfAnotherBucketIsRecognisedByItsLimit() {
        budget.answered(go(0), headers(200, 199, 60), 0);
        assertTrue(budget.isOtherBucket(headers(600, 0, 30)));
        assertFalse(budget.isOtherBucket(headers(200, 0, 30)));
        assertFalse(budget.isOtherBucket(RateLimitHeaders.NONE));
    }

    @Test
    void aCallerThatGivesUpLeavesTheQueue() {
        budget.answered(go(0), headers(1, 0, 10), 0);
        assertEquals(queuedUntil(end(0, 10)), budget.reserve(s(1), s(15), false));
        assertEquals(new RouteBudget.Refuse(end(0, 10) + s(10), 1), budget.reserve(s(1), s(15), false));
        budget.leave();
        assertEquals(queuedUntil(end(0, 10)), budget.reserve(s(1), s(15), false));
    }

    @Test
    void theViewIsWhatTheServerLastSaid() {
        budget.answered(go(0), headers(60, 42, 30), 0);
        RequestBudget v = budget.view(s(10));
        assertEquals(new RequestBudget("POST /v1/kms/keys/{keyId}/encrypt", 60, 42, Duration.ofSeconds(20)), v);
        assertTrue(v.toString().contains("60 a window, 42 left, resets in 20 s"), v.toString());
    }
}
