package io.github.infisicaljca.audit.batch;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When a batch's time is up: the sealer asks for {@code task} to run {@code delayMillis} after a
 * batch's first event. An interface so that tests drive time by hand instead of sleeping.
 */
public interface BatchScheduler extends AutoCloseable {
    /**
     * Runs {@code task} once after the delay.
     *
     * @param task what to run
     * @param delayMillis the delay in milliseconds
     * @return an action that cancels it (harmless once run)
     */
    Runnable schedule(Runnable task, long delayMillis);

    /** Stops the timer; tasks not yet run are dropped. */
    @Override
    void close();

    /** {@return a daemon thread of the JDK's scheduled executor; {@link #close} stops it} */
    static BatchScheduler daemon() {
        ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-batch-timer");
            t.setDaemon(true); // an application that forgets close() must still exit
            return t;
        });
        return new BatchScheduler() {
            @Override
            public Runnable schedule(Runnable task, long delayMillis) {
                ScheduledFuture<?> f = ses.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }

            @Override
            public void close() {
                ses.shutdownNow();
            }
        };
    }
}
