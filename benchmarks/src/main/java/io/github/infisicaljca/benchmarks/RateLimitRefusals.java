package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RateLimits;
import io.github.infisicaljca.emulator.RecordedRequest;
import io.github.infisicaljca.kms.KmsClient;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Collectors;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code rate_limit_refusals}: the share of the KMS requests that the server refused for its
 * rate limit while {@link #THREADS} threads share one provider against the self-hosted default
 * limits (scaled to the run's window), for two windows. The provider's limiter reads the
 * {@code x-ratelimit-*} headers from the first answer on and makes threads wait for the next
 * window instead of sending requests the server would refuse, so the goal is none.
 *
 * <p>Each thread in turn makes an {@code INFISICAL-AES} round trip (an encrypt and a decrypt
 * call), an {@code INFISICAL-RSA} signature and an {@code INFISICAL-HMAC} MAC, so four write
 * routes run out of budget at once. Every result is checked locally: the round trip gives the
 * plaintext back, the signature verifies with the JDK, the MAC equals the JDK's HmacSHA256 (the
 * HMAC key is imported with known material for that). The limits apply from the emulator's
 * start and every request it logged counts, the provider's login and key lookups included.
 */
final class RateLimitRefusals {
    static final int THREADS = 64;
    static final int WINDOWS = 2;
    static final List<String> KINDS = List.of("INFISICAL-AES round trips", "INFISICAL-RSA signatures",
            "INFISICAL-HMAC MACs");
    private static final byte[] HMAC_MATERIAL = "rate-limit-refusals-hmac-key-material"
            .getBytes(StandardCharsets.UTF_8);

    /**
     * @param requests requests the emulator logged, from its start until the threads stopped
     * @param refused  those it refused for the rate limit
     * @param byKind   operations completed until the threads stopped, by {@link #KINDS}
     */
    record Result(RateLimits limits, WindowedLoad.Result load, long requests, long refused,
            Map<String, Long> refusedByRoute, long[] byKind) {
        double share() {
            return refused / (double) requests;
        }
    }

    private RateLimitRefusals() {
    }

    static Figure figure(BenchSettings s, PrintStream progress) throws Exception {
        Result r = run(s.rateLimits(), THREADS);
        progress.println("      " + refusals(r) + "; " + operations(r));
        return figure(r);
    }

    static Figure figure(Result r) {
        return new Figure("rate_limit_refusals", r.share(), Figure.Target.atMost(0.0), refusals(r), operations(r),
                String.format(Locale.ROOT, "%d threads through one provider (one client, one token; "
                        + "requestTimeoutMillis %d), each in turn an INFISICAL-AES round trip with the seeded "
                        + "encryption-key, an INFISICAL-RSA signature with the seeded signing-key and an "
                        + "INFISICAL-HMAC MAC with an imported HMAC_SHA_256 key, every result checked locally; the "
                        + "emulator limits each route to %s (the self-hosted default's rate) from its start; %d "
                        + "windows of load after the provider's login and key lookups, all of whose requests count",
                        r.load().threads(), RateLimitedThroughput.requestTimeout(r.limits().window()).toMillis(),
                        r.limits(), WINDOWS));
    }

    static Result run(RateLimits limits, int threads) throws Exception {
        try (BenchFixture fixture = BenchFixture.start(KmsEmulator.builder().rateLimits(limits))) {
            return run(fixture, threads);
        }
    }

    /**
     * The load through a provider of its own against {@code fixture}'s emulator and its limits.
     * Whatever else reaches the emulator in the meantime counts too: it shares the budget.
     */
    static Result run(BenchFixture fixture, int threads) throws Exception {
        KmsEmulator kms = fixture.kms();
        RateLimits limits = kms.rateLimits();
        if (limits == null) {
            throw new IllegalArgumentException("the emulator has no rate limits");
        }
        String hmacId = kms.importKey("bench-hmac", "HMAC_SHA_256", HMAC_MATERIAL);
        try (KmsClient client = KmsClient.create(fixture.config()
                .requestTimeout(RateLimitedThroughput.requestTimeout(limits.window())).build())) {
            InfisicalProvider provider = new InfisicalProvider(client);
            Key aes = provider.key(kms.encryptionKeyId());
            InfisicalPrivateKey rsa = (InfisicalPrivateKey) provider.key(kms.signingKeyId());
            PublicKey rsaPublic = rsa.publicKey().jdkPublicKey();
            Key hmac = provider.key(hmacId);

            AtomicLongArray byKind = new AtomicLongArray(KINDS.size());
            WindowedLoad.Result load = WindowedLoad.run(threads, limits.window().multipliedBy(WINDOWS), 1,
                    t -> operation(t, provider, aes, rsa, rsaPublic, hmac, byKind));
            List<RecordedRequest> log = kms.requests();
            if (log.size() >= 10_000) {
                throw new IllegalStateException("the emulator's log holds only its last 10,000 requests; fewer "
                        + "threads or shorter windows");
            }
            Map<String, Long> refusedByRoute = log.stream().filter(RecordedRequest::rateLimited)
                    .collect(Collectors.groupingBy(r -> r.method() + " " + lastSegment(r.route()), TreeMap::new,
                            Collectors.counting()));
            long refused = refusedByRoute.values().stream().mapToLong(Long::longValue).sum();
            long[] kinds = new long[KINDS.size()];
            for (int i = 0; i < kinds.length; i++) {
                kinds[i] = byKind.get(i);
            }
            return new Result(limits, load, log.size(), refused, refusedByRoute, kinds);
        }
    }

    /**
     * Thread {@code t}'s operation: its i-th run is kind {@code (t + i) % 3}, on a message of its
     * own, so that an answer delivered to the wrong thread would show as a wrong result.
     */
    private static Operation operation(int t, InfisicalProvider provider, Key aes, InfisicalPrivateKey rsa,
            PublicKey rsaPublic, Key hmac, AtomicLongArray byKind) {
        int[] i = {0};
        return () -> {
            int kind = (t + i[0]) % KINDS.size();
            byte[] message = String.format(Locale.ROOT, "thread %d, operation %d", t, i[0]++)
                    .getBytes(StandardCharsets.UTF_8);
            boolean right;
            switch (kind) {
                case 0: {
                    Cipher c = Cipher.getInstance("INFISICAL-AES", provider);
                    c.init(Cipher.ENCRYPT_MODE, aes);
                    byte[] sealed = c.doFinal(message);
                    c.init(Cipher.DECRYPT_MODE, aes);
                    right = Arrays.equals(message, c.doFinal(sealed));
                    break;
                }
                case 1: {
                    Signature s = Signature.getInstance("INFISICAL-RSA", provider);
                    s.initSign(rsa);
                    s.update(message);
                    Signature jdk = Signature.getInstance("SHA256withRSA", "SunRsaSign");
                    jdk.initVerify(rsaPublic);
                    jdk.update(message);
                    right = jdk.verify(s.sign());
                    break;
                }
                default: {
                    Mac m = Mac.getInstance("INFISICAL-HMAC", provider);
                    m.init(hmac);
                    Mac jdk = Mac.getInstance("HmacSHA256");
                    jdk.init(new SecretKeySpec(HMAC_MATERIAL, "HmacSHA256"));
                    right = Arrays.equals(jdk.doFinal(message), m.doFinal(message));
                }
            }
            if (!right) {
                throw new IllegalStateException("wrong result: " + KINDS.get(kind) + " of '"
                        + new String(message, StandardCharsets.UTF_8) + "'");
            }
            byKind.incrementAndGet(kind);
        };
    }

    private static String lastSegment(String route) {
        return route.substring(route.lastIndexOf('/') + 1);
    }

    static String refusals(Result r) {
        return String.format(Locale.ROOT, "%,d of %,d requests refused by the server%s", r.refused(), r.requests(),
                r.refused() == 0 ? "" : " (" + r.refusedByRoute() + ")");
    }

    static String operations(Result r) {
        WindowedLoad.Result l = r.load();
        StringBuilder kinds = new StringBuilder();
        for (int i = 0; i < KINDS.size(); i++) {
            kinds.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,d %s", r.byKind()[i], KINDS.get(i)));
        }
        return String.format(Locale.ROOT, "%,d operations completed in %.1f s and as the threads stopped (%s), "
                + "%,d failed for the rate limit, %d cut short at the end", l.completedInAll(), l.seconds(), kinds,
                l.rateLimited(), l.abandoned());
    }
}
