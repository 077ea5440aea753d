package io.github.infisicaljca.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RateLimits;
import io.github.infisicaljca.emulator.RecordedRequest;
import io.github.infisicaljca.emulator.ServerProfile;
import io.github.infisicaljca.kms.KmsException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Many threads against Infisical's rate limits, through one provider: 64 threads of mixed
 * INFISICAL-AES round trips, RSA signatures and INFISICAL-HMAC against the emulator's current
 * profile (429 refusals), and of INFISICAL-AES and INFISICAL-ENVELOPE against its 2024 profile
 * (a 500 refusal that only its headers tell apart from a rejected ciphertext). The windows are
 * two seconds instead of a minute, and the storm runs until the emulator has served every route
 * it uses into its third window: a slower machine takes longer, it does not see fewer windows.
 * Nothing asserted (wrong results, refusals, windows crossed) depends on the machine's speed.
 *
 * <p>At full scale, by hand: {@code -Dstorm.window=PT60S -Dstorm.windows=2}
 * runs about two real minutes against the self-hosted default (200 writes, 60 reads a minute)
 * with the default time bound of 15 s.
 */
class RateLimitStormTest {
    private static final int THREADS = 64;
    private static final Duration WINDOW = Duration.parse(System.getProperty("storm.window", "PT2S"));
    /** The storm goes on until every route it uses was served into this many windows. */
    private static final int WINDOWS = Integer.getInteger("storm.windows", 3);
    /** Only stops a storm that makes no progress: minutes beyond the windows it needs. */
    private static final Duration HUNG = WINDOW.multipliedBy(WINDOWS).plusMinutes(3);
    private static final boolean FULL_SCALE = WINDOW.equals(Duration.ofMinutes(1));
    private static final RateLimits LIMITS = FULL_SCALE ? RateLimits.selfHostedDefault()
            : RateLimits.perWindow(25, 10, WINDOW);
    /** Refusals the server may still send: the limiter's probes learn each route's limit without any. */
    private static final int HANDFUL = 3;
    private static final byte[] HMAC_KEY = "rate-limit-storm-hmac-key-material!".getBytes(StandardCharsets.UTF_8);

    /** One kind of call a worker makes; it throws on a failure and returns whether the result was right. */
    private interface Op {
        boolean run(int thread, int i) throws Exception;
    }

    /** What the storm saw. */
    private static final class Tally {
        final AtomicInteger correct = new AtomicInteger();
        final AtomicInteger wrong = new AtomicInteger();
        final AtomicInteger rateLimited = new AtomicInteger();
        final List<Throwable> unexpected = new ArrayList<>();
        final Map<String, AtomicInteger> byOp = new ConcurrentHashMap<>();

        void unexpected(Throwable t) {
            synchronized (unexpected) {
                unexpected.add(t);
            }
        }

        @Override
        public String toString() {
            List<String> kinds;
            synchronized (unexpected) {
                kinds = unexpected.stream().map(t -> t.getClass().getSimpleName() + ": " + t.getMessage()).distinct()
                        .limit(5).toList();
            }
            return "correct " + correct + ", wrong " + wrong + ", rate limited " + rateLimited + ", unexpected "
                    + unexpected.size() + " " + kinds + ", by op " + byOp;
        }
    }

    private static InfisicalProvider provider(KmsEmulator kms) {
        return new InfisicalProvider(InfisicalConfig.builder().withoutAmbientSources().url(kms.url().toString())
                .clientId(kms.clientId()).clientSecret(kms.clientSecret()).projectId(kms.projectId())
                .requestTimeout(Duration.ofSeconds(FULL_SCALE ? 15 : 5)).build());
    }

    private static byte[] plaintext(int thread, int i) {
        return ("thread " + thread + " call " + i + " of the storm").getBytes(StandardCharsets.UTF_8);
    }

    /** Encrypts and decrypts with {@code transformation} (INFISICAL-AES or INFISICAL-ENVELOPE): two KMS calls. */
    private static Op roundTrip(InfisicalProvider provider, Key key, String transformation) {
        return (thread, i) -> {
            Cipher enc = Cipher.getInstance(transformation, provider);
            enc.init(Cipher.ENCRYPT_MODE, key);
            byte[] ct = enc.doFinal(plaintext(thread, i));
            Cipher dec = Cipher.getInstance(transformation, provider);
            dec.init(Cipher.DECRYPT_MODE, key);
            return Arrays.equals(plaintext(thread, i), dec.doFinal(ct));
        };
    }

    private static Op rsaSignature(InfisicalProvider provider, InfisicalPrivateKey key) {
        return (thread, i) -> {
            Signature s = Signature.getInstance("SHA256withRSA", provider);
            s.initSign(key);
            s.update(plaintext(thread, i));
            byte[] sig = s.sign();
            Signature jdk = Signature.getInstance("SHA256withRSA", "SunRsaSign");
            jdk.initVerify(key.publicKey().jdkPublicKey());
            jdk.update(plaintext(thread, i));
            return jdk.verify(sig);
        };
    }

