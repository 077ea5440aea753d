package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.EnvelopeParameterSpec;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code ./infisical-jca bench [--quick] [--out FILE]}: runs every benchmark, prints the table
 * and writes {@code bench.json}. Exit status 0 when every target is met, 1 when one is missed
 * (the file is written either way), 2 for a usage error.
 */
public final class BenchRunner {
    static final int MESSAGE_BYTES = 256;
    static final int ENVELOPE_BYTES = 64 << 20;
    static final int THREADS = 64;
    static final Duration LATENCY = Duration.ofMillis(20);
    private static final String USAGE = "usage: infisical-jca bench [--quick] [--out FILE]\n"
            + "  --quick     about five minutes on two cores (default: the full run, about twenty-five)\n"
            + "  --out FILE  where bench.json goes (default: benchmarks/target/bench.json in the repository)\n";

    /** What JMH prints on every run when its lock is ignored, which the bench does on purpose. */
    private static final String IGNORED_LOCK_WARNING = "# WARNING: JMH lock is ignored";

    static {
        // JMH takes one lock file for the whole host (java.io.tmpdir/jmh.lock, its path fixed once
        // per JVM), so a second bench on the host, or the module's tests beside one, failed at once
        // with "Another JMH instance might be running". Runs are independent instead, as the
        // figures measured outside JMH always were; -Djmh.ignoreLock=false brings the lock back.
        if (System.getProperty("jmh.ignoreLock") == null) {
            System.setProperty("jmh.ignoreLock", "true");
        }
    }

