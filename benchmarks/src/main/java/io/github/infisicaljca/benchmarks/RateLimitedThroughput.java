package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.EnvelopeParameterSpec;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.InfisicalSecretKey;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RateLimits;
import io.github.infisicaljca.emulator.RecordedRequest;
import io.github.infisicaljca.kms.KmsClient;
import java.io.PrintStream;
import java.security.Key;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;

/**
 * {@code rate_limited_envelope_gain}: {@code INFISICAL-ENVELOPE} messages decrypted a minute
 * under a self-hosted Infisical's default rate limit (each write route, decrypt among them,
 * takes 200 requests a minute from one address), with the data-key cache and without. Without
 * it every message costs one KMS decrypt call (the unwrap of its own data key), so the limit
 * is the throughput; with it a thread unwraps a data key once per {@code maxMessages} (1,000)
 * decryptions and decrypts the messages sealed under it locally: the threads decrypt the
 * same 1,000 messages over and over, so the cached side is bounded by the budget times 1,000
 * when the CPU is faster than that.
 *
 * <p>Each side gets a fresh emulator. The set-up runs with no limits: the logins, the key
 * handles and the pre-encryption are not what is measured (and the uncached side's 1,000 wraps
 * would take five minutes of the encrypt route's budget). Then the limits apply, every counter
 * at zero, and {@link #THREADS} threads decrypt the messages in turn for two windows from
 * their first request, so that the figure spans a window's turn. Each thread has a provider of
 * its own (its own data-key cache, so each one unwraps for itself) over one shared client: one
 * token and one request budget, the client's limiter pacing them all, as in one process.
 */
final class RateLimitedThroughput {
    static final int THREADS = 16;
    static final int MESSAGES = 1000;
    static final int MESSAGE_BYTES = 1024;
    static final int WINDOWS = 2;
    /** The cached side's spec, on encryption (one data key for all 1,000 messages) and decryption. */
    static final EnvelopeParameterSpec CACHED = EnvelopeParameterSpec.builder()
            .dataKeyCache(1000, Duration.ofMinutes(10)).build();

    /**
     * One side's run.
     *
     * @param dataKeys    data keys wrapped to seal the messages (encrypt calls of the set-up)
     * @param kmsDecrypts decrypt calls the emulator answered (not refused) until the threads stopped
     * @param refused     requests the emulator refused for the rate limit, all routes
     * @param requests    requests the emulator received once the limits applied
     */
    record Result(boolean cached, RateLimits limits, int messages, int dataKeys, WindowedLoad.Result load,
            long kmsDecrypts, long refused, long requests) {
        double perMinute() {
            return load.completed() / load.seconds() * 60;
        }
    }

    private RateLimitedThroughput() {
    }

    /**
     * Longer than a window and the client's margin on it (a second), so that a thread waits for
     * the next window rather than fail.
     */
    static Duration requestTimeout(Duration window) {
        return window.multipliedBy(2);
    }

    static Figure figure(BenchSettings s, PrintStream progress) throws Exception {
        RateLimits limits = s.rateLimits();
        Result without = run(false, limits, THREADS, MESSAGES);
        progress.println("      without the cache: " + summary(without));
        Result with = run(true, limits, THREADS, MESSAGES);
        progress.println("      with the cache:    " + summary(with));
        return figure(with, without);
    }

    static Figure figure(Result with, Result without) {
        RateLimits limits = with.limits();
        if (without.load().completed() == 0) {
            throw new IllegalStateException("no message was decrypted without the cache in two windows: "
                    + summary(without));
        }
        return new Figure("rate_limited_envelope_gain", with.perMinute() / without.perMinute(),
                Figure.Target.atLeast(10), "with the data-key cache " + summary(with),
                "without it " + summary(without),
                String.format(Locale.ROOT, "INFISICAL-ENVELOPE decryption of %,d pre-encrypted %d-byte messages in "
                        + "turn by %d threads, each with its own provider over one shared client (one token, one "
                        + "request budget; requestTimeoutMillis %d); the emulator limits each route to %s, the "
                        + "self-hosted default's rate; measured over %d windows from the first request; cache "
                        + "dataKeyCache(%d, %d min) on both sides (%d data key%s for the %,d messages), without it "
                        + "one data key per message", with.messages(), MESSAGE_BYTES, with.load().threads(),
                        requestTimeout(limits.window()).toMillis(), limits, WINDOWS, CACHED.cacheMaxMessages(),
                        CACHED.cacheMaxAge().toMinutes(), with.dataKeys(), with.dataKeys() == 1 ? "" : "s",
                        with.messages()));
    }

