package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.Secret;
import io.github.infisicaljca.audit.AuditCrypto;
import io.github.infisicaljca.audit.FallbackPolicy;
import io.github.infisicaljca.audit.HmacEventSigner;
import io.github.infisicaljca.audit.KmsEventSigner;
import io.github.infisicaljca.audit.batch.BatchSigner;
import io.github.infisicaljca.audit.config.KmsConfig;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RecordedRequest;
import io.github.infisicaljca.kms.SigningAlgorithm;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The audit seal figures: events sealed a second, file in to file out, of generated smart-logs
 * events ({@link AuditEventFile}). {@code audit_seal_speedup} and {@code audit_batch_seal_speedup}
 * divide the HMAC smart-logs seal and the HMAC batch seal by the frozen {@link SequentialSeal};
 * {@code audit_batch_kms_ratio} divides the batch seal signed by the KMS emulator's RSA key by the
 * HMAC batch seal of the same file, and {@code audit_batch_kms_calls_per_1000} counts the KMS
 * requests of that seal at the emulator. The sealers under test come from {@link FileSeals}.
 *
 * <p>Every sealer first seals a smaller file over and over for a while, untimed, so that each is
 * timed compiled (the batch seal takes seconds to reach its speed on two cores); the timed runs
 * then take the sealers in turn, so that a slow spell of a shared machine falls on all of them.
 * The files live in a temporary directory, deleted afterwards.
 */
final class AuditSealThroughput {
    static final int BATCH_EVENTS = 1000;
    static final long SEED = 16;
    static final String HMAC_KEY_ID = "bench-hmac";
    /** The audit default for RSA keys (the CLI's and the configuration's). */
    static final SigningAlgorithm KMS_ALGORITHM = SigningAlgorithm.fromWire(KmsConfig.DEFAULT_SIGNING_ALGORITHM)
            .orElseThrow();
    private static final Secret SECRET = Secret.of("infisical-jca-bench-audit-hmac-secret");
    private static final Path TEMP = Path.of(System.getProperty("java.io.tmpdir"));

    /** One sealer's timed runs over one file. */
    record Timing(String sealer, AuditEventFile.Written file, double[] seconds) {
        double medianSeconds() {
            return Concurrency.median(seconds);
        }

        double eventsPerSecond() {
            return file.events() / medianSeconds();
        }

        String summary() {
            return String.format(Locale.ROOT, "%,.0f events/s (%.2f s for %,d events%s)", eventsPerSecond(),
                    medianSeconds(), file.events(), seconds.length == 1 ? "" : ", median of " + seconds.length + " runs");
        }
    }

    /** A sealer under test and what it is. */
    record Sealer(String name, FileSeal seal) {
    }

    /** What each sealer seals over and over for {@code time} (at least once), untimed, before the timed runs. */
    record Warmup(AuditEventFile.Written file, Duration time) {
        String describe() {
            return String.format(Locale.ROOT, "a %,d-event file ", file.events())
                    + (time.isZero() ? "once" : "over and over for " + time.toSeconds() + " s");
        }
    }

    /**
     * The KMS step: the HMAC and KMS batch seals of one file, the KMS key's algorithm, and the
     * requests the emulator received during each timed KMS seal.
     */
    record KmsResult(Timing hmac, Timing kms, String keySpec, List<List<RecordedRequest>> requests) {
        /** The most requests of any timed run. */
        long calls() {
            return requests.stream().mapToLong(List::size).max().orElseThrow();
        }

        double callsPer1000() {
            return calls() * 1000.0 / kms.file().events();
        }

        /** The run with the most requests, by method and last path segment: {@code POST sign 200}. */
        String byRoute() {
            List<RecordedRequest> most = requests.stream().max(Comparator.comparingInt(List::size)).orElseThrow();
            Map<String, Long> routes = most.stream().collect(Collectors.groupingBy(
                    r -> r.method() + " " + r.route().substring(r.route().lastIndexOf('/') + 1), TreeMap::new,
                    Collectors.counting()));
            return routes.isEmpty() ? "none" : routes.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "));
        }
    }

    private AuditSealThroughput() {
    }

    static AuditCrypto hmacCrypto() {
        return AuditCrypto.builder().hmac(HmacEventSigner.of(SECRET)).policy(FallbackPolicy.HMAC_WHEN_KMS_DISABLED)
                .build();
    }

    static BatchSigner hmacBatchSigner() {
        return BatchSigner.hmac(SECRET, HMAC_KEY_ID);
    }

    static List<Figure> sealFigures(BenchSettings s, PrintStream progress) throws Exception {
        return sealFigures(s, progress, TEMP);
    }

