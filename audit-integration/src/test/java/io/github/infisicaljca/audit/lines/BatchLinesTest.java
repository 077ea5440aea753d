package io.github.infisicaljca.audit.lines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.audit.AuditCryptoException;
import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.batch.BatchFixture;
import io.github.infisicaljca.audit.batch.BatchSealer;
import io.github.infisicaljca.audit.batch.BatchSigner;
import io.github.infisicaljca.audit.batch.BatchVerifier;
import io.github.infisicaljca.audit.batch.Checkpoint;
import io.github.infisicaljca.audit.batch.Report;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The batch format through {@link JsonLinesSealer}: what {@link BatchSealer} writes, made in parallel. */
class BatchLinesTest {
    private static final BatchVerifier VERIFIER = BatchVerifier.builder().key(BatchFixture.HMAC).build();

    private static JsonLinesSealer.Summary seal(JsonLinesSealer.Builder b, List<String> in, ByteArrayOutputStream out)
            throws Exception {
        return b.build().seal(Lines.source(in, 0, null), out);
    }

    /** Compact JSON events (Jackson's own form), so that the library sealer's text must equal them byte for byte. */
    private static List<String> compact(int n) {
        List<String> out = new ArrayList<>();
        BatchFixture.events("lines", n).forEach(e -> out.add(e.toJson()));
        return out;
    }