    /** One side: {@code cached} or not, on a fresh emulator. */
    static Result run(boolean cached, RateLimits limits, int threads, int messages) throws Exception {
        EnvelopeParameterSpec spec = cached ? CACHED : EnvelopeParameterSpec.DEFAULT;
        try (BenchFixture fixture = BenchFixture.start();
                KmsClient client = KmsClient.create(fixture.config()
                        .requestTimeout(requestTimeout(limits.window())).build())) {
            KmsEmulator kms = fixture.kms();
            InfisicalSecretKey setUpKey = (InfisicalSecretKey) fixture.key(KmsEmulator.ENCRYPTION_KEY);
            byte[][] plain = new byte[messages][];
            byte[][] sealed = new byte[messages][];
            Random random = new Random(7);
            Cipher encrypt = Cipher.getInstance("INFISICAL-ENVELOPE", fixture.provider());
            kms.clearRequests();
            for (int i = 0; i < messages; i++) {
                plain[i] = new byte[MESSAGE_BYTES];
                random.nextBytes(plain[i]);
                encrypt.init(Cipher.ENCRYPT_MODE, setUpKey, spec);
                sealed[i] = encrypt.doFinal(plain[i]);
            }
            int dataKeys = (int) calls(kms.requests(), "/encrypt");

            AtomicLong next = new AtomicLong();
            List<Operation> ops = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                InfisicalProvider own = new InfisicalProvider(client);
                Key key = own.key(setUpKey.keyId()); // a login (the first time) and a key lookup, before the limits
                Cipher decrypt = Cipher.getInstance("INFISICAL-ENVELOPE", own);
                ops.add(() -> {
                    int m = (int) (next.getAndIncrement() % messages);
                    decrypt.init(Cipher.DECRYPT_MODE, key, spec);
                    if (!Arrays.equals(plain[m], decrypt.doFinal(sealed[m]))) {
                        throw new IllegalStateException("message " + m + " decrypted to other bytes than were sealed");
                    }
                });
            }

            kms.rateLimits(limits);
            kms.clearRequests();
            // and until a message is decrypted, so that no side's rate is zero on a slow machine
            WindowedLoad.Result load = WindowedLoad.run(threads, limits.window().multipliedBy(WINDOWS), 1, ops::get);
            List<RecordedRequest> log = kms.requests();
            long refused = log.stream().filter(RecordedRequest::rateLimited).count();
            return new Result(cached, limits, messages, dataKeys, load, calls(log, "/decrypt"), refused, log.size());
        }
    }

    /** Requests on routes ending with {@code suffix} that the emulator ran (answered, not refused). */
    static long calls(List<RecordedRequest> log, String suffix) {
        return log.stream().filter(r -> r.route().endsWith(suffix) && !r.rateLimited() && r.status() == 200).count();
    }

    static String summary(Result r) {
        WindowedLoad.Result l = r.load();
        return String.format(Locale.ROOT, "%,.0f messages/min (%,d decrypted in %.1f s; %,d KMS decrypt calls, "
                + "%d of %d requests refused by the server%s)", r.perMinute(), l.completed(), l.seconds(),
                r.kmsDecrypts(), r.refused(), r.requests(),
                l.rateLimited() == 0 ? "" : String.format(Locale.ROOT, "; %d decryptions failed for the rate limit",
                        l.rateLimited()));
    }
}
