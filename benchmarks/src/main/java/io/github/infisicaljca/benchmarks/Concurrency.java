package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.InfisicalSecretKey;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.io.PrintStream;
import java.security.KeyException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import javax.crypto.Mac;

/**
 * {@code concurrency_efficiency}: the harness run with {@link BenchRunner#THREADS} threads
 * sharing one provider (one connection pool, one Universal Auth token) against an emulator
 * that holds every request for {@link BenchRunner#LATENCY}. Each operation is an
 * {@code INFISICAL-HMAC} MAC, one remote call whose own crypto costs microseconds at both
 * ends, so the figure measures how well the provider overlaps waiting, not how fast two
 * cores do public-key math (an ECDSA sign costs both ends about half a millisecond of CPU,
 * more than 3,200 a second can fit on two cores).
 */
final class Concurrency {
    static final String ALGORITHM = "INFISICAL-HMAC";

    private Concurrency() {
    }

    static Figure figure(BenchSettings s, PrintStream progress) throws InterruptedException, KeyException {
        try (BenchFixture fixture = BenchFixture.start()) {
            Supplier<Operation> op = macs(fixture);
            fixture.kms().latency(BenchRunner.LATENCY, BenchRunner.LATENCY);
            double[] efficiency = new double[s.concurrencyRuns()];
            double[] opsPerSecond = new double[s.concurrencyRuns()];
            ConcurrencyHarness.Result last = null;
            for (int i = 0; i < efficiency.length; i++) {
                // at least one operation per thread, however slow the machine
                last = ConcurrencyHarness.run(BenchRunner.THREADS, BenchRunner.LATENCY, s.concurrencyWarmup(),
                        s.concurrencyWindow(), BenchRunner.THREADS, op);
                efficiency[i] = last.efficiency();
                opsPerSecond[i] = last.opsPerSecond();
                progress.printf(Locale.ROOT, "      run %d: %,.0f ops/s, efficiency %.3f%n", i + 1, last.opsPerSecond(),
                        last.efficiency());
            }
            return new Figure("concurrency_efficiency", median(efficiency), Figure.Target.atLeast(0.90),
                    String.format(Locale.ROOT, "achieved %,.0f ops/s (median run)", median(opsPerSecond)),
                    String.format(Locale.ROOT, "the ideal %,.0f ops/s (%d threads / %d ms)", last.ideal(),
                            BenchRunner.THREADS, BenchRunner.LATENCY.toMillis()),
                    BenchRunner.THREADS + " threads, " + BenchRunner.LATENCY.toMillis() + " ms injected latency, "
                            + ALGORITHM + " MAC of a " + BenchRunner.MESSAGE_BYTES + "-byte message "
                            + "(HMAC_SHA256 key) through one provider, " + efficiency.length + " run" + (efficiency.length == 1 ? "" : "s")
                            + " of " + s.concurrencyWindow().toMillis() + " ms after " + s.concurrencyWarmup().toMillis()
                            + " ms warm-up, median");
        }
    }

    /** Per thread: its own Mac engine (JCA engines are not thread-safe), all on one key. */
    static Supplier<Operation> macs(BenchFixture fixture) throws KeyException {
        InfisicalSecretKey key = (InfisicalSecretKey) fixture.key(KmsEmulator.HMAC_KEY);
        byte[] message = new byte[BenchRunner.MESSAGE_BYTES];
        return () -> {
            Mac mac;
            try {
                mac = Mac.getInstance(ALGORITHM, fixture.provider());
                mac.init(key);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            return () -> mac.doFinal(message);
        };
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