    @ParameterizedTest
    @CsvSource({"1,1", "5,2", "1000,7", "1000,1000", "1500,128", "1500,129", "1000,100000"})
    void linesAreByteForByteWhatBatchSealerWrites(int events, int perBatch) throws Exception {
        List<String> in = compact(events);
        List<String> expected = new ArrayList<>();
        Checkpoint end;
        try (BatchSealer s = BatchSealer.builder(BatchFixture.HMAC).maxEvents(perBatch)
                .sink(e -> expected.add(e.toJson())).build()) {
            for (String line : in) {
                s.add(AuditEvent.parse(line));
            }
            s.close();
            end = s.checkpoint();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLinesSealer.Summary summary = seal(JsonLinesSealer.batches(BatchFixture.HMAC, perBatch).threads(3), in, out);

        assertEquals(expected, Lines.lines(out));
        assertEquals(new JsonLinesSealer.Summary(events, (events + perBatch - 1) / perBatch, "HMAC-SHA256", end), summary);
    }

    @Test
    void aProducersOwnTextIsKeptAndTheLogVerifiesWithItsCheckpoint() throws Exception {
        List<String> in = Lines.events(700);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLinesSealer.Summary s = seal(JsonLinesSealer.batches(BatchFixture.HMAC, 100), in, out);

        List<String> lines = Lines.lines(out);
        Report r = VERIFIER.verifyLines(lines, s.checkpoint());
        assertEquals(List.of(), r.findings());
        assertEquals(700, s.checkpoint().statement().count());
        assertTrue(lines.get(3).contains("\"amount\":1.50,\"big\":1E+2"), lines.get(3));
        assertEquals(java.util.Optional.empty(), VERIFIER.verifyEvent(AuditEvent.parse(lines.get(650))));
    }

    @Test
    void aResumedSealContinuesTheChain() throws Exception {
        List<String> in = compact(250);
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        JsonLinesSealer.Summary a = seal(JsonLinesSealer.batches(BatchFixture.HMAC, 40), in.subList(0, 90), first);
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        JsonLinesSealer.Summary b = seal(JsonLinesSealer.batches(BatchFixture.HMAC, 40).resumeFrom(a.checkpoint()),
                in.subList(90, 250), second);

        List<String> all = new ArrayList<>(Lines.lines(first));
        all.addAll(Lines.lines(second));
        assertEquals(List.of(), VERIFIER.verifyLines(all, b.checkpoint()).findings());
        assertEquals(a.checkpoint().statement().seq() + 4, b.checkpoint().statement().seq());
        assertEquals(250, b.checkpoint().statement().count());
    }

    @Test
    void anInvalidLineSealsTheEventsBeforeItAsAShortBatch() throws Exception {
        List<String> in = compact(300);
        in.set(254, "[1,2,3]");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SealStoppedException e = assertThrows(SealStoppedException.class,
                () -> seal(JsonLinesSealer.batches(BatchFixture.HMAC, 100).threads(2), in, out));

        assertEquals(SealStoppedException.Reason.INVALID_EVENT, e.reason());
        assertEquals(255, e.line());
        assertEquals(254, e.written());
        assertEquals(254, e.checkpoint().statement().count());
        assertEquals(54, e.checkpoint().statement().size());
        List<String> lines = Lines.lines(out);
        assertEquals(254, lines.size());
        assertEquals(List.of(), VERIFIER.verifyLines(lines, e.checkpoint()).findings());
    }

    @Test
    void aFailedSignatureWritesNothingOfItsBatchAndTheCheckpointEndsBeforeIt() throws Exception {
        AtomicInteger signatures = new AtomicInteger();
        BatchSigner failsThird = hmacAfter(statement -> {
            signatures.incrementAndGet();
            // By the batch, not by the call: signatures run concurrently, in any order.
            if (statement.contains("\"seq\":2,")) {
                throw new AuditCryptoException("the KMS is unavailable", null, true);
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SealStoppedException e = assertThrows(SealStoppedException.class,
                () -> seal(JsonLinesSealer.batches(failsThird, 50), compact(400), out));

        assertEquals(SealStoppedException.Reason.SIGNING_FAILED, e.reason());
        assertEquals(150, e.line()); // the line that closed the batch
        assertEquals(100, e.written());
        assertEquals("the KMS is unavailable", e.getMessage());
        assertEquals(1, e.checkpoint().statement().seq());
        assertTrue(signatures.get() >= 3); // later batches may have been signed meanwhile: none is written
        assertEquals(List.of(), VERIFIER.verifyLines(Lines.lines(out), e.checkpoint()).findings());
    }

    @Test
    void remoteSignaturesOverlapAndTheBatchesAreStillWrittenInOrder() throws Exception {
        java.util.concurrent.CountDownLatch twoAtOnce = new java.util.concurrent.CountDownLatch(2);
        java.util.concurrent.atomic.AtomicBoolean overlapped = new java.util.concurrent.atomic.AtomicBoolean(true);
        BatchSigner slowFirst = hmacAfter(statement -> {
            twoAtOnce.countDown();
            try {
                // The first signature is held until a second one has started: sequential signing never gets there.
                if (statement.contains("\"seq\":0") && !twoAtOnce.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    overlapped.set(false);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLinesSealer.Summary s = seal(JsonLinesSealer.batches(slowFirst, 100), compact(1000), out);

        assertTrue(overlapped.get(), "the second batch was not signed while the first one was");
        assertEquals(10, s.batches());
        assertEquals(List.of(), VERIFIER.verifyLines(Lines.lines(out), s.checkpoint()).findings());
    }

    @Test
    void aReadingFailureSealsAndCheckpointsWhatCameBefore() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SealStoppedException e = assertThrows(SealStoppedException.class, () -> JsonLinesSealer
                .batches(BatchFixture.HMAC, 64).build().seal(Lines.source(compact(300), 201, new IOException("gone")), out));

        assertEquals(SealStoppedException.Reason.INPUT_FAILED, e.reason());
        assertEquals(201, e.line());
        assertEquals(200, e.written());
        assertEquals(200, e.checkpoint().statement().count());
        assertEquals(List.of(), VERIFIER.verifyLines(Lines.lines(out), e.checkpoint()).findings());
    }

    @Test
    void anEmptyInputSignsNothing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(new JsonLinesSealer.Summary(0, 0, null, null),
                seal(JsonLinesSealer.batches(BatchFixture.HMAC, 10), List.of("", " "), out));
        assertEquals(0, out.size());
    }

    @Test
    void theBuilderChecksTheBatchSizeAndTheCheckpointsKey() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> JsonLinesSealer.batches(BatchFixture.HMAC, 0).build());
        assertThrows(IllegalArgumentException.class,
                () -> JsonLinesSealer.batches(BatchFixture.HMAC, JsonLinesSealer.MAX_EVENTS_PER_BATCH + 1).build());
        BatchSigner other = BatchSigner.hmac(io.github.infisicaljca.Secret.of("another-secret-0123456789abcdef"), "other");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonLinesSealer.batches(other, 10).resumeFrom(Checkpoint.parse(someCheckpoint())).build());
        assertTrue(e.getMessage().contains("test-hmac"), e.getMessage());
        assertNull(JsonLinesSealer.batches(BatchFixture.HMAC, 10).build().seal(() -> null,
                new ByteArrayOutputStream()).checkpoint());
    }

    /** What a signer does before it signs: fail, or wait. */
    private interface BeforeSigning {
        void run(String statement) throws AuditCryptoException;
    }

    /** The test HMAC key, with {@code before} run ahead of each signature. */
    private static BatchSigner hmacAfter(BeforeSigning before) {
        return new BatchSigner() {
            @Override
            public String keyId() {
                return BatchFixture.HMAC.keyId();
            }

            @Override
            public String algorithm() {
                return BatchFixture.HMAC.algorithm();
            }

            @Override
            public String sign(String statement) throws AuditCryptoException {
                before.run(statement);
                return BatchFixture.HMAC.sign(statement);
            }

            @Override
            public boolean verify(String statement, byte[] signature) throws AuditCryptoException {
                return BatchFixture.HMAC.verify(statement, signature);
            }
        };
    }

    static String someCheckpoint() throws Exception {
        return BatchFixture.seal(BatchFixture.HMAC, BatchFixture.events("cp", 3), 2).checkpoint().toJson();
    }
}
