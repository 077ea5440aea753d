package io.github.infisicaljca.kms;

import io.github.infisicaljca.InfisicalConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Shared fixtures for the client tests: configs isolated from the machine, a sleeper, a clock. */
final class TestSupport {
    static final String KEY_ID = "4b535158-4ce3-439c-b2a5-b1bacfaf616c";
    static final String PROJECT_ID = "7f09fbf4-97e7-41f5-942d-519848f7217a";
    static final String TOKEN = "static-test-token-0123456789";
    static final String CLIENT_ID = "c6d42f6d-9eb8-4c74-bdd6-398adfc9181a";
    static final String CLIENT_SECRET = "client-secret-do-not-leak-42";

    private TestSupport() {
    }

    /** A builder pointed at a local server, ignoring the machine's system properties and environment. */
    static InfisicalConfig.Builder config(String baseUrl) {
        return InfisicalConfig.builder().withoutAmbientSources().url(baseUrl).projectId(PROJECT_ID)
                .requestTimeout(Duration.ofSeconds(10)).connectTimeout(Duration.ofSeconds(2));
    }

    static InfisicalConfig staticToken(String baseUrl) {
        return config(baseUrl).accessToken(TOKEN).build();
    }

    static InfisicalConfig universalAuth(String baseUrl) {
        return config(baseUrl).clientId(CLIENT_ID).clientSecret(CLIENT_SECRET).build();
    }

    /** Records the waits the executor asks for instead of sleeping, so tests stay fast and exact. */
    static final class RecordingSleeper implements RequestExecutor.Sleeper {
        final List<Duration> waits = new CopyOnWriteArrayList<>();

        @Override
        public void sleep(Duration d) {
            waits.add(d);
        }
    }

    /**
     * The wall clock plus every wait asked for: a sleep returns at once but moves this clock on,
     * so a rate limiter driven by it sees the time pass, and {@link #wokeAt} tells when (on this
     * clock) each wait ended, whatever the real time spent between them.
     */
    static final class AdvancingSleeper implements RequestExecutor.Sleeper {
        private final AtomicLong offset = new AtomicLong();
        final List<Long> wokeAt = new CopyOnWriteArrayList<>();

        long nanos() {
            return System.nanoTime() + offset.get();
        }

        @Override
        public void sleep(Duration d) {
            offset.addAndGet(d.toNanos());
            wokeAt.add(nanos());
        }
    }

    /** A nanosecond clock that moves only when told to. */
    static final class ManualClock {
        private final AtomicLong now = new AtomicLong(1_000_000_000L);

        long nanos() {
            return now.get();
        }

        void advance(Duration d) {
            now.addAndGet(d.toNanos());
        }
    }

    /**
     * A clock that moves only when the client waits, and then by exactly the wait; each wait is
     * recorded and returns at once. On it a client decides as if its own work took no time, so
     * the waits it chooses are exact whatever the machine's speed. (Its I/O is still timed on
     * the system's clock, with what is left of the deadline on this one.)
     */
    static final class VirtualTime implements RequestExecutor.Sleeper {
        final List<Duration> waits = new CopyOnWriteArrayList<>();
        private final AtomicLong now = new AtomicLong(1_000_000_000L);

        long nanos() {
            return now.get();
        }

        /** Time passing outside the client: a server taking its time, say. */
        void advance(Duration d) {
            now.addAndGet(d.toNanos());
        }

        @Override
        public void sleep(Duration d) {
            waits.add(d);
            now.addAndGet(d.toNanos());
        }

        /** A client on this clock alone: its deadlines, waits, rate-limit windows and token lifetimes. */
        KmsClient client(InfisicalConfig config) {
            return KmsClient.create(config, this, this::nanos, this::nanos);
        }
    }
}