    private BenchRunner() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * Runs the benchmarks; {@code progress} gets one line per step, {@code out} the table.
     * {@code INFISICAL_JCA_HOME} (set by the launcher) locates the default output file.
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream progress) {
        BenchSettings settings = BenchSettings.FULL;
        Path file = defaultOutput(env);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick":
                    settings = BenchSettings.QUICK;
                    break;
                case "--out":
                    if (i + 1 >= args.length) {
                        progress.print("infisical-jca bench: --out needs a file\n" + USAGE);
                        return 2;
                    }
                    file = Path.of(args[++i]);
                    break;
                case "-h":
                case "--help":
                    out.print(USAGE);
                    return 0;
                default:
                    progress.print("infisical-jca bench: unknown option '" + args[i] + "'\n" + USAGE);
                    return 2;
            }
        }
        try {
            BenchReport report = measure(settings, progress);
            report.print(out);
            report.write(file);
            out.println();
            out.println("wrote " + file.toAbsolutePath().normalize());
            return report.allMet() ? 0 : 1;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            progress.println("infisical-jca bench: the run failed: " + e);
            return 1;
        }
    }

    static Path defaultOutput(Map<String, String> env) {
        String home = env.get("INFISICAL_JCA_HOME");
        Path root = home == null || home.isBlank() ? Path.of("") : Path.of(home);
        return root.resolve("benchmarks").resolve("target").resolve("bench.json");
    }

    /** Every figure, in the order of the README's table. */
    static BenchReport measure(BenchSettings s, PrintStream progress) throws Exception {
        progress.println("benchmarks, " + s.name() + " mode: " + s.describe());
        List<Figure> figures = new ArrayList<>();

        SignBenchmark sign = new SignBenchmark();
        sign.messageBytes = MESSAGE_BYTES;
        sign.setUp();
        try {
            progress.println("[1/11] sign: provider INFISICAL-RSA against a raw HttpClient POST, alternating");
            figures.add(signOverhead(sign, s));
            progress.println("[2/11] JFR: the same sign while a recording of the provider's events runs, against "
                    + "none, alternating");
            JfrSignOverhead.figure(sign, s, progress).ifPresent(figures::add);
            // The provider made every request of both figures: what its own telemetry counted.
            sign.fixture().provider().telemetry().toString().lines().forEach(l -> progress.println("      " + l));
        } finally {
            sign.tearDown();
        }

        progress.println("[3/11] concurrency: " + THREADS + " threads, " + LATENCY.toMillis() + " ms injected latency");
        figures.add(Concurrency.figure(s, progress));

        progress.println("[4/11] verify: remote, local through the provider, the JDK's own");
        Map<String, Result<?>> verify = jmh(VerifyBenchmark.class, s, MESSAGE_BYTES, progress);
        double remote = verify.get("remoteVerify").getScore();
        double local = verify.get("localVerify").getScore();
        double jdk = verify.get("jdkVerify").getScore();
        double rawVerify = verify.get("rawVerifyPost").getScore();
        String verifyInputs = "INFISICAL-RSA signature of a " + MESSAGE_BYTES + "-byte message, RSA_4096 key, "
                + "average time per verification";
        figures.add(new Figure("remote_over_local_verify", remote / local, Figure.Target.atLeast(20),
                "remote verify (infisical.verify=remote) " + micros(remote),
                "local verify through the provider (cached public key) " + micros(local), verifyInputs
                        + "; a raw HttpClient POST of the same verify request takes " + micros(rawVerify)
                        + String.format(Locale.ROOT, ", so no client could exceed %.1f here", rawVerify / jdk)));
        figures.add(new Figure("local_verify_ratio", local / jdk, Figure.Target.atMost(1.10),
                "local verify through the provider " + micros(local),
                "the JDK's SHA256withRSA (SunRsaSign) with the same public key " + micros(jdk), verifyInputs));

        progress.println("[5/11] audit hash: EventHasher against a bare SHA-256 of the canonical bytes");
        Map<String, Result<?>> audit = jmh(AuditHashBenchmark.class, s, 0, progress);
        double hashes = audit.get("auditHash").getScore();
        double digests = audit.get("rawSha256").getScore();
        figures.add(new Figure("audit_hash_ratio", hashes / digests, Figure.Target.atLeast(0.70),
                String.format(Locale.ROOT, "audit hash %,.0f events/s", hashes),
                String.format(Locale.ROOT, "raw SHA-256 over the same canonical bytes %,.0f digests/s", digests),
                "the 60 smart-logs vector events in turn, canonical string " + AuditHashBenchmark.meanCanonicalBytes()
                        + " bytes on average, one thread"));

        progress.println(String.format(Locale.ROOT, "[6/11] audit seal: %,d events, file to file, the smart-logs and "
                + "batch seals (HMAC) against the first release's sequential loop", s.audit().events()));
        figures.addAll(AuditSealThroughput.sealFigures(s, progress));

        progress.println(String.format(Locale.ROOT, "[7/11] audit KMS batch seal: %,d events, one emulator RSA signature "
                + "per %,d events, against the HMAC batch seal; KMS requests counted at the emulator",
                s.audit().kmsEvents(), AuditSealThroughput.BATCH_EVENTS));
        figures.addAll(AuditSealThroughput.kmsFigures(s, progress));

        progress.println("[8/11] envelope: INFISICAL-ENVELOPE against the JDK's AES/GCM/NoPadding, "
                + (ENVELOPE_BYTES >> 20) + " MiB");
        Map<String, Result<?>> envelope = jmh(EnvelopeBenchmark.class, s, ENVELOPE_BYTES, progress);
        double env = envelope.get("envelopeEncrypt").getScore();
        double gcm = envelope.get("jdkAesGcm").getScore();
        double segmented = envelope.get("jdkAesGcmSegmented").getScore();
        figures.add(new Figure("envelope_ratio", gcm / env, Figure.Target.atLeast(0.80),
                String.format(Locale.ROOT, "INFISICAL-ENVELOPE encrypt %.1f ms (%.0f MiB/s)", env, mibPerSecond(env)),
                String.format(Locale.ROOT, "the JDK's AES-256-GCM %.1f ms (%.0f MiB/s)", gcm, mibPerSecond(gcm)),
                (ENVELOPE_BYTES >> 20) + " MiB message, one init (one remote data-key wrap) and one doFinal each, "
                        + "average time per message; the JDK's GCM in " + (EnvelopeParameterSpec.DEFAULT.segmentSize() >> 10)
                        + String.format(Locale.ROOT, " KiB calls (the envelope's segments) runs at %.0f MiB/s",
                        mibPerSecond(segmented))));

        progress.println("[9/11] rate-limited envelope: " + RateLimitedThroughput.THREADS + " threads decrypting "
                + "INFISICAL-ENVELOPE messages under " + s.rateLimits() + ", with the data-key cache and without");
        figures.add(RateLimitedThroughput.figure(s, progress));

        progress.println("[10/11] rate-limit refusals: " + RateLimitRefusals.THREADS + " threads of AES, RSA and HMAC "
                + "through one provider under the same limits");
        figures.add(RateLimitRefusals.figure(s, progress));

        progress.println("[11/11] TLS: full mutual TLS 1.3 handshakes with KMS keys on both sides, against the same "
                + "keys in memory");
        figures.add(TlsHandshakeBenchmark.figure(s));

        return new BenchReport(s.name(), environment(), figures);
    }

    /** The sign benchmark's two operations, timed in alternating blocks against one emulator (see PairedLatency). */
    static Figure signOverhead(SignBenchmark sign, BenchSettings s) throws Exception {
        PairedLatency.Result r = PairedLatency.run(sign::providerSign, sign::rawPost, s.pairedWarmup(),
                s.pairedWindow());
        return new Figure("sign_overhead_ratio", r.ratio(), Figure.Target.atMost(1.10),
                "provider INFISICAL-RSA sign p50 " + micros(r.p50MicrosA()),
                "raw HttpClient POST of the same JSON to the same endpoint p50 " + micros(r.p50MicrosB()),
                "RSA_4096 key, " + sign.messageBytes + "-byte message, " + r.samplesEach() + " samples each, taken "
                        + "in alternating blocks of " + PairedLatency.BLOCK + " in one JVM, emulator on loopback");
    }

    /**
     * Runs one benchmark class's methods; results by method name. {@code messageBytes} (when
     * above 0) is set as the benchmark's parameter, so that the report's inputs are what ran.
     * JMH's own text goes to {@code progress}, so that stdout stays the table.
     */
    static Map<String, Result<?>> jmh(Class<?> benchmark, BenchSettings s, int messageBytes, PrintStream progress)
            throws RunnerException {
        TimeValue iteration = TimeValue.milliseconds(s.iteration().toMillis());
        OptionsBuilder options = new OptionsBuilder();
        options.include("^" + Pattern.quote(benchmark.getName() + ".")).forks(s.forks())
                .warmupIterations(s.warmupIterations()).warmupTime(iteration)
                .measurementIterations(s.measurementIterations()).measurementTime(iteration)
                .threads(1).shouldFailOnError(true).verbosity(VerboseMode.SILENT)
                .jvmArgsAppend("-Xmx1g");
        if (messageBytes > 0) {
            options.param("messageBytes", String.valueOf(messageBytes));
        }
        Collection<RunResult> results = new Runner(options.build(),
                OutputFormatFactory.createFormatInstance(jmhText(progress), VerboseMode.SILENT)).run();
        Map<String, Result<?>> byMethod = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            byMethod.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult());
        }
        return byMethod;
    }

    /** JMH's text for {@code progress}, without its warning that the lock is ignored (see the static block). */
    private static PrintStream jmhText(PrintStream progress) {
        return new PrintStream(progress, true, StandardCharsets.UTF_8) {
            @Override
            public void println(String line) {
                if (line == null || !line.startsWith(IGNORED_LOCK_WARNING)) {
                    super.println(line);
                }
            }
        };
    }

    static String micros(double us) {
        return us >= 1000 ? String.format(Locale.ROOT, "%.2f ms", us / 1000) : String.format(Locale.ROOT, "%.1f us", us);
    }

    private static double mibPerSecond(double millis) {
        return (ENVELOPE_BYTES / (double) (1 << 20)) / (millis / 1000);
    }

    static String environment() {
        return "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                + Runtime.getRuntime().availableProcessors() + " CPUs, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch");
    }
}
