package io.github.infisicaljca.audit.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.infisicaljca.Secret;
import io.github.infisicaljca.audit.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A sealed log of 20 events in batches of 8, 8 and 4, tampered with as an attacker would; each named by line. */
class BatchTamperTest {
    private static BatchFixture.Sealed log;
    private static final BatchVerifier VERIFIER = BatchFixture.verifier(BatchFixture.HMAC);

    @BeforeAll
    static void seal() throws Exception {
        log = BatchFixture.seal(BatchFixture.HMAC, BatchFixture.events("a", 20), 8);
    }

    private static List<String> lines() {
        return new ArrayList<>(log.lines());
    }

    private static List<Finding> verify(List<String> lines, Checkpoint c) throws Exception {
        return VERIFIER.verifyLines(lines, c).findings();
    }

    private static void assertOnly(List<Finding> f, long line, Problem p) {
        assertEquals(1, f.size(), f.toString());
        assertEquals(line, f.get(0).line(), f.toString());
        assertEquals(p, f.get(0).problem(), f.toString());
    }

    /** Line {@code n} (1-based) with one change made to its JSON. */
    private static String edit(List<String> lines, int n, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode o = AuditEvent.parse(lines.get(n - 1)).json();
        change.accept(o);
        return AuditEvent.of(o).toJson();
    }

    @Test
    void untouchedLogVerifies() throws Exception {
        assertEquals(List.of(), verify(lines(), log.checkpoint()));
    }

    @Test
    void alteredHashedField() throws Exception {
        List<String> l = lines();
        l.set(4, edit(l, 5, o -> o.put("principalId", "mallory")));
        assertOnly(verify(l, log.checkpoint()), 5, Problem.ALTERED);
    }

    @Test
    void alteredNonHashedFields() throws Exception {
        List<String> l = lines();
        l.set(4, edit(l, 5, o -> ((ObjectNode) o.get("details")).put("amount", 1_000_000)));
        l.set(11, edit(l, 12, o -> o.put("dataClassification", "PUBLIC")));
        l.set(13, edit(l, 14, o -> o.put("extra", true)));
        List<Finding> f = verify(l, log.checkpoint());
        assertEquals(List.of(5L, 12L, 14L), f.stream().map(Finding::line).toList(), f.toString());
        assertTrue(f.stream().allMatch(x -> x.problem() == Problem.ALTERED), f.toString());
        AuditEvent alone = AuditEvent.parse(l.get(4));
        assertEquals(Problem.ALTERED, VERIFIER.verifyEvent(alone).orElseThrow().problem());
    }

    @Test
    void alteredSealOrHash() throws Exception {
        List<String> l = lines();
        l.set(2, edit(l, 3, o -> ((ObjectNode) o.get("seal")).put("count", 21)));
        l.set(5, edit(l, 6, o -> o.put("hash", "0".repeat(64))));
        List<Finding> f = verify(l, log.checkpoint());
        assertEquals(List.of(3L, 6L), f.stream().map(Finding::line).toList(), f.toString());
        assertTrue(f.stream().allMatch(x -> x.problem() == Problem.ALTERED), f.toString());
    }

    @Test
    void deletedEvent() throws Exception {
        List<String> l = lines();
        l.remove(4);
        assertOnly(verify(l, log.checkpoint()), 5, Problem.DELETED);
        List<String> m = lines();
        m.remove(7); // the last event of batch 0: found where batch 1 begins
        assertOnly(verify(m, log.checkpoint()), 8, Problem.DELETED);
    }

    @Test
    void deletedWholeBatchInTheMiddle() throws Exception {
        List<String> l = lines();
        l.subList(8, 16).clear();
        assertOnly(verify(l, log.checkpoint()), 9, Problem.DELETED);
    }

    @Test
    void insertedCopyOfAnEvent() throws Exception {
        List<String> l = lines();
        l.add(6, l.get(2)); // line 3 again as line 7
        assertOnly(verify(l, log.checkpoint()), 7, Problem.INSERTED);
    }

    @Test
    void insertedUnsealedEvent() throws Exception {
        List<String> l = lines();
        l.add(6, BatchFixture.event("a", 99).toJson());
        assertOnly(verify(l, log.checkpoint()), 7, Problem.NOT_BATCH_SEALED);
    }

