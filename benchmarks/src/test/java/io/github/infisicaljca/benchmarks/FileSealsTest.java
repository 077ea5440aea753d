package io.github.infisicaljca.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.audit.AuditCrypto;
import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.KmsEventSigner;
import io.github.infisicaljca.audit.batch.BatchSigner;
import io.github.infisicaljca.audit.batch.BatchVerifier;
import io.github.infisicaljca.audit.batch.Report;
import io.github.infisicaljca.audit.lines.SealStoppedException;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each sealer under test writes one sealed line per event, in order, and the file verifies. */
class FileSealsTest {
    @TempDir
    Path dir;

    @Test
    void theSmartLogsSealWritesEventsThatVerify() throws Exception {
        AuditEventFile.Written w = AuditEventFile.write(dir.resolve("events.jsonl"), 500, 16);
        AuditCrypto crypto = AuditSealThroughput.hmacCrypto();
        Path out = dir.resolve("sealed.jsonl");
        FileSeals.smartLogs(crypto).seal(w.file(), out);
        List<String> sealed = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(w.events(), sealed.size());
        List<String> in = Files.readAllLines(w.file());
        for (int i = 0; i < sealed.size(); i++) {
            AuditEvent e = AuditEvent.parse(sealed.get(i));
            assertTrue(crypto.verify(e).valid(), "line " + (i + 1) + ": " + crypto.verify(e).reason());
            assertEquals(AuditEvent.parse(in.get(i)).text("timestamp"), e.text("timestamp"), "in order");
        }
    }

    /** 2,500 events, N = 1,000: chunks of 4,000 lines hold two whole batches and a part; blank lines skipped. */
    @Test
    void theBatchSealWritesALogThatVerifiesWholeInBatchesOfN() throws Exception {
        AuditEventFile.Written w = AuditEventFile.write(dir.resolve("events.jsonl"), 2_500, 16);
        insertBlankLines(w.file());
        BatchSigner signer = AuditSealThroughput.hmacBatchSigner();
        Report r = sealAndVerify(FileSeals.batch(signer, 1000), w, signer);
        assertEquals(2, r.lastBatch().seq(), "three batches");
        assertEquals(2_500, r.lastBatch().count());
        assertEquals(500, r.lastBatch().size());
    }

    /** Batches larger than a chunk (the sealer is fed whole batches, so waiting for one never hangs). */
    @Test
    void batchesLargerThanAChunkAndOnesThatDoNotDivideItWork() throws Exception {
        AuditEventFile.Written w = AuditEventFile.write(dir.resolve("events.jsonl"), 12_000, 16);
        BatchSigner signer = AuditSealThroughput.hmacBatchSigner();
        assertEquals(2, sealAndVerify(FileSeals.pipelinedBatch(signer, 5_000), w, signer).lastBatch().seq());
        assertEquals(12_000 / 7, sealAndVerify(FileSeals.batch(signer, 7), w, signer).lastBatch().seq());
    }

    @Test
    void thePipelinedBatchSealSignsWithTheKmsAndVerifies() throws Exception {
        AuditEventFile.Written w = AuditEventFile.write(dir.resolve("events.jsonl"), 2_500, 16);
        try (BenchFixture fixture = BenchFixture.start()) {
            InfisicalPrivateKey key = (InfisicalPrivateKey) fixture.key(KmsEmulator.SIGNING_KEY);
            BatchSigner signer = BatchSigner.kms(KmsEventSigner.of(fixture.provider(), key,
                    AuditSealThroughput.KMS_ALGORITHM));
            Report r = sealAndVerify(FileSeals.pipelinedBatch(signer, 1000), w, signer);
            assertEquals(2, r.lastBatch().seq());
            assertEquals("RSASSA_PSS_SHA_256", r.lastBatch().algorithm());
            assertEquals(key.keyId(), r.lastBatch().keyId());
        }
    }

    @Test
    void aLineThatIsNoEventStopsTheBatchSeal() throws Exception {
        Path in = dir.resolve("bad.jsonl");
        Files.writeString(in, "{\"timestamp\":\"t\",\"action\":\"a\",\"status\":\"s\"}\n[1, 2]\n");
        SealStoppedException e = assertThrows(SealStoppedException.class,
                () -> FileSeals.batch(AuditSealThroughput.hmacBatchSigner(), 10).seal(in, dir.resolve("out.jsonl")));
        assertEquals(2, e.line());
        assertEquals(1, e.written());
        assertThrows(IllegalArgumentException.class, () -> FileSeals.batch(AuditSealThroughput.hmacBatchSigner(), 0));
    }

    private Report sealAndVerify(FileSeal seal, AuditEventFile.Written w, BatchSigner key) throws Exception {
        Path out = dir.resolve("sealed.jsonl");
        seal.seal(w.file(), out);
        List<String> sealed = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(w.events(), sealed.size());
        Report r = BatchVerifier.builder().key(key).build().verifyLines(sealed, null);
        assertTrue(r.valid(), r.findings().stream().limit(5).toList().toString());
        assertEquals(w.events(), r.lines());
        return r;
    }

    private static void insertBlankLines(Path file) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.add(1000, "");
        lines.add(1500, " ");
        Files.write(file, lines, StandardCharsets.UTF_8);
    }
}
