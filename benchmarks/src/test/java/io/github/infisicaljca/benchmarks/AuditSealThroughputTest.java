package io.github.infisicaljca.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.emulator.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit seal figures count what they claim and time what they claim; never a time asserted. */
class AuditSealThroughputTest {
    @TempDir
    Path dir;

    /** 2,500 events in batches of 1,000: three batches, three sign requests, nothing else, in each timed run. */
    @Test
    void theTimedKmsSealMakesOneSignRequestPerBatch() throws Exception {
        AuditEventFile.Written warmup = AuditEventFile.write(dir.resolve("warmup.jsonl"), 500, 1);
        AuditEventFile.Written file = AuditEventFile.write(dir.resolve("events.jsonl"), 2_500, 2);
        AuditSealThroughput.KmsResult r;
        try (BenchFixture fixture = BenchFixture.start()) {
            r = AuditSealThroughput.kmsRun(fixture, new AuditSealThroughput.Warmup(warmup, Duration.ZERO), file, 1000,
                    2, dir);
        }
        assertEquals(2, r.requests().size(), "one log per timed run");
        for (List<RecordedRequest> run : r.requests()) {
            assertEquals(3, run.size(), run.toString());
            for (RecordedRequest q : run) {
                assertEquals("POST", q.method());
                assertTrue(q.route().endsWith("/sign") && q.status() == 200, q.toString());
            }
        }
        assertEquals(3, r.calls());
        assertEquals(1.2, r.callsPer1000(), 1e-9);
        assertEquals("POST sign 3", r.byRoute());
        assertEquals("RSA_4096", r.keySpec());
        assertEquals(2, r.kms().seconds().length);
        assertEquals(2, r.hmac().seconds().length);

        Figure calls = AuditSealThroughput.kmsCalls(r);
        assertEquals("audit_batch_kms_calls_per_1000", calls.key());
        assertEquals(1.2, calls.value(), 1e-9);
        assertFalse(calls.met(), "three calls for 2,500 events is more than one per 1,000");
        assertTrue(calls.numerator().startsWith("3 KMS requests"), calls.numerator());
        assertTrue(calls.denominator().startsWith("2,500 events / 1,000 (3 batches"), calls.denominator());
        assertTrue(calls.inputs().contains("RSA_4096 RSASSA_PSS_SHA_256"), calls.inputs());

        Figure ratio = AuditSealThroughput.kmsRatio(r, new AuditSealThroughput.Warmup(warmup, Duration.ZERO));
        assertEquals(r.kms().eventsPerSecond() / r.hmac().eventsPerSecond(), ratio.value(), 1e-9);
        assertTrue(ratio.inputs().contains("2,500 events") && ratio.inputs().contains("N = 1,000"), ratio.inputs());
    }

    @Test
    void eachSealerIsTimedInTurnAndItsOutputsAreDeleted() throws Exception {
        AuditEventFile.Written file = AuditEventFile.write(dir.resolve("events.jsonl"), 10, 1);
        List<String> order = new ArrayList<>();
        AtomicInteger lines = new AtomicInteger();
        FileSeal a = (in, out) -> {
            order.add("a");
            Files.copy(in, out);
        };
        FileSeal b = (in, out) -> {
            order.add("b");
            lines.addAndGet(Files.readAllLines(in).size());
            Files.writeString(out, "x");
        };
        List<AuditSealThroughput.Timing> t = AuditSealThroughput.time(List.of(new AuditSealThroughput.Sealer("a", a),
                new AuditSealThroughput.Sealer("b", b)), file, 3, dir);
        assertEquals(List.of("a", "b", "a", "b", "a", "b"), order);
        assertEquals(30, lines.get());
        assertEquals(List.of("a", "b"), t.stream().map(AuditSealThroughput.Timing::sealer).toList());
        assertEquals(3, t.get(0).seconds().length);
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file.file()), listing.toList(), "no sealed file left");
        }

        order.clear();
        AuditSealThroughput.warmUp(List.of(new AuditSealThroughput.Sealer("a", a)),
                new AuditSealThroughput.Warmup(file, Duration.ZERO), dir);
        assertEquals(List.of("a"), order, "a warm-up of no time still seals once");
    }

    @Test
    void aSpeedupIsTheRatioOfEventsPerSecondOnTheSameFile() throws Exception {
        AuditEventFile.Written file = new AuditEventFile.Written(dir.resolve("f"), 1_000_000, 291_000_000);
        AuditSealThroughput.Warmup warmup = new AuditSealThroughput.Warmup(file, Duration.ofSeconds(10));
        AuditSealThroughput.Timing baseline = new AuditSealThroughput.Timing("base", file, new double[] {5.0, 4.0, 9.0});
        AuditSealThroughput.Timing batch = new AuditSealThroughput.Timing("batch", file, new double[] {2.0});
        assertEquals(200_000, baseline.eventsPerSecond(), 1e-6, "the median run");
        Figure f = AuditSealThroughput.batchSealSpeedup(batch, baseline, warmup);
        assertEquals("audit_batch_seal_speedup", f.key());
        assertEquals(2.5, f.value(), 1e-9);
        assertTrue(f.met());
        assertTrue(f.denominator().contains("200,000 events/s (5.00 s for 1,000,000 events, median of 3 runs)"),
                f.denominator());
        assertTrue(f.inputs().contains("1,000,000 events (291 MB)") && f.inputs().contains("N = 1,000")
                && f.inputs().contains("first sealed a 1,000,000-event file over and over for 10 s, untimed"), f.inputs());
        assertEquals("audit_seal_speedup", AuditSealThroughput.sealSpeedup(batch, baseline, warmup).key());
    }

    /** Both steps end to end at the smoke sizes: their figures, and their temporary files gone. */
    @Test
    void theStepsGiveTheirFiguresAndLeaveNoFiles() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        PrintStream text = new PrintStream(progress, true, StandardCharsets.UTF_8);
        List<Figure> figures = new ArrayList<>(AuditSealThroughput.sealFigures(BenchSettings.SMOKE, text, dir));
        figures.addAll(AuditSealThroughput.kmsFigures(BenchSettings.SMOKE, text, dir));
        assertEquals(List.of("audit_seal_speedup", "audit_batch_seal_speedup", "audit_batch_kms_ratio",
                "audit_batch_kms_calls_per_1000"), figures.stream().map(Figure::key).toList());
        String shown = progress.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("3,000 events") && shown.contains("batch seal: "), shown);
        assertTrue(shown.contains("KMS batch seal:  ") && shown.contains("3 KMS requests (POST sign 3)"), shown);
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(), listing.toList());
        }
    }

    @Test
    void deleteTreeRemovesADirectoryAndWhatItHolds() throws Exception {
        Path tree = dir.resolve("t");
        Files.createDirectories(tree.resolve("a/b"));
        Files.writeString(tree.resolve("a/b/c.jsonl"), "x");
        Files.writeString(tree.resolve("d.jsonl"), "y");
        AuditSealThroughput.deleteTree(tree);
        assertFalse(Files.exists(tree));
        AuditSealThroughput.deleteTree(tree); // gone already: nothing to do
    }
}
