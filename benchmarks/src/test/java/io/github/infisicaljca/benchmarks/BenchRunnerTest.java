package io.github.infisicaljca.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.Result;

class BenchRunnerTest {
    static final List<String> KEYS = List.of("sign_overhead_ratio", "jfr_sign_overhead_ratio",
            "concurrency_efficiency",
            "remote_over_local_verify", "local_verify_ratio", "audit_hash_ratio", "audit_seal_speedup",
            "audit_batch_seal_speedup", "audit_batch_kms_ratio", "audit_batch_kms_calls_per_1000", "envelope_ratio",
            "rate_limited_envelope_gain", "rate_limit_refusals", "tls_handshakes_per_second");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return BenchRunner.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertEquals(2, run("--fast"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option '--fast'"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: infisical-jca bench [--quick]"));
    }

    @Test
    void outNeedsAFile() {
        assertEquals(2, run("--quick", "--out"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--out needs a file"));
    }

    @Test
    void helpPrintsTheUsage() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: infisical-jca bench"));
    }

    @Test
    void theDefaultFileIsUnderTheRepositoryTheLauncherNames() {
        assertEquals(Path.of("/repo/benchmarks/target/bench.json"),
                BenchRunner.defaultOutput(Map.of("INFISICAL_JCA_HOME", "/repo")));
        assertEquals(Path.of("benchmarks/target/bench.json"), BenchRunner.defaultOutput(Map.of()));
    }

    /**
     * JMH's lock, one file for the whole host ({@code java.io.tmpdir/jmh.lock}), held as another
     * bench run would hold it: this run neither fails nor waits for it.
     */
    @Test
    void aRunDoesNotDependOnTheJmhLockAnotherRunHolds() throws Exception {
        Path lock = Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = channel.tryLock()) {
            lock.toFile().setWritable(true, false); // as JMH leaves it, so that other users' runs can open it
            // held is null when another process holds the lock already: taken either way
            Map<String, Result<?>> results = BenchRunner.jmh(AuditHashBenchmark.class, BenchSettings.SMOKE, 0,
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(Set.of("auditHash", "rawSha256"), results.keySet(), err.toString(StandardCharsets.UTF_8));
            assertFalse(err.toString(StandardCharsets.UTF_8).contains("lock"), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** Every benchmark once, in this JVM, through JMH and the harness: the figures exist, whatever their values. */
    @Test
    void aSmokeRunProducesEveryFigure(@TempDir Path dir) throws Exception {
        BenchReport report = BenchRunner.measure(BenchSettings.SMOKE,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(KEYS, report.figures().stream().map(Figure::key).toList());
        Path file = dir.resolve("bench.json");
        report.write(file);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        for (String key : KEYS) {
            // rate_limit_refusals is a share whose goal is exactly 0; every other figure is a ratio of two speeds or a speed.
            assertTrue(json.get(key).isNumber() && json.get(key).asDouble() >= 0, key + " = " + json.get(key));
            assertTrue(key.equals("rate_limit_refusals") || json.get(key).asDouble() > 0, key + " = " + json.get(key));
            assertTrue(json.at("/details/" + key + "/inputs").asText().length() > 10, key);
        }
        String progress = err.toString(StandardCharsets.UTF_8);
        assertTrue(progress.contains("[2/11] JFR"), progress);
        assertTrue(progress.contains("[6/11] audit seal: 3,000 events"), progress);
        assertTrue(progress.contains("[7/11] audit KMS batch seal: 2,500 events"), progress);
        assertTrue(progress.contains("[8/11] envelope"), progress);
        assertTrue(progress.contains("[10/11] rate-limit refusals"), progress);
        assertTrue(progress.contains("[11/11] TLS"), progress);
        assertTrue(progress.contains("rate limits 6 writes / 4 reads per 2 s"), progress);
    }
}
