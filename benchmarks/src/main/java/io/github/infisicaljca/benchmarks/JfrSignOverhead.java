package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.emulator.KmsEmulator;
import java.io.PrintStream;
import java.util.Optional;

/**
 * {@code jfr_sign_overhead_ratio}: the operation {@code sign_overhead_ratio} times (a provider
 * {@code INFISICAL-RSA} sign through the in-process emulator) with the provider's own JFR
 * events enabled, over the same operation with them disabled, timed in alternating blocks
 * ({@link PairedLatency}) so that the machine's noise falls on both sides alike. One recording
 * runs throughout ({@link ProviderEventRecording}); only the provider's events are ever enabled
 * in it, not the JDK's: the figure is their cost, not JFR profiling's.
 *
 * <p>No class here touches {@code jdk.jfr} before {@link #whyUnavailable()} has found it: a
 * runtime without it skips the figure instead of failing the run.
 */
final class JfrSignOverhead {
    static final String KEY = "jfr_sign_overhead_ratio";
    /** Enabled events may cost the signature 2% at most (issue 19). */
    static final double TARGET = 1.02;

    private final SignBenchmark sign;
    private final KmsCalls withRecording;
    private final KmsCalls without;
    private ProviderEventRecording recording;

    JfrSignOverhead(SignBenchmark sign) {
        this.sign = sign;
        KmsEmulator kms = sign.fixture().kms();
        withRecording = new KmsCalls(kms);
        without = new KmsCalls(kms);
    }

    /** The figure, or nothing (the reason printed on {@code progress}) when this runtime cannot record. */
    static Optional<Figure> figure(SignBenchmark sign, BenchSettings s, PrintStream progress) throws Exception {
        return figure(sign, s, progress, whyUnavailable());
    }

    static Optional<Figure> figure(SignBenchmark sign, BenchSettings s, PrintStream progress, String unavailable)
            throws Exception {
        if (unavailable != null) {
            progress.println("  " + KEY + " skipped: " + unavailable);
            return Optional.empty();
        }
        return Optional.of(new JfrSignOverhead(sign).measure(s));
    }

    /** Null when JFR can record here; otherwise why not. */
    static String whyUnavailable() {
        if (ModuleLayer.boot().findModule("jdk.jfr").isEmpty()) {
            return "this Java runtime has no jdk.jfr module";
        }
        return ProviderEventRecording.available() ? null : "this JVM cannot make JFR recordings";
    }

    Figure measure(BenchSettings s) throws Exception {
        int others = ProviderEventRecording.othersRunning();
        try (ProviderEventRecording r = new ProviderEventRecording()) {
            recording = r;
            PairedLatency.Result result = PairedLatency.run(sign::providerSign, both(r, withRecording),
                    sign::providerSign, without, s.pairedWarmup(), s.pairedWindow());
            return new Figure(KEY, result.ratio(), Figure.Target.atMost(TARGET),
                    "provider INFISICAL-RSA sign p50 while a JFR recording of the provider's events runs "
                            + BenchRunner.micros(result.p50MicrosA()),
                    "the same sign with the events disabled p50 " + BenchRunner.micros(result.p50MicrosB()),
                    "the sign_overhead_ratio operation (RSA_4096 key, " + sign.messageBytes + "-byte message, "
                            + "emulator on loopback), " + result.samplesEach() + " samples each in alternating "
                            + "blocks of " + PairedLatency.BLOCK + "; one in-memory recording runs throughout, and "
                            + String.join(", ", ProviderEventRecording.EVENTS) + " (threshold 0, no stack traces) are "
                            + "enabled in it for one side's blocks only: it measures the provider's own events; "
                            + withRecording.total() + " and "
                            + without.total() + " KMS requests, counted at the emulator"
                            + (others == 0 ? "" : "; " + others + " other recording(s) were running throughout"));
        }
    }

    /** KMS requests the emulator received during the recorded blocks, warm-up included. */
    int callsWithRecording() {
        return withRecording.total();
    }

    /** The same during the blocks without a recording. */
    int callsWithout() {
        return without.total();
    }

    /** The recording side of the last {@link #measure}, closed by then; null before. */
    ProviderEventRecording recording() {
        return recording;
    }

    private static PairedLatency.Around both(PairedLatency.Around outer, PairedLatency.Around inner) {
        return new PairedLatency.Around() {
            @Override
            public void before() throws Exception {
                outer.before();
                try {
                    inner.before();
                } catch (Exception | Error e) {
                    outer.after(); // the block will not run, so PairedLatency will not call after()
                    throw e;
                }
            }

            @Override
            public void after() throws Exception {
                try {
                    inner.after();
                } finally {
                    outer.after();
                }
            }
        };
    }

    /**
     * Requests the emulator received during one side's blocks: its log is emptied before each block
     * (it keeps the last 10,000 requests only, so counting across a whole run would miss some).
     */
    private static final class KmsCalls implements PairedLatency.Around {
        private final KmsEmulator kms;
        private int total;

        KmsCalls(KmsEmulator kms) {
            this.kms = kms;
        }

        @Override
        public void before() {
            kms.clearRequests();
        }

        @Override
        public void after() {
            total += kms.requests().size();
        }

        int total() {
            return total;
        }
    }
}
