package io.github.infisicaljca.audit.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.EventHasher;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchRoundTripTest {

    @ParameterizedTest
    @CsvSource({"1,1", "1,1000", "2,1", "2,2", "3,2", "3,8", "7,3", "7,8", "8,8", "8,3", "1000,1000", "1000,7",
        "1000,1"})
    void sealsAndVerifiesEveryEventAloneAndTheWholeLog(int events, int maxEvents) throws Exception {
        List<AuditEvent> in = BatchFixture.events("a", events);
        BatchFixture.Sealed s = BatchFixture.seal(BatchFixture.HMAC, in, maxEvents);
        assertEquals(events, s.lines().size());
        BatchVerifier v = BatchFixture.verifier(BatchFixture.HMAC);

        Report r = v.verifyLines(s.lines(), s.checkpoint());
        assertEquals(List.of(), r.findings());
        assertEquals(s.checkpoint().statement(), r.lastBatch());
        int batches = (events + maxEvents - 1) / maxEvents;
        assertEquals(batches - 1, s.checkpoint().statement().seq());
        assertEquals(events, s.checkpoint().statement().count());
        assertEquals(Optional.empty(), v.verifyCheckpoint(s.checkpoint()));

        for (int i = 0; i < events; i++) {
            AuditEvent sealed = AuditEvent.parse(s.lines().get(i));
            assertEquals(Optional.empty(), v.verifyEvent(sealed), "line " + (i + 1));
            // the smart-logs hash is kept, so old readers still check it
            assertTrue(EventHasher.verifyHash(sealed, sealed.text("hash")));
            JsonNode seal = sealed.json().get("seal");
            assertEquals(i % maxEvents, seal.get("index").asInt());
            assertEquals(i / maxEvents, seal.get("seq").asInt());
            // the event's own fields are unchanged, in their order, with hash, hashAlgorithm and seal after them
            List<String> names = new java.util.ArrayList<>();
            sealed.json().fieldNames().forEachRemaining(names::add);
            List<String> original = new java.util.ArrayList<>();
            in.get(i).json().fieldNames().forEachRemaining(original::add);
            assertEquals(original, names.subList(0, original.size()));
            assertEquals(List.of("hash", "hashAlgorithm", "seal"), names.subList(original.size(), names.size()));
        }
        assertFalse(s.checkpoint().toString().contains("batch-test-secret"));
    }
}
