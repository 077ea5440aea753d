package io.github.infisicaljca.audit.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.audit.AuditCryptoException;
import io.github.infisicaljca.audit.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchSealerTest {

    /** Time by hand: tasks run when the test says the time has come. */
    static final class ManualScheduler implements BatchScheduler {
        private long now;
        private final List<long[]> due = new ArrayList<>();
        private final List<Runnable> tasks = new ArrayList<>();
        int scheduled;

        @Override
        public synchronized Runnable schedule(Runnable task, long delayMillis) {
            scheduled++;
            due.add(new long[] {now + delayMillis});
            tasks.add(task);
            int i = tasks.size() - 1;
            return () -> tasks.set(i, null);
        }

        void advance(long millis) {
            now += millis;
            for (int i = 0; i < tasks.size(); i++) {
                Runnable t = tasks.get(i);
                if (t != null && due.get(i)[0] <= now) {
                    tasks.set(i, null);
                    t.run();
                }
            }
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aBatchClosesAtItsTimeLimitCountedFromItsFirstEvent() throws Exception {
        ManualScheduler clock = new ManualScheduler();
        List<String> out = new ArrayList<>();
        BatchSealer s = BatchSealer.builder(BatchFixture.HMAC).maxEvents(100).maxDelay(Duration.ofMillis(500))
                .scheduler(clock).sink(e -> out.add(e.toJson())).build();
        CompletableFuture<AuditEvent> first = s.add(BatchFixture.event("a", 0));
        clock.advance(300);
        s.add(BatchFixture.event("a", 1));
        assertFalse(first.isDone());
        assertEquals(1, clock.scheduled, "one timer per batch, from its first event");
        clock.advance(199);
        assertFalse(first.isDone());
        clock.advance(1);
        assertTrue(first.isDone());
        assertEquals(2, out.size());
        assertEquals(0, s.checkpoint().statement().seq());
        assertEquals(2, s.checkpoint().statement().size());

        s.add(BatchFixture.event("a", 2));
        clock.advance(500);
        assertEquals(3, out.size());
        assertEquals(1, s.checkpoint().statement().seq());
        assertEquals(List.of(), BatchFixture.verifier(BatchFixture.HMAC).verifyLines(out, s.checkpoint()).findings());
        s.close();
    }

    @Test
    void aBatchSealedBySizeCancelsItsTimer() throws Exception {
        ManualScheduler clock = new ManualScheduler();
        List<String> out = new ArrayList<>();
        BatchSealer s = BatchSealer.builder(BatchFixture.HMAC).maxEvents(2).maxDelay(Duration.ofMillis(500))
                .scheduler(clock).sink(e -> out.add(e.toJson())).build();
        s.add(BatchFixture.event("a", 0));
        s.add(BatchFixture.event("a", 1));
        s.add(BatchFixture.event("a", 2));
        clock.advance(500); // only the second batch's own timer is left to fire
        assertEquals(3, out.size());
        assertEquals(1, s.checkpoint().statement().seq());
        assertEquals(1, s.checkpoint().statement().size());
        s.close();
    }

    @Test
    void resumeFromACheckpointContinuesTheChain(@TempDir Path dir) throws Exception {
        List<AuditEvent> events = BatchFixture.events("a", 25);
        List<String> out = new ArrayList<>();
        Path file = dir.resolve("audit.checkpoint");
        try (BatchSealer s = BatchSealer.builder(BatchFixture.HMAC).maxEvents(8).sink(e -> out.add(e.toJson()))
                .build()) {
            events.subList(0, 12).forEach(s::add);
            s.close();
            s.checkpoint().write(file);
        }
        Checkpoint saved = Checkpoint.read(file);
        assertEquals(saved.toJson() + "\n", Files.readString(file));
        try (BatchSealer s = BatchSealer.builder(BatchFixture.HMAC).maxEvents(8).resumeFrom(saved)
                .sink(e -> out.add(e.toJson())).build()) {
            events.subList(12, 25).forEach(s::add);
            s.close();
            assertEquals(3, s.checkpoint().statement().seq());
            assertEquals(25, s.checkpoint().statement().count());
            assertEquals(List.of(), BatchFixture.verifier(BatchFixture.HMAC).verifyLines(out, s.checkpoint())
                    .findings());
        }
        // the same log sealed in one go differs only in how the batches fell
        assertEquals(25, out.size());
    }

    @Test
    void concurrentProducersAllGetSealedOnce() throws Exception {
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        BatchSealer s = BatchSealer.builder(BatchFixture.HMAC).maxEvents(16).sink(e -> out.add(e.toJson())).build();
        List<CompletableFuture<AuditEvent>> futures = Collections.synchronizedList(new ArrayList<>());
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            String log = "t" + t;
            threads[t] = new Thread(() -> BatchFixture.events(log, 250).forEach(e -> futures.add(s.add(e))));
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        s.close();
        assertEquals(1000, out.size());
        for (CompletableFuture<AuditEvent> f : futures) {
            assertTrue(f.isDone());
        }
        assertEquals(List.of(), BatchFixture.verifier(BatchFixture.HMAC).verifyLines(out, s.checkpoint()).findings());
        assertThrows(IllegalStateException.class, () -> s.add(BatchFixture.event("a", 0)));
    }

    @Test
    void aFailedSignatureFailsItsEventsAndTheChainDoesNotAdvance() throws Exception {
        boolean[] fail = {false};
        BatchSigner flaky = new BatchSigner() {
            public String keyId() {
                return BatchFixture.HMAC.keyId();
            }

            public String algorithm() {
                return BatchFixture.HMAC.algorithm();
            }

            public String sign(String statement) throws AuditCryptoException {
                if (fail[0]) {
                    throw new AuditCryptoException("KMS down", null, true);
                }
                return BatchFixture.HMAC.sign(statement);
            }

            public boolean verify(String statement, byte[] signature) throws AuditCryptoException {
                return BatchFixture.HMAC.verify(statement, signature);
            }
        };
        List<String> out = new ArrayList<>();
        BatchSealer s = BatchSealer.builder(flaky).maxEvents(2).sink(e -> out.add(e.toJson())).build();
        s.add(BatchFixture.event("a", 0));
        s.add(BatchFixture.event("a", 1));
        Checkpoint before = s.checkpoint();
        fail[0] = true;
        s.add(BatchFixture.event("a", 2));
        CompletableFuture<AuditEvent> lost = s.add(BatchFixture.event("a", 3));
        ExecutionException e = assertThrows(ExecutionException.class, lost::get);
        assertTrue(e.getCause() instanceof AuditCryptoException);
        assertSame(before, s.checkpoint());
        fail[0] = false;
        s.add(BatchFixture.event("a", 4));
        s.close();
        assertEquals(1, s.checkpoint().statement().seq(), "the batch after a failed one takes its number");
        assertEquals(List.of(), BatchFixture.verifier(BatchFixture.HMAC).verifyLines(out, s.checkpoint()).findings());
    }

    @Test
    void addAllHashesInParallelAndKeepsTheOrderByteForByte() throws Exception {
        List<AuditEvent> events = BatchFixture.events("a", 1000);
        BatchFixture.Sealed oneByOne = BatchFixture.seal(BatchFixture.HMAC, events, 64);
        List<String> out = new ArrayList<>();
        try (BatchSealer s = BatchSealer.builder(BatchFixture.HMAC).maxEvents(64).sink(e -> out.add(e.toJson()))
                .build()) {
            List<CompletableFuture<AuditEvent>> f = s.addAll(events.subList(0, 500));
            s.addAll(events.subList(500, 1000));
            s.close();
            assertEquals(oneByOne.lines().get(7), f.get(7).get().toJson());
            assertEquals(oneByOne.checkpoint(), s.checkpoint());
        }
        assertEquals(oneByOne.lines(), out);
    }

    @Test
    void addAllAddsNothingWhenOneEventIsBad() throws Exception {
        List<String> out = new ArrayList<>();
        BatchSealer s = BatchSealer.builder(BatchFixture.HMAC).maxEvents(2).sink(e -> out.add(e.toJson())).build();
        List<AuditEvent> events = new ArrayList<>(BatchFixture.events("a", 5));
        events.set(3, AuditEvent.parse("{\"action\":\"no timestamp\",\"status\":\"success\"}"));
        assertThrows(IllegalArgumentException.class, () -> s.addAll(events));
        s.close();
        assertEquals(List.of(), out);
        assertNull(s.checkpoint());
    }

    @Test
    void builderRefusesBadLimits() {
        assertThrows(IllegalArgumentException.class, () -> BatchSealer.builder(BatchFixture.HMAC).maxEvents(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> BatchSealer.builder(BatchFixture.HMAC).maxDelay(Duration.ZERO).build());
        BatchSealer s = BatchSealer.builder(BatchFixture.HMAC).build();
        assertNull(s.checkpoint());
        assertThrows(IllegalArgumentException.class, () -> s.add(AuditEvent.parse("{\"action\":\"x\"}")));
        assertFalse(s.toString().contains("batch-test-secret"));
        assertFalse(BatchFixture.HMAC.toString().contains("batch-test-secret"));
    }
}
