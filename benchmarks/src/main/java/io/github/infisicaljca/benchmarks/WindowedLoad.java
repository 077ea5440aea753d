package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.kms.KmsException;
import io.github.infisicaljca.kms.RateLimitedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import javax.crypto.AEADBadTagException;

/**
 * The load of the rate-limit figures: {@code threads} threads each run their operation, closed
 * loop, for a fixed time from the moment they are let go (their first request), and beyond it
 * until a minimum number completed (a machine too slow for the time measures less, never
 * nothing), against a KMS that rate-limits. A rate limit is an expected outcome there, so an operation that fails with
 * a {@link RateLimitedException} in its cause chain is counted and the thread goes on; any
 * other failure (a wrong result included: the operations throw on one) fails the run, as in
 * {@link ConcurrencyHarness}.
 *
 * <p>When the time is up the threads are interrupted: a thread waiting for the next window
 * (the client's limiter makes it wait up to its request timeout, longer than a window) would
 * otherwise hold the run up for most of one. An operation cut short by that interrupt counts
 * as abandoned, not as a failure. A thread that fails for the rate limit waits until the window
 * reopens before it goes on, as a caller should (see {@link #pause}).
 */
final class WindowedLoad {
    /**
     * @param completed   operations completed within the measured time
     * @param completedInAll operations completed until the threads stopped (a few finish after the end)
     * @param rateLimited operations that failed for the rate limit, until the threads stopped
     * @param abandoned   operations interrupted at the end
     * @param seconds     the measured time, as timed
     */
    record Result(int threads, long completed, long completedInAll, long rateLimited, long abandoned,
            double seconds) {
    }

    /** The pause after a rate limit that does not say when its window resets. */
    static final Duration FALLBACK_PAUSE = Duration.ofMillis(100);

    private WindowedLoad() {
    }

    /**
     * @param minCompleted operations to complete within the measurement, however long it takes
     * @param perThread    each thread's own operation, by thread index (JCA engines are not thread-safe)
     */
    static Result run(int threads, Duration measured, int minCompleted, IntFunction<Operation> perThread)
            throws InterruptedException {
        Completions done = new Completions();
        AtomicLong rateLimited = new AtomicLong();
        AtomicLong abandoned = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            Operation op = perThread.apply(t);
            Thread w = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (failure.get() == null && !stop.get()) {
                    try {
                        op.run();
                        done.add();
                    } catch (Throwable e) {
                        if (stop.get() && (Thread.currentThread().isInterrupted() || isInterruption(e))) {
                            abandoned.incrementAndGet();
                        } else if (isRateLimit(e)) {
                            rateLimited.incrementAndGet();
                            if (!pause(e)) {
                                return;
                            }
                        } else {
                            failure.compareAndSet(null, e);
                            done.abort();
                        }
                    }
                }
            }, "rate-limit-load-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        Thread.sleep(measured.toMillis());
        done.await(minCompleted);
        long completed = done.count();
        long end = System.nanoTime();
        stop.set(true);
        for (Thread w : workers) {
            w.interrupt();
        }
        for (Thread w : workers) {
            w.join(Duration.ofSeconds(30).toMillis());
            if (w.isAlive()) {
                throw new IllegalStateException(w.getName() + " did not stop within 30 s of its interrupt");
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("an operation failed other than for the rate limit: " + failure.get(),
                    failure.get());
        }
        return new Result(threads, completed, done.count(), rateLimited.get(), abandoned.get(), (end - start) / 1e9);
    }

    /**
     * After a rate limit, waits until the window it names reopens, as a caller should: a thread
     * refused at once (its wait would pass its request timeout) would otherwise spin, refused
     * again and again, and take the CPU from the threads that have work.
     *
     * @return false when interrupted: the run is over
     */
    private static boolean pause(Throwable rateLimit) {
        Duration wait = FALLBACK_PAUSE;
        for (Throwable c = rateLimit; c != null; c = c.getCause()) {
            if (c instanceof RateLimitedException r && r.resetIn().isPresent()) {
                wait = r.resetIn().get();
            }
        }
        try {
            Thread.sleep(Math.max(1, wait.toMillis()));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A {@link RateLimitedException} in the cause chain: what the provider throws for a spent
     * budget. Under an {@link AEADBadTagException} it is not: a rate limit reported as a
     * rejected ciphertext is a bug, the very one the 2024 server's 500 refusals invite.
     */
    static boolean isRateLimit(Throwable t) {
        boolean limited = false;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof AEADBadTagException) {
                return false;
            }
            limited |= c instanceof RateLimitedException;
        }
        return limited;
    }

    private static boolean isInterruption(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException
                    || c instanceof KmsException k && k.kind() == KmsException.Kind.INTERRUPTED) {
                return true;
            }
        }
        return false;
    }
}
