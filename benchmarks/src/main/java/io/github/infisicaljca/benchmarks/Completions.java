package io.github.infisicaljca.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Operations completed by a harness's threads, which the measuring thread can wait for: a
 * measurement lasts its window and then until a minimum count is reached, so that a machine
 * slower than the window (a loaded CI host, say) still measures something instead of zero.
 * One {@link #await} per instance.
 */
final class Completions {
    private final AtomicLong done = new AtomicLong();
    private final CountDownLatch reached = new CountDownLatch(1);
    private volatile long target = Long.MAX_VALUE;

    /** One more operation completed. */
    void add() {
        if (done.incrementAndGet() >= target) {
            reached.countDown();
        }
    }

    long count() {
        return done.get();
    }

    /** Ends an {@link #await} at once: no more operations will complete (a thread failed). */
    void abort() {
        reached.countDown();
    }

    /** Waits until {@code total} operations have completed in all, or {@link #abort}. */
    void await(long total) throws InterruptedException {
        // target is written before done is read, and add() reads it after its increment: one of the
        // two sees the other, so the wake-up is never lost.
        target = total;
        if (done.get() < total) {
            reached.await();
        }
    }
}