    /** {@code audit_seal_speedup} and {@code audit_batch_seal_speedup}, timed side by side; files under {@code temp}. */
    static List<Figure> sealFigures(BenchSettings s, PrintStream progress, Path temp) throws Exception {
        BenchSettings.AuditSizes sizes = s.audit();
        Path dir = Files.createTempDirectory(temp, "infisical-jca-bench-audit");
        try {
            Warmup warmup = warmup(sizes, dir);
            AuditEventFile.Written file = AuditEventFile.write(dir.resolve("events.jsonl"), sizes.events(), SEED);
            progress.println("      " + file.describe() + "; warm-up: " + warmup.describe() + ", each sealer");
            AuditCrypto crypto = hmacCrypto();
            List<Sealer> sealers = List.of(new Sealer("sequential loop", new SequentialSeal(crypto)),
                    new Sealer("smart-logs seal", FileSeals.smartLogs(crypto)),
                    new Sealer("batch seal", FileSeals.batch(hmacBatchSigner(), BATCH_EVENTS)));
            warmUp(sealers, warmup, dir);
            List<Timing> t = time(sealers, file, sizes.runs(), dir);
            t.forEach(x -> progress.println("      " + x.sealer() + ": " + x.summary()));
            return List.of(sealSpeedup(t.get(1), t.get(0), warmup), batchSealSpeedup(t.get(2), t.get(0), warmup));
        } finally {
            deleteTree(dir);
        }
    }

    static List<Figure> kmsFigures(BenchSettings s, PrintStream progress) throws Exception {
        return kmsFigures(s, progress, TEMP);
    }

