package io.github.infisicaljca.kms;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * Virtual time for a fixed set of threads: it stands still while any of them runs, and when
 * every one is asleep (or done) it jumps to the earliest wake-up. A thread's own work thus
 * takes no time at all, however slow the machine, and every interleaving of the threads is one
 * the real clock could also produce on an infinitely fast machine: what they do within one
 * instant, and how the instants follow each other, is decided by the waits alone.
 */
final class SharedVirtualTime implements RequestExecutor.Sleeper {
    private final PriorityQueue<Long> wakeUps = new PriorityQueue<>();
    private long now = 1_000_000_000L;
    /** Participants neither asleep nor done. */
    private int running;

    SharedVirtualTime(int participants) {
        this.running = participants;
    }

    synchronized long nanos() {
        return now;
    }

    /** Blocks until the virtual time has moved on by {@code d}: once every other participant waits too. */
    @Override
    public synchronized void sleep(Duration d) throws InterruptedException {
        if (d.isNegative() || d.isZero()) {
            return;
        }
        long until = now + d.toNanos();
        wakeUps.add(until);
        running--;
        moveOnIfAllWait();
        try {
            while (now < until) {
                wait();
            }
        } catch (InterruptedException e) {
            if (wakeUps.remove(until)) {
                running++; // not woken by a move: count it back in
            }
            throw e;
        }
    }

    /** The calling participant is finished: time no longer waits for it. */
    synchronized void done() {
        running--;
        moveOnIfAllWait();
    }

    /** When nobody runs: to the earliest wake-up, counting every thread it wakes as running again. */
    private void moveOnIfAllWait() {
        if (running > 0 || wakeUps.isEmpty()) {
            return;
        }
        now = wakeUps.peek();
        while (!wakeUps.isEmpty() && wakeUps.peek() <= now) {
            wakeUps.poll();
            running++;
        }
        notifyAll();
    }
}
