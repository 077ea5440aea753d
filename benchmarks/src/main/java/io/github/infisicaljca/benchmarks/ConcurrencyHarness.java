package io.github.infisicaljca.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * {@code concurrency_efficiency}, without JMH: {@code threads} threads each run one operation
 * after another, closed loop, against a KMS that answers every request after
 * {@code latency}. After a warm-up the completed operations are counted over a window, and
 * beyond it until at least {@code minOperations} completed (a machine too slow for the window
 * measures less, never nothing); with no overhead at all each thread would complete one every
 * {@code latency}, so efficiency is {@code (ops / time measured) / (threads / latency)}.
 */
final class ConcurrencyHarness {
    record Result(int threads, Duration latency, Duration window, long operations, double seconds) {
        double opsPerSecond() {
            return operations / seconds;
        }

        double ideal() {
            return threads / (latency.toNanos() / 1e9);
        }

        double efficiency() {
            return opsPerSecond() / ideal();
        }
    }

    private ConcurrencyHarness() {
    }

    /**
     * One run. Any failed operation fails the run (a benchmark that counts errors as work
     * would flatter a broken client).
     *
     * @param minOperations operations to complete within the measurement, however long the window takes
     * @param perThread makes each thread its own operation (JCA engines are not thread-safe)
     */
    static Result run(int threads, Duration latency, Duration warmup, Duration window, int minOperations,
            Supplier<Operation> perThread) throws InterruptedException {
        Completions done = new Completions();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>(threads);
        AtomicBoolean stop = new AtomicBoolean();
        for (int t = 0; t < threads; t++) {
            Operation op = perThread.get();
            Thread w = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    while (failure.get() == null && !stop.get()) {
                        op.run();
                        done.add();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    done.abort();
                }
            }, "bench-worker-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        ready.await();
        go.countDown();
        Thread.sleep(warmup.toMillis());
        long before = done.count();
        long start = System.nanoTime();
        Thread.sleep(window.toMillis());
        done.await(before + minOperations);
        long after = done.count();
        long end = System.nanoTime();
        stop.set(true);
        for (Thread w : workers) {
            w.join(Duration.ofSeconds(30).toMillis());
        }
        if (failure.get() != null) {
            throw new IllegalStateException("an operation failed during the concurrency run: " + failure.get(),
                    failure.get());
        }
        return new Result(threads, latency, window, after - before, (end - start) / 1e9);
    }
}
