package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.io.PrintStream;
import java.security.KeyException;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code concurrency_efficiency}: the harness run with {@link BenchRunner#THREADS} threads
 * signing through one provider (one connection pool, one token) against an emulator that
 * holds every request for {@link BenchRunner#LATENCY}.
 */
final class Concurrency {
    static final String ALGORITHM = "INFISICAL-ECDSA";

    private Concurrency() {
    }

    static Figure figure(BenchSettings s, PrintStream progress) throws InterruptedException, KeyException {
        try (BenchFixture fixture = BenchFixture.start()) {
            Supplier<ConcurrencyHarness.Operation> op = signer(fixture);
            fixture.kms().latency(BenchRunner.LATENCY, BenchRunner.LATENCY);
            double[] efficiency = new double[s.concurrencyRuns()];
            double[] opsPerSecond = new double[s.concurrencyRuns()];
            ConcurrencyHarness.Result last = null;
            for (int i = 0; i < efficiency.length; i++) {
                last = ConcurrencyHarness.run(BenchRunner.THREADS, BenchRunner.LATENCY, s.concurrencyWarmup(),
                        s.concurrencyWindow(), op);
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
                            + ALGORITHM + " sign of a " + BenchRunner.SIGN_MESSAGE_BYTES + "-byte message (ECC_NIST_P256 "
                            + "key) through one provider, " + efficiency.length + " run" + (efficiency.length == 1 ? "" : "s")
                            + " of " + s.concurrencyWindow().toMillis() + " ms after " + s.concurrencyWarmup().toMillis()
                            + " ms warm-up, median");
        }
    }

    /** Per thread: its own Signature engine, signing with the emulator's EC key. */
    static Supplier<ConcurrencyHarness.Operation> signer(BenchFixture fixture) throws KeyException {
        InfisicalPrivateKey key = (InfisicalPrivateKey) fixture.key(KmsEmulator.EC_SIGNING_KEY);
        byte[] message = new byte[BenchRunner.SIGN_MESSAGE_BYTES];
        return () -> {
            Signature s;
            try {
                s = Signature.getInstance(ALGORITHM, fixture.provider());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            return () -> {
                s.initSign(key);
                s.update(message);
                s.sign();
            };
        };
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
