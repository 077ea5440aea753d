package io.github.infisicaljca.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.InfisicalSecretKey;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The concurrency storm: 64 threads started together, 2,000 seeded mixed operations each,
 * through ONE provider against the emulator with 1-4 ms of jittered latency. At a third of the
 * storm the emulator's clock jumps past the token TTL, so every call in flight and after meets
 * an expired token. Asserted: no wrong result, no cross-talk, no unexpected exception; exactly
 * one login for the expiry (single flight); no secret in any log record, exception or
 * toString; no thread, connection or file descriptor left once the provider is gone.
 *
 * <p>The login numbers: one login when the provider first needs a token (making the handles
 * before the storm), and one after the jump, however many threads meet the expired token.
 * No renewal: the TTL is ten minutes on the client's clock, so the client never reaches two
 * thirds of it (renewal is {@code UniversalAuthTest}'s, with a movable clock). Each thread
 * sends at most one request with the dead token (in flight at the jump, or sent before the new
 * token arrived), gets a 401, and retries once with the new token: between 1 and 64 refusals.
 *
 * <p>What "no leak" means here, precisely. While the provider lives: one HttpClient (one
 * selector thread) for the whole storm; its worker pool (the JDK's cached pool) bounded by
 * twice the thread count; at most one connection per storm thread (plus a few: a connection
 * returns to the pool a moment after its answer), and no more than 128 connections opened for
 * ~35,000 requests, counted by the kernel (a closed connection stays listed in TIME_WAIT for
 * 60 s, so this is every connection the storm opened). After the storm: the provider has no
 * close and on JDK 17 the HttpClient cannot be closed, so a provider goes away when it is
 * collected. Once unreachable, within a bounded wait: no new thread is left but the emulator's
 * pool and the JVM's common pool, no connection to the emulator is open, and the JVM's open file
 * descriptors are back within 4 of their count before the provider existed.
 */
class ConcurrencyStormTest {
    static final int THREADS = 64;
    static final int OPS_PER_THREAD = 2_000;
    static final long TOTAL_OPS = (long) THREADS * OPS_PER_THREAD;
    /** Long enough that the client never renews on its own clock during the storm: only the jump expires it. */
    static final Duration TTL = Duration.ofMinutes(10);
    static final Duration MAX_TTL = Duration.ofHours(2);
    static final String HMAC_ALIAS = "storm-hmac";

    private final StormReport report = new StormReport();

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES) // only against a hang: the storm takes 30-50 s, loaded
    void sixtyFourThreadsTimesTwoThousandMixedOperations() throws Exception {
        try (KmsEmulator kms = KmsEmulator.builder().tokenLifetimes(TTL, MAX_TTL).start()) {
            kms.latency(Duration.ofMillis(1), Duration.ofMillis(4));
            byte[] hmacKey = new byte[32];
            new SecureRandom().nextBytes(hmacKey);
            String hmacId = kms.importKey(HMAC_ALIAS, "HMAC_SHA_256", hmacKey);
            // The hygiene check looks for the emulator's token prefix: make sure that is what its tokens look like.
            String sample = rawLogin(kms);
            assertTrue(sample.startsWith(StormSecretHygiene.EMULATOR_TOKEN_PREFIX), "emulator tokens changed their format");

            try (StormSecretHygiene hygiene = new StormSecretHygiene()
                    .forbid("client secret", kms.clientSecret())
                    .forbid("an emulator token", StormSecretHygiene.EMULATOR_TOKEN_PREFIX)
                    .forbid("the HMAC key (hex)", HexFormat.of().formatHex(hmacKey))
                    .forbid("the HMAC key (HEX)", HexFormat.of().withUpperCase().formatHex(hmacKey))
                    .forbid("the HMAC key (base64)", Base64.getEncoder().encodeToString(hmacKey))
                    .forbid("the HMAC key (base64url)", Base64.getUrlEncoder().withoutPadding().encodeToString(hmacKey))
                    .forbid("a plaintext", StormWorker.MARKER)
                    .forbid("a plaintext (base64)", Base64.getEncoder().encodeToString(
                            StormWorker.MARKER.getBytes(StandardCharsets.UTF_8)))
                    .countMessages("logging in to Infisical with Universal Auth")
                    .countMessages("token refused")
                    .install()) {
                report.fdsBefore = ResourceProbe.openFileDescriptors();
                Set<Thread> threadsBefore = ResourceProbe.liveThreads();
                kms.clearRequests();
                RequestWatcher watcher = new RequestWatcher(kms);
                try {
                    storm(kms, hmacId, hmacKey, hygiene, threadsBefore);
                } finally {
                    watcher.close();
                }
                report.watcher(watcher);
                assertTrue(watcher.complete(), "the request watcher fell behind the emulator's log: counts incomplete");

                // Results: every operation answered, and answered right.
                assertEquals(0, report.failures, "operations that threw: " + report.problems);
                assertEquals(0, report.wrong, "wrong results: " + report.problems);
                assertEquals(0, report.crossTalk, "results that belonged to another thread: " + report.problems);
                assertEquals(TOTAL_OPS, report.completed);

                // Single flight: one login when the provider first needed a token, and ONE when the jump expired it.
                assertEquals(2, watcher.count(RequestWatcher.LOGIN), "logins: " + report);
                assertEquals(0, watcher.count(RequestWatcher.RENEW), "renewals: " + report);
                assertEquals(2, hygiene.messagesContaining("logging in to Infisical with Universal Auth"));
                // Each thread sends at most one request with the expired token: after that one refusal it has the new one.
                long refused = watcher.status(401) + watcher.status(403);
                assertTrue(refused >= 1 && refused <= THREADS, "requests refused for the expired token: " + refused);
                assertEquals(refused, hygiene.messagesContaining("token refused"), "one re-login retry per refusal");

                // While the provider lives: one HttpClient, a bounded pool, connections reused.
                assertEquals(1, report.selectorThreadsDuring, "HttpClient instances: " + report.httpThreadsDuring);
                // Its default executor is a cached pool: as many workers as tasks ran at once, idle ones end after 60 s.
                assertTrue(report.workerThreadsDuring <= 2 * THREADS, "HttpClient workers: " + report.httpThreadsDuring);
                if (ResourceProbe.canSeeConnections()) {
                    // At most one request per storm thread is in flight; a connection returns to the pool a moment
                    // after its answer is delivered, so the thread's next request may open one more now and then.
                    assertTrue(report.peakEstablished <= THREADS + 8 && report.establishedDuring <= THREADS + 8,
                            "connections at once: " + report);
                    // Every connection opened during the storm is still listed (TIME_WAIT lasts 60 s): reused, not churned.
                    assertTrue(report.clientPortsDuring <= 2 * THREADS,
                            "connections opened for " + watcher.total() + " requests: " + report.clientPortsDuring);
                }

                // Once the provider is unreachable: its client's threads, connections and descriptors are gone.
                releaseAndAwait(kms, threadsBefore);
                assertEquals(List.of(), ResourceProbe.unexplained(report.threadsAfterRelease), "threads left: " + report);
                if (ResourceProbe.canSeeConnections()) {
                    assertEquals(0, report.establishedAfterRelease, "connections left open: " + report);
                }
                if (report.fdsBefore >= 0) {
                    assertTrue(report.fdsAfterRelease <= report.fdsBefore + 4, "file descriptors: " + report);
                }

                report.hygiene(hygiene);
                // The provider logs every answer it receives at DEBUG: all of them were seen.
                assertTrue(hygiene.records() >= watcher.total(), "the provider's DEBUG records were not captured");
                assertEquals(List.of(), hygiene.violations(), hygiene.violationCount() + " secret(s) leaked");
            } finally {
                System.out.println(report);
            }
        }
    }

    /** Runs the storm; the provider and everything made from it are unreachable once this returns. */
    private void storm(KmsEmulator kms, String hmacId, byte[] hmacKey, StormSecretHygiene hygiene, Set<Thread> before)
            throws Exception {
        InfisicalConfig config = InfisicalConfig.builder().withoutAmbientSources().url(kms.url().toString())
                .clientId(kms.clientId()).clientSecret(kms.clientSecret()).projectId(kms.projectId()).build();
        StormWorker.Shared s = new StormWorker.Shared();
        s.provider = new InfisicalProvider(config);
        s.rsa = (InfisicalPrivateKey) s.provider.key(kms.signingKeyId());
        s.ec = (InfisicalPrivateKey) s.provider.key(kms.keyId(KmsEmulator.EC_SIGNING_KEY));
        s.aes = (InfisicalSecretKey) s.provider.key(kms.encryptionKeyId());
        s.hmac = (InfisicalSecretKey) s.provider.key(hmacId);
        s.rsaJdk = s.rsa.publicKey().jdkPublicKey();
        s.ecJdk = s.ec.publicKey().jdkPublicKey();
        s.hmacKeyBytes = hmacKey;
        s.hmacAlias = HMAC_ALIAS;
        KeyStore ks = KeyStore.getInstance("INFISICAL", s.provider);
        ks.load(null, null);
        s.aliases = new TreeSet<>(Collections.list(ks.aliases()));
        assertEquals(Set.of(KmsEmulator.SIGNING_KEY, KmsEmulator.EC_SIGNING_KEY, KmsEmulator.ENCRYPTION_KEY,
                KmsEmulator.HMAC_KEY, HMAC_ALIAS), s.aliases);
        s.hygiene = hygiene;
        s.keyStore = ks;
        // The shared pool for local verification: made through the provider, each checked by the JDK.
        StormWorker setup = new StormWorker(s, -1, 42);
        for (int i = 0; i < 16; i++) {
            assertTrue(setup.sign(i % 2 == 0, i), "a signature made before the storm does not verify");
        }
        s.rsaSignatures = setup.made().stream().filter(StormWorker.Made::rsa).collect(Collectors.toList());
        s.ecSignatures = setup.made().stream().filter(m -> !m.rsa()).collect(Collectors.toList());
        s.opsPerThread = OPS_PER_THREAD;
        s.triggerAt = TOTAL_OPS / 3;
        s.trigger = n -> {
            kms.advanceTime(TTL.plusMinutes(1)); // every token issued so far is now expired on the server
            report.expiredAfterNanos = System.nanoTime() - report.startNanos;
        };

        CountDownLatch ready = new CountDownLatch(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            StormWorker w = new StormWorker(s, t, 0x5709_0000L + t);
            Thread thread = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                w.run();
            }, "storm-" + t);
            threads.add(thread);
            thread.start();
        }
        assertTrue(ready.await(1, TimeUnit.MINUTES), "storm threads did not start");
        long cpuStart = ResourceProbe.processCpuNanos();
        report.startNanos = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(4));
            assertTrue(!t.isAlive(), t.getName() + " is still running");
        }
        report.durationNanos = System.nanoTime() - report.startNanos;
        report.cpuNanos = ResourceProbe.processCpuNanos() - cpuStart;
        report.results(s);

        for (Object o : List.of(s.provider, s.provider.config(), s.rsa, s.ec, s.aes, s.hmac, s.rsa.publicKey(),
                s.ec.publicKey(), ks)) {
            hygiene.checkToString(o.getClass().getSimpleName(), o);
        }
        for (Provider.Service service : s.provider.getServices()) {
            hygiene.checkToString("Provider.Service", service);
        }
        report.during(ResourceProbe.newThreadNames(before),
                ResourceProbe.canSeeConnections() ? ResourceProbe.connections(kms.port()) : null);
    }

    /**
     * Drops the provider (already unreachable: {@link #storm} has returned) and waits, boundedly,
     * until the JDK has collected its HttpClient: that client's selector thread then closes its
     * connections and ends. On JDK 17 this is the only way a provider's client goes away
     * ({@code InfisicalProvider} has no close, and {@code HttpClient} is AutoCloseable from 21 on).
     */
    private void releaseAndAwait(KmsEmulator kms, Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        CountDownLatch never = new CountDownLatch(1);
        long started = System.nanoTime();
        do {
            System.gc();
            report.threadsAfterRelease = ResourceProbe.newThreadNames(before);
            report.establishedAfterRelease = ResourceProbe.canSeeConnections()
                    ? ResourceProbe.connections(kms.port()).established() : 0;
            report.fdsAfterRelease = ResourceProbe.openFileDescriptors();
            if (ResourceProbe.unexplained(report.threadsAfterRelease).isEmpty()
                    && report.establishedAfterRelease == 0 && report.fdsAfterRelease <= report.fdsBefore + 4) {
                break;
            }
        } while (!never.await(100, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline);
        report.releaseNanos = System.nanoTime() - started;
    }

    /** A Universal Auth login by hand, only to learn what the emulator's tokens look like. */
    private static String rawLogin(KmsEmulator kms) throws Exception {
        HttpURLConnection c = (HttpURLConnection) kms.url().resolve("/api/v1/auth/universal-auth/login").toURL()
                .openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(("{\"clientId\":\"" + kms.clientId() + "\",\"clientSecret\":\"" + kms.clientSecret() + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        String body;
        try (InputStream in = c.getInputStream()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
        Matcher m = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
        assertTrue(m.find(), "no accessToken in the login answer");
        return m.group(1);
    }
}
