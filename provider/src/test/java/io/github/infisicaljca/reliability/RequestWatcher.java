package io.github.infisicaljca.reliability;

import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RecordedRequest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Counts every request the emulator answers over a period longer than its request log holds
 * (the most recent 10,000): a watcher thread reads the log every few milliseconds and counts
 * the entries after the last one it saw. If an entry it saw has already been evicted while
 * the log is full, requests may have been missed, and {@link #complete()} says so: the counts
 * are then not trusted. The same thread samples the client connections to the emulator.
 */
final class RequestWatcher implements AutoCloseable {
    static final String LOGIN = "/api/v1/auth/universal-auth/login";
    static final String RENEW = "/api/v1/auth/token/renew";
    /** Far below the ~5 s a full log lasts at this machine's ~2,000 requests/s. */
    private static final long POLL_MILLIS = 100;

    private final KmsEmulator kms;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private final Map<String, Long> byRoute = new TreeMap<>();
    private final Map<Integer, Long> byStatus = new TreeMap<>();
    private String lastReqId;
    private long total;
    private int maxBacklog;
    private int peakEstablished;
    private long polls;
    private volatile boolean gap;

    RequestWatcher(KmsEmulator kms) {
        this.kms = kms;
        this.thread = new Thread(this::run, "storm-request-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            do {
                poll();
            } while (!stop.await(POLL_MILLIS, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void poll() {
        List<RecordedRequest> log = kms.requests();
        int from = 0;
        if (lastReqId != null) {
            int i = log.size() - 1;
            while (i >= 0 && !log.get(i).reqId().equals(lastReqId)) {
                i--;
            }
            if (i < 0) {
                gap = true; // evicted (the log turned over) or cleared: either way, some may be missed
            }
            from = i + 1;
        }
        maxBacklog = Math.max(maxBacklog, log.size() - from);
        for (RecordedRequest r : log.subList(from, log.size())) {
            total++;
            byRoute.merge(r.route(), 1L, Long::sum);
            byStatus.merge(r.status(), 1L, Long::sum);
        }
        if (!log.isEmpty()) {
            lastReqId = log.get(log.size() - 1).reqId();
        }
        if (++polls % 10 == 0 && ResourceProbe.canSeeConnections()) { // reading /proc/net/tcp* is slow
            peakEstablished = Math.max(peakEstablished, ResourceProbe.connections(kms.port()).established());
        }
    }

    /** Stops watching after a last look at the log. */
    @Override
    public void close() throws InterruptedException {
        stop.countDown();
        thread.join(TimeUnit.SECONDS.toMillis(10));
        poll();
    }

    /** False when the log may have turned over between two looks. */
    boolean complete() {
        return !gap;
    }

    synchronized long count(String route) {
        return byRoute.getOrDefault(route, 0L);
    }

    synchronized long status(int status) {
        return byStatus.getOrDefault(status, 0L);
    }

    synchronized long total() {
        return total;
    }

    /** The most new entries found in one look: how close the watcher came to missing some. */
    synchronized int maxBacklog() {
        return maxBacklog;
    }

    /** The most client connections to the emulator seen established at once (sampled about once a second). */
    synchronized int peakEstablished() {
        return peakEstablished;
    }

    synchronized Map<Integer, Long> statuses() {
        return new TreeMap<>(byStatus);
    }
}