    /**
     * {@code audit_batch_kms_ratio} and {@code audit_batch_kms_calls_per_1000}, against a fresh
     * emulator; files under {@code temp}.
     */
    static List<Figure> kmsFigures(BenchSettings s, PrintStream progress, Path temp) throws Exception {
        BenchSettings.AuditSizes sizes = s.audit();
        Path dir = Files.createTempDirectory(temp, "infisical-jca-bench-audit-kms");
        try (BenchFixture fixture = BenchFixture.start()) {
            Warmup warmup = warmup(sizes, dir);
            AuditEventFile.Written file = AuditEventFile.write(dir.resolve("events.jsonl"), sizes.kmsEvents(), SEED);
            progress.println("      " + file.describe() + "; warm-up: " + warmup.describe() + ", each sealer");
            KmsResult r = kmsRun(fixture, warmup, file, BATCH_EVENTS, sizes.runs(), dir);
            progress.println("      HMAC batch seal: " + r.hmac().summary());
            progress.println("      KMS batch seal:  " + r.kms().summary() + "; " + r.calls() + " KMS requests ("
                    + r.byRoute() + ")");
            return List.of(kmsRatio(r, warmup), kmsCalls(r));
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * The HMAC batch seal and the pipelined KMS batch seal of {@code file}, {@code maxEvents} per
     * batch, with the emulator's RSA signing key. The key handle (login, key lookup) and the
     * warm-up seal (public-key fetch) make the provider's set-up calls; the emulator's log is
     * cleared just before each timed KMS seal and read just after it.
     */
    static KmsResult kmsRun(BenchFixture fixture, Warmup warmup, AuditEventFile.Written file, int maxEvents,
            int runs, Path dir) throws Exception {
        KmsEmulator kms = fixture.kms();
        InfisicalPrivateKey key = (InfisicalPrivateKey) fixture.key(KmsEmulator.SIGNING_KEY);
        FileSeal kmsSeal = FileSeals.pipelinedBatch(BatchSigner.kms(KmsEventSigner.of(fixture.provider(), key,
                KMS_ALGORITHM)), maxEvents);
        Sealer hmac = new Sealer("HMAC batch seal", FileSeals.batch(hmacBatchSigner(), maxEvents));
        warmUp(List.of(hmac, new Sealer("KMS batch seal", kmsSeal)), warmup, dir);
        List<List<RecordedRequest>> requests = new ArrayList<>();
        Sealer counted = new Sealer("KMS batch seal", (in, out) -> {
            kms.clearRequests();
            kmsSeal.seal(in, out);
            requests.add(kms.requests());
        });
        List<Timing> t = time(List.of(hmac, counted), file, runs, dir);
        if (requests.stream().anyMatch(l -> l.size() >= 10_000)) {
            throw new IllegalStateException("the emulator's log holds only its last 10,000 requests; a smaller file "
                    + "or larger batches");
        }
        return new KmsResult(t.get(0), t.get(1), key.kmsAlgorithm(), requests);
    }

    static Figure sealSpeedup(Timing smartLogs, Timing baseline, Warmup warmup) {
        return new Figure("audit_seal_speedup", smartLogs.eventsPerSecond() / baseline.eventsPerSecond(),
                Figure.Target.atLeast(2.0), "HMAC smart-logs seal (" + FileSeals.SMART_LOGS + ") " + smartLogs.summary(),
                baseline(baseline), "each event sealed alone with HMAC-SHA256; " + common(baseline, warmup));
    }

    static Figure batchSealSpeedup(Timing batch, Timing baseline, Warmup warmup) {
        return new Figure("audit_batch_seal_speedup", batch.eventsPerSecond() / baseline.eventsPerSecond(),
                Figure.Target.atLeast(2.0), "HMAC batch seal (" + FileSeals.BATCH + ") " + batch.summary(),
                baseline(baseline), "batch format, N = " + String.format(Locale.ROOT, "%,d", BATCH_EVENTS)
                        + " events per batch, HMAC-SHA256 batch signer (BatchSigner.hmac); the baseline seals each "
                        + "event alone with HMAC-SHA256; " + common(baseline, warmup));
    }

    static Figure kmsRatio(KmsResult r, Warmup warmup) {
        return new Figure("audit_batch_kms_ratio", r.kms().eventsPerSecond() / r.hmac().eventsPerSecond(),
                Figure.Target.atLeast(0.5), "KMS batch seal (" + FileSeals.PIPELINED_BATCH + ") " + r.kms().summary(),
                "HMAC batch seal (" + FileSeals.BATCH + ") of the same file " + r.hmac().summary(),
                String.format(Locale.ROOT, "batch format, N = %,d; the KMS side signs each batch with the emulator's "
                        + "%s key and %s (the audit default for RSA keys) through BatchSigner.kms(KmsEventSigner) and "
                        + "the provider, which checks each signature against the cached public key; emulator in this "
                        + "JVM on loopback; ", BATCH_EVENTS, r.keySpec(), KMS_ALGORITHM.wireName())
                        + common(r.kms(), warmup) + "; the provider's set-up calls (login and key lookup for the key "
                        + "handle, the public-key fetch in the warm-up seal) came before the timed runs");
    }

    static Figure kmsCalls(KmsResult r) {
        int events = r.kms().file().events();
        long batches = (events + (long) BATCH_EVENTS - 1) / BATCH_EVENTS;
        return new Figure("audit_batch_kms_calls_per_1000", r.callsPer1000(), Figure.Target.atMost(1.0),
                String.format(Locale.ROOT, "%d KMS requests the emulator received during the timed KMS batch seal "
                        + "(%s)", r.calls(), r.byRoute()),
                String.format(Locale.ROOT, "%,d events / 1,000 (%,d batches of up to %,d)", events, batches,
                        BATCH_EVENTS),
                String.format(Locale.ROOT, "counted in the emulator's request log, cleared just before each timed KMS "
                        + "seal and read just after it (the most of %d run%s); the provider's set-up calls (login and key "
                        + "lookup for the key handle, the public-key fetch in the warm-up seal) came before; %s, %s, "
                        + "N = %,d",
                        r.requests().size(), r.requests().size() == 1 ? "" : "s", r.kms().file().describe(),
                        r.keySpec() + " " + KMS_ALGORITHM.wireName(), BATCH_EVENTS));
    }

    private static String baseline(Timing t) {
        return "the first release's sequential loop (SequentialSeal: one thread, BufferedReader line by line, "
                + "AuditEvent.parse, AuditCrypto.seal, toJson, BufferedWriter) " + t.summary();
    }

    private static String common(Timing t, Warmup warmup) {
        int runs = t.seconds().length;
        return String.format(Locale.ROOT, "%s of generated smart-logs events (seed %d), JSON Lines file in, sealed "
                + "file out, in a temporary directory; %d CPUs (JsonLinesSealer: as many parsing and hashing "
                + "threads, one reading, one writing); each sealer first sealed %s, untimed, then %d timed run%s "
                + "each, in turn%s", t.file().describe(), SEED, Runtime.getRuntime().availableProcessors(),
                warmup.describe(),
                runs, runs == 1 ? "" : "s", runs == 1 ? "" : ", median");
    }

    private static Warmup warmup(BenchSettings.AuditSizes sizes, Path dir) throws IOException {
        // Another seed than the timed file's: no sealer meets the timed events before it is timed.
        return new Warmup(AuditEventFile.write(dir.resolve("warmup.jsonl"), sizes.warmupEvents(), SEED + 1),
                sizes.warmup());
    }

    /** Each sealer seals the warm-up file over and over for its time (at least once), untimed. */
    static void warmUp(List<Sealer> sealers, Warmup warmup, Path dir) throws Exception {
        Path out = dir.resolve("warmup-sealed.jsonl");
        for (Sealer s : sealers) {
            long end = System.nanoTime() + warmup.time().toNanos();
            do {
                s.seal().seal(warmup.file().file(), out);
                Files.delete(out);
            } while (System.nanoTime() - end < 0);
        }
    }

    /** {@code runs} timed seals of {@code file} by each sealer, the sealers in turn; each output deleted after. */
    static List<Timing> time(List<Sealer> sealers, AuditEventFile.Written file, int runs, Path dir) throws Exception {
        double[][] seconds = new double[sealers.size()][runs];
        Path out = dir.resolve("sealed.jsonl");
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < sealers.size(); i++) {
                System.gc(); // the previous run's garbage is not this one's cost
                long start = System.nanoTime();
                sealers.get(i).seal().seal(file.file(), out);
                seconds[i][r] = (System.nanoTime() - start) / 1e9;
                Files.delete(out);
            }
        }
        List<Timing> timings = new ArrayList<>();
        for (int i = 0; i < sealers.size(); i++) {
            timings.add(new Timing(sealers.get(i).name(), file, seconds[i]));
        }
        return timings;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
