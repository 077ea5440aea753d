package io.github.infisicaljca.audit.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.audit.AuditCryptoException;
import io.github.infisicaljca.audit.AuditEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pipelined sealing: a batch is signed on its own thread while the next one is hashed. */
class PipelinedSealerTest {

    /** The HMAC signer, held at the door until the test opens it (a slow KMS, without sleeping). */
    static final class GatedSigner implements BatchSigner {
        final CountDownLatch open = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        volatile boolean fail;

        public String keyId() {
            return BatchFixture.HMAC.keyId();
        }

        public String algorithm() {
            return BatchFixture.HMAC.algorithm();
        }

        public String sign(String statement) throws AuditCryptoException {
            entered.countDown();
            try {
                if (!open.await(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AuditCryptoException("interrupted", e, false);
            }
            if (fail) {
                throw new AuditCryptoException("KMS down", null, true);
            }
            return BatchFixture.HMAC.sign(statement);
        }

        public boolean verify(String statement, byte[] signature) throws AuditCryptoException {
            return BatchFixture.HMAC.verify(statement, signature);
        }
    }

    @Test
    void theNextBatchFillsAndChainsWhileTheFirstIsBeingSigned() throws Exception {
        GatedSigner gate = new GatedSigner();
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        BatchSealer s = BatchSealer.builder(gate).maxEvents(8).pipelined(true).sink(e -> out.add(e.toJson())).build();
        List<AuditEvent> events = BatchFixture.events("a", 30);
        List<CompletableFuture<AuditEvent>> first = s.addAll(events.subList(0, 8));
        assertTrue(gate.entered.await(60, TimeUnit.SECONDS));
        // batch 0 is held in signing; the producer goes on: batches 1 and 2 are hashed and queued, not blocked
        s.addAll(events.subList(8, 30));
        assertFalse(first.get(0).isDone());
        assertNull(s.checkpoint());
        gate.open.countDown();
        s.close();
        assertEquals(30, out.size());
        assertEquals(3, s.checkpoint().statement().seq());
        assertEquals(List.of(), BatchFixture.verifier(BatchFixture.HMAC).verifyLines(out, s.checkpoint()).findings());
        assertEquals(BatchFixture.seal(BatchFixture.HMAC, events, 8).lines(), out, "the same bytes as sealing in line");
    }

    @Test
    void aFailedSignatureStopsTheSealerAndTheCheckpointResumesIt() throws Exception {
        GatedSigner gate = new GatedSigner();
        gate.fail = true;
        BatchSealer s = BatchSealer.builder(gate).maxEvents(4).pipelined(true).build();
        List<CompletableFuture<AuditEvent>> f = s.addAll(BatchFixture.events("a", 8));
        gate.open.countDown();
        assertThrows(AuditCryptoException.class, s::flush);
        for (CompletableFuture<AuditEvent> x : f) {
            assertTrue(assertThrows(ExecutionException.class, x::get).getCause() instanceof AuditCryptoException);
        }
        assertThrows(IllegalStateException.class, () -> s.add(BatchFixture.event("a", 9)));
        assertNull(s.checkpoint());
        assertThrows(AuditCryptoException.class, s::close);
    }
}
