package io.github.infisicaljca.telemetry.internal;

import io.github.infisicaljca.kms.RequestBudget;
import io.github.infisicaljca.telemetry.KmsTelemetry;
import io.github.infisicaljca.telemetry.KmsTelemetry.OperationStats;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One client's observer: counts and times what the HTTP code reports, sends it on as JFR
 * events, and registers the client's MXBean while the client is open. Counters are
 * {@link LongAdder}s and latencies {@link LatencyHistogram}s, so the request path takes no lock.
 */
public final class TelemetryRecorder implements KmsObserver, AutoCloseable {
    private static final Logger LOG = System.getLogger("io.github.infisicaljca.telemetry");
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /**
     * Each client's recorder, for the parts of the provider that hold the client only as its
     * interface (a binding's data-key cache); weak, so a registry entry never keeps a client alive.
     */
    private static final Map<Object, KmsObserver> OWNERS = Collections.synchronizedMap(new WeakHashMap<>());

    /** The calls of one operation. */
    private static final class Operation {
        final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        final LatencyHistogram latency = new LatencyHistogram();
    }

    private final String instance;
    private volatile Supplier<List<RequestBudget>> budgets = List::of;
    private final EventSink events;
    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    private final LongAdder retries = new LongAdder();
    private final LongAdder relogins = new LongAdder();
    private final LongAdder rateLimitWaits = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();
    private volatile AutoCloseable registration;

    TelemetryRecorder(String instance, EventSink events) {
        this.instance = instance;
        this.events = events;
    }

    /**
     * A recorder for a new client of {@code host}, with JFR events and its MBean where those
     * modules are present. Never fails for want of them.
     *
     * @param owner   the client, so that {@link #of} finds this recorder from it
     * @param host    the server's host, the readable part of the instance name
     * @return the recorder; close it with the client
     */
    public static TelemetryRecorder open(Object owner, String host) {
        String instance = (host == null || host.isEmpty() ? "kms" : host.toLowerCase(Locale.ROOT)) + "-"
                + INSTANCES.incrementAndGet();
        TelemetryRecorder recorder = new TelemetryRecorder(instance, OptionalModules.events());
        recorder.register(OptionalModules.present(OptionalModules.JMX));
        OWNERS.put(owner, recorder);
        return recorder;
    }

    /**
     * The observer of a client made by {@link #open}, or {@link KmsObserver#NONE} for any other
     * implementation of the client's interface (a test double, a wrapper).
     *
     * @param owner the client
     * @return its observer
     */
    public static KmsObserver of(Object owner) {
        KmsObserver o = OWNERS.get(owner);
        return o == null ? NONE : o;
    }

    /**
     * Where snapshots read the rate-limit budgets from.
     *
     * @param source the client's budgets, by route; it must not hold the client (the MBean
     *               server holds this recorder until the client is closed)
     */
    public void budgetsFrom(Supplier<List<RequestBudget>> source) {
        budgets = source;
    }

    /** Registers the MXBean; a refusal costs the MBean only, never the client. */
    void register(boolean jmxPresent) {
        if (!jmxPresent) {
            LOG.log(Level.DEBUG, "module java.management is absent: no MBean for KMS client {0}", instance);
            return;
        }
        try {
            registration = JmxRegistration.register(instance, new KmsClientBean(this));
        } catch (Exception | LinkageError e) {
            LOG.log(Level.DEBUG, "KMS client {0}: MBean not registered: {1}", instance, e.toString());
        }
    }

    /** {@return the instance name, the {@code name} key of the MBean's ObjectName} */
    public String instance() {
        return instance;
    }

    /** {@return whether the MBean is registered} */
    boolean registered() {
        return registration != null;
    }

    @Override
    public Trace callStarted(String operation, String keyId) {
        return new Trace(operation, keyId, System.nanoTime(), events.beginCall());
    }

    @Override
    public void callEnded(Trace call, String outcome) {
        long elapsed = System.nanoTime() - call.startedNanos;
        Operation op = operations.computeIfAbsent(call.operation, k -> new Operation());
        op.outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
        op.latency.record(elapsed);
        if (call.attempts > 1) {
            retries.add(call.attempts - 1);
        }
        if (call.event != null) {
            events.endCall(call.event, call, outcome);
        }
    }

    @Override
    public Trace loginStarted() {
        return new Trace(null, null, System.nanoTime(), events.beginLogin());
    }

    @Override
    public void loginEnded(Trace login, String reason, boolean renewal, boolean success) {
        if (success && !"first-login".equals(reason)) {
            relogins.increment();
        }
        if (login.event != null) {
            events.endLogin(login.event, reason, renewal, success);
        }
    }

    @Override
    public Trace waitStarted() {
        return new Trace(null, null, System.nanoTime(), events.beginWait());
    }

    @Override
    public void waitEnded(Trace wait, String operation, String route, long waitedNanos) {
        rateLimitWaits.increment();
        if (wait.event != null) {
            events.endWait(wait.event, operation, route, waitedNanos);
        }
    }

    @Override
    public void dataKeyCache(boolean hit) {
        (hit ? cacheHits : cacheMisses).increment();
    }

    /** {@return the figures as they are now} */
    public KmsTelemetry snapshot() {
        List<OperationStats> ops = new ArrayList<>();
        for (Map.Entry<String, Operation> e : new TreeMap<>(operations).entrySet()) {
            Map<String, Long> outcomes = new TreeMap<>();
            long calls = 0;
            for (Map.Entry<String, LongAdder> o : e.getValue().outcomes.entrySet()) {
                long n = o.getValue().sum();
                outcomes.put(o.getKey(), n);
                calls += n;
            }
            LatencyHistogram h = e.getValue().latency;
            double[] p = h.percentilesMillis(0.50, 0.90, 0.99);
            ops.add(new OperationStats(e.getKey(), calls, outcomes, p[0], p[1], p[2], h.maxMillis()));
        }
        return new KmsTelemetry(instance, ops, retries.sum(), relogins.sum(), rateLimitWaits.sum(), budgets.get(),
                cacheHits.sum(), cacheMisses.sum());
    }

    /** Unregisters the MBean; safe to call twice. */
    @Override
    public void close() {
        AutoCloseable r = registration;
        registration = null;
        if (r != null) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.log(Level.DEBUG, "KMS client {0}: MBean not unregistered: {1}", instance, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "TelemetryRecorder{" + instance + "}";
    }
}