    private static Op hmac(InfisicalProvider provider, Key key) {
        return (thread, i) -> {
            Mac m = Mac.getInstance("INFISICAL-HMAC", provider);
            m.init(key);
            byte[] tag = m.doFinal(plaintext(thread, i));
            Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(HMAC_KEY, "HmacSHA256"));
            return Arrays.equals(jdk.doFinal(plaintext(thread, i)), tag);
        };
    }

    /** Every failure must be a rate limit, said so in the message the caller gets; never a bad tag. */
    private static boolean isRateLimit(Throwable t) {
        boolean limited = false;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof AEADBadTagException) {
                return false;
            }
            limited |= c instanceof KmsException k && k.isRateLimited();
        }
        return limited && String.valueOf(t.getMessage()).contains("rate limited");
    }

    /**
     * Requests the emulator served on each of {@code routes} (the last segment of their path),
     * refusals not counted. Infisical counts per route, so more than {@code n - 1} windows'
     * worth on a route means the route was served into its {@code n}th window at least.
     */
    private static Map<String, Long> served(KmsEmulator kms, List<String> routes) {
        Map<String, Long> served = new TreeMap<>();
        routes.forEach(r -> served.put(r, 0L));
        for (RecordedRequest r : kms.requests()) {
            String last = r.route().substring(r.route().lastIndexOf('/') + 1);
            if (!r.rateLimited() && served.containsKey(last)) {
                served.merge(last, 1L, Long::sum);
            }
        }
        return served;
    }

    private static boolean crossedWindows(KmsEmulator kms, List<String> routes) {
        return served(kms, routes).values().stream().allMatch(n -> n > (long) (WINDOWS - 1) * LIMITS.writes());
    }

    /** Runs the ops on every thread until each route was served into its last window (or the storm hangs). */
    private static Tally storm(KmsEmulator kms, List<String> routes, List<Op> ops, List<String> names)
            throws Exception {
        Tally tally = new Tally();
        long hungAt = System.nanoTime() + HUNG.toNanos();
        AtomicBoolean enough = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    for (int i = 0; !enough.get() && System.nanoTime() < hungAt; i++) {
                        int which = (thread + i) % ops.size();
                        tally.byOp.computeIfAbsent(names.get(which), n -> new AtomicInteger()).incrementAndGet();
                        try {
                            (ops.get(which).run(thread, i) ? tally.correct : tally.wrong).incrementAndGet();
                        } catch (Exception e) {
                            if (isRateLimit(e)) {
                                tally.rateLimited.incrementAndGet();
                                Thread.sleep(20); // as a caller would: a refusal unsent is instant
                            } else {
                                tally.unexpected(e);
                            }
                        }
                        if (crossedWindows(kms, routes)) {
                            enough.set(true);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(HUNG.toSeconds() + 60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return tally;
    }

    private static void assertOutcome(Tally tally, KmsEmulator kms, List<String> routes) {
        long refused = kms.requests().stream().filter(RecordedRequest::rateLimited).count();
        String summary = tally + "; refused by the server " + refused + " of " + kms.requests().size()
                + "; served by route " + served(kms, routes);
        System.out.println("rate-limit storm (" + LIMITS + ", " + WINDOWS + " windows): " + summary);
        assertTrue(tally.unexpected.isEmpty(), summary);
        assertEquals(0, tally.wrong.get(), summary);
        assertTrue(crossedWindows(kms, routes), "every route was served into window " + WINDOWS + " before the storm "
                + "was given up as hung (" + HUNG.toSeconds() + " s): " + summary);
        assertTrue(refused <= HANDFUL, "the threads queued for the budget instead of spending it on refusals: "
                + summary);
    }

    @Test
    void aesSignaturesAndMacsAgainstTheCurrentServersLimits() throws Exception {
        try (KmsEmulator kms = KmsEmulator.builder().rateLimits(LIMITS).start()) {
            String hmacId = kms.importKey("storm-hmac", "HMAC_SHA_256", HMAC_KEY);
            InfisicalProvider provider = provider(kms);
            Key aes = provider.key(kms.encryptionKeyId());
            InfisicalPrivateKey rsa = (InfisicalPrivateKey) provider.key(kms.signingKeyId());
            Key mac = provider.key(hmacId);
            kms.clearRequests();
            List<String> routes = List.of("encrypt", "decrypt", "sign", "generate-mac");
            Tally tally = storm(kms, routes, List.of(roundTrip(provider, aes, "INFISICAL-AES"),
                    rsaSignature(provider, rsa), hmac(provider, mac)), List.of("aes", "rsa", "hmac"));
            assertOutcome(tally, kms, routes);
        }
    }

    @Test
    void aesAndEnvelopesAgainstThe2024ServersLimitsWhoseRefusalsAre500s() throws Exception {
        try (KmsEmulator kms = KmsEmulator.builder().profile(ServerProfile.INFISICAL_2024)
                .rateLimits(LIMITS).start()) {
            InfisicalProvider provider = provider(kms);
            Key aes = provider.key(kms.encryptionKeyId());
            kms.clearRequests();
            List<String> routes = List.of("encrypt", "decrypt");
            Tally tally = storm(kms, routes, List.of(roundTrip(provider, aes, "INFISICAL-AES"),
                    roundTrip(provider, aes, "INFISICAL-ENVELOPE")), List.of("aes", "envelope"));
            assertOutcome(tally, kms, routes);
            assertTrue(kms.requests().stream().filter(RecordedRequest::rateLimited).allMatch(r -> r.status() == 500));
        }
    }
}