    @Test
    void twoSwapped() throws Exception {
        List<String> l = lines();
        java.util.Collections.swap(l, 3, 4);
        assertOnly(verify(l, log.checkpoint()), 5, Problem.REORDERED);
        List<String> m = lines();
        java.util.Collections.swap(m, 7, 8); // across the batch boundary
        assertOnly(verify(m, log.checkpoint()), 9, Problem.REORDERED);
    }

    @Test
    void lastBatchRemovedIsTruncatedAgainstTheCheckpoint() throws Exception {
        List<String> l = lines();
        l.subList(16, 20).clear();
        assertOnly(verify(l, log.checkpoint()), 17, Problem.TRUNCATED);
        // without the checkpoint, a log cut at a batch boundary is a shorter valid log: that is what checkpoints are for
        assertEquals(List.of(), verify(l, null));
        List<String> m = lines();
        m.remove(19); // inside the last batch: seen even without a checkpoint
        assertOnly(verify(m, null), 20, Problem.TRUNCATED);
    }

    @Test
    void logGoingOnPastTheCheckpoint() throws Exception {
        BatchFixture.Sealed shorter = BatchFixture.seal(BatchFixture.HMAC, BatchFixture.events("a", 16), 8);
        assertOnly(verify(lines(), shorter.checkpoint()), 21, Problem.INSERTED);
    }

    @Test
    void eventsOfAnotherLogSplicedIn() throws Exception {
        BatchFixture.Sealed other = BatchFixture.seal(BatchFixture.HMAC, BatchFixture.events("b", 20), 8);
        List<String> l = lines();
        l.addAll(10, other.lines().subList(10, 13)); // batch 1 of the other log, lines 11-13
        List<Finding> f = verify(l, log.checkpoint());
        assertEquals(List.of(11L, 12L, 13L), f.stream().map(Finding::line).toList(), f.toString());
        assertTrue(f.stream().allMatch(x -> x.problem() == Problem.FOREIGN), f.toString());
        // and a whole other log against this one's checkpoint
        assertOnly(verify(other.lines(), log.checkpoint()), 21, Problem.FOREIGN);
    }

    @Test
    void unknownKeyAndForgedKeyId() throws Exception {
        BatchSigner other = BatchSigner.hmac(Secret.of("another-secret"), "test-hmac");
        List<Finding> f = BatchFixture.verifier(other).verifyLines(log.lines(), null).findings();
        assertEquals(20, f.size());
        assertTrue(f.stream().allMatch(x -> x.problem() == Problem.ALTERED), "same key id, other secret: " + f);
        BatchSigner named = BatchSigner.hmac(Secret.of("batch-test-secret"), "another-id");
        List<Finding> g = BatchFixture.verifier(named).verifyLines(log.lines(), null).findings();
        assertEquals(20, g.size());
        assertTrue(g.stream().allMatch(x -> x.problem() == Problem.UNKNOWN_KEY), g.toString());
        assertTrue(g.stream().noneMatch(x -> x.reason().contains("batch-test-secret")));
    }

    @Test
    void oneEventExtractedVerifiesAlone() throws Exception {
        AuditEvent e = AuditEvent.parse(log.lines().get(12));
        assertEquals(java.util.Optional.empty(), VERIFIER.verifyEvent(e));
        assertEquals(List.of(), VERIFIER.verifyLogOrEvent(List.of(log.lines().get(12)), null).findings());
    }

    @Test
    void malformedLinesAreNamed() throws Exception {
        List<String> l = lines();
        l.set(1, "not json");
        l.set(2, edit(l, 3, o -> ((ObjectNode) o.get("seal")).put("root", "AAAA")));
        l.set(3, edit(l, 4, o -> ((ObjectNode) o.get("seal")).put("size", 1L << 40).put("index", (1L << 40) - 1)));
        List<Finding> f = verify(l, log.checkpoint());
        assertEquals(List.of(2L, 3L, 4L), f.stream().map(Finding::line).toList(), f.toString());
        assertTrue(f.stream().allMatch(x -> x.problem() == Problem.MALFORMED), f.toString());
    }
}
