package io.github.infisicaljca.reliability;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The storm's measured numbers, printed whatever the outcome and quoted by failure messages. */
final class StormReport {
    long startNanos;
    long durationNanos;
    long cpuNanos;
    long stormThreadsCpuNanos;
    long expiredAfterNanos = -1;
    long completed;
    long wrong;
    long crossTalk;
    long failures;
    List<String> problems = List.of();
    final Map<String, Long> perOp = new TreeMap<>();

    long requests;
    long logins;
    long renewals;
    Map<Integer, Long> statuses = Map.of();
    int maxBacklog;
    int peakEstablished;

    List<String> httpThreadsDuring = List.of();
    int selectorThreadsDuring;
    int workerThreadsDuring;
    int establishedDuring;
    int clientPortsDuring;

    long fdsBefore = -1;
    long fdsAfterRelease = -1;
    List<String> threadsAfterRelease = List.of();
    int establishedAfterRelease;
    long releaseNanos;

    long logRecords;
    long textsChecked;
    int leaks;

    void results(StormWorker.Shared s) {
        completed = s.completed.get();
        wrong = s.wrong.sum();
        crossTalk = s.crossTalk.sum();
        failures = s.failures.sum();
        stormThreadsCpuNanos = s.cpuNanos.sum();
        problems = List.copyOf(s.firstProblems);
        for (StormWorker.Op op : StormWorker.Op.values()) {
            perOp.put(op.name(), s.perOp[op.ordinal()].sum());
        }
    }

    void during(List<String> newThreads, ResourceProbe.Connections connections) {
        httpThreadsDuring = ResourceProbe.httpClientThreads(newThreads);
        selectorThreadsDuring = (int) httpThreadsDuring.stream().filter(n -> n.endsWith("-SelectorManager")).count();
        workerThreadsDuring = (int) httpThreadsDuring.stream().filter(n -> n.contains("-Worker-")).count();
        if (connections != null) {
            establishedDuring = connections.established();
            clientPortsDuring = connections.clientPorts().size();
        }
    }

    void watcher(RequestWatcher w) {
        requests = w.total();
        logins = w.count(RequestWatcher.LOGIN);
        renewals = w.count(RequestWatcher.RENEW);
        statuses = w.statuses();
        maxBacklog = w.maxBacklog();
        peakEstablished = w.peakEstablished();
    }

    void hygiene(StormSecretHygiene h) {
        logRecords = h.records();
        textsChecked = h.textsChecked();
        leaks = h.violationCount();
    }

    @Override
    public String toString() {
        return String.format("storm: %d ops (%s) in %.1f s (JVM CPU %.1f s, storm threads %.1f s), token expired at %.1f s; wrong %d, cross-talk %d, failed %d%n"
                + "  emulator: %d requests %s, logins %d, renewals %d, watcher max backlog %d%n"
                + "  while alive: HttpClient threads %d (selector %d, workers %d), connections established %d "
                + "(peak %d), client ports seen %d%n"
                + "  after release (%.1f s): new threads: %d of the emulator or the common pool, others %s; connections %d; "
                + "fds %d -> %d%n"
                + "  hygiene: %d log records, %d texts checked, %d leaks%s",
                completed, perOp, durationNanos / 1e9, cpuNanos / 1e9, stormThreadsCpuNanos / 1e9, expiredAfterNanos / 1e9, wrong, crossTalk, failures,
                requests, statuses, logins, renewals, maxBacklog,
                httpThreadsDuring.size(), selectorThreadsDuring, workerThreadsDuring, establishedDuring,
                peakEstablished, clientPortsDuring,
                releaseNanos / 1e9, threadsAfterRelease.stream().filter(ResourceProbe::isOutsideTheProvider).count(),
                ResourceProbe.unexplained(threadsAfterRelease),
                establishedAfterRelease, fdsBefore, fdsAfterRelease,
                logRecords, textsChecked, leaks, problems.isEmpty() ? "" : "%n  first problems: " + problems);
    }
}
