package io.github.infisicaljca.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/** The realism and fault knobs: latency for every request, and rules matched by method and path. */
final class Faults {
    private static final class Rule {
        final String method;
        final Pattern path;
        final Fault fault;
        final AtomicInteger remaining;

        Rule(String method, Pattern path, Fault fault, int times) {
            this.method = method;
            this.path = path;
            this.fault = fault;
            this.remaining = new AtomicInteger(times);
        }

        boolean take(String m, String route) {
            if ((method != null && !method.equalsIgnoreCase(m)) || !path.matcher(route).find()) {
                return false;
            }
            while (true) {
                int left = remaining.get();
                if (left == 0) {
                    return false;
                }
                if (left < 0 || remaining.compareAndSet(left, left - 1)) {
                    return true;
                }
            }
        }
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private volatile long minLatencyNanos;
    private volatile long maxLatencyNanos;

    void latency(Duration min, Duration max) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("latency needs 0 <= min <= max");
        }
        minLatencyNanos = min.toNanos();
        maxLatencyNanos = max.toNanos();
    }

    /** @param times how many matching requests it hits; negative means every one */
    void add(String method, String pathRegex, Fault fault, int times) {
        if (times == 0) {
            throw new IllegalArgumentException("times must be positive, or negative for always");
        }
        rules.add(new Rule(method, Pattern.compile(pathRegex), fault, times));
    }

    void clear() {
        rules.clear();
        minLatencyNanos = 0;
        maxLatencyNanos = 0;
    }

    Duration latency() {
        long min = minLatencyNanos;
        long max = maxLatencyNanos;
        return Duration.ofNanos(max == min ? min : ThreadLocalRandom.current().nextLong(min, max + 1));
    }

    /** The first rule that matches and still has uses left, consumed; or null. */
    Fault match(String method, String route) {
        List<Rule> snapshot = new ArrayList<>(rules);
        for (Rule r : snapshot) {
            if (r.take(method, route)) {
                return r.fault;
            }
        }
        return null;
    }
}
