package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code audit seal --batch N [--checkpoint FILE]} and {@code audit verify [--checkpoint FILE]}
 * with HMAC: the round trip, the tamper set (each failure named by its line and category),
 * extraction, mixed files and resuming a chain.
 */
class AuditBatchCommandTest {
    static final Map<String, String> ENV = AuditHmacCommandTest.ENV;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Path checkpoint;
    private static List<String> sealed; // 10 events in batches of 4: lines 1-4, 5-8, 9-10

    /** Event {@code i} of log {@code log}, with a field outside the smart-logs hash (details.amount). */
    static String event(String log, int i) {
        return "{\"timestamp\":\"2026-01-01T00:00:" + String.format("%02d", i % 60) + ".000Z\",\"action\":\"transfer\","
                + "\"status\":\"success\",\"principalId\":\"user-" + i + "\",\"organizationId\":\"org-" + log + "\","
                + "\"details\":{\"amount\":" + (i * 10) + ",\"currency\":\"EUR\"}}";
    }

    static String events(String log, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i <= to; i++) {
            b.append(event(log, i)).append('\n');
        }
        return b.toString();
    }

    @BeforeAll
    static void sealTheLog() {
        checkpoint = dir.resolve("log.checkpoint");
        CliRun r = CliRun.run(ENV, events("a", 1, 10), "audit", "seal", "--batch", "4", "--checkpoint",
                checkpoint.toString()).assertNoSecrets(AuditHmacCommandTest.SECRET);
        assertEquals(0, r.exit(), r::toString);
        sealed = r.outLines();
        assertTrue(r.err().contains("audit seal: 10 events sealed in 3 batches (3 signatures) with HMAC-SHA256"),
                r::toString);
    }

    private static CliRun verify(List<String> lines, String... extra) {
        List<String> args = new ArrayList<>(List.of("audit", "verify"));
        args.addAll(List.of(extra));
        return CliRun.run(ENV, String.join("\n", lines) + "\n", args.toArray(String[]::new))
                .assertNoSecrets(AuditHmacCommandTest.SECRET);
    }

    private static CliRun verifyWithCheckpoint(List<String> lines) {
        return verify(lines, "--checkpoint", checkpoint.toString());
    }

    private static List<String> copy() {
        return new ArrayList<>(sealed);
    }

    private static String edit(String line, Consumer<ObjectNode> change) throws Exception {
        ObjectNode o = (ObjectNode) JSON.readTree(line);
        change.accept(o);
        return JSON.writeValueAsString(o);
    }

    private static void assertFails(CliRun r, String expected) {
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains(expected), () -> "want '" + expected + "' in\n" + r);
    }

    @Test
    void sealsInOrderWithOneSealPerEventAndVerifies() throws Exception {
        assertEquals(10, sealed.size());
        for (int i = 0; i < 10; i++) {
            JsonNode n = JSON.readTree(sealed.get(i));
            assertEquals("user-" + (i + 1), n.get("principalId").asText(), "input order kept");
            assertTrue(n.get("hash").asText().matches("[0-9a-f]{64}"));
            JsonNode seal = n.get("seal");
            assertEquals(i / 4, seal.get("seq").asInt());
            assertEquals(i % 4, seal.get("index").asInt());
            assertEquals("AUDIT_CRYPTO_SECRET", seal.get("keyId").asText(), "names the secret, never shows it");
            assertEquals("HMAC-SHA256", seal.get("algorithm").asText());
        }
        CliRun v = verify(sealed);
        assertEquals(0, v.exit(), v::toString);
        assertTrue(v.err().contains("10 events, 0 failed"), v::toString);
        CliRun c = verifyWithCheckpoint(sealed);
        assertEquals(0, c.exit(), c::toString);
        assertTrue(Files.readString(checkpoint).contains("\"count\":10"));
    }

    @Test
    void oneEventAndOneBatchAreSingular() {
        CliRun r = CliRun.run(ENV, events("s", 1, 1), "audit", "seal", "--batch", "5");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().contains("1 event sealed in 1 batch (1 signature)"), r::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "100001", "-1", "ten", "1.5"})
    void aBatchSizeOutsideOneTo100000IsAUsageError(String n) {
        CliRun r = CliRun.run(ENV, events("u", 1, 2), "audit", "seal", "--batch", n);
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("--batch must be a whole number from 1 to 100000"), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void checkpointWithoutBatchIsAUsageErrorForSeal() {
        CliRun r = CliRun.run(ENV, events("u", 1, 2), "audit", "seal", "--checkpoint",
                dir.resolve("unused").toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("--checkpoint needs --batch"), r::toString);
        assertFalse(Files.exists(dir.resolve("unused")));
    }

    @Test
    void aHashedFieldAlteredIsNamed() {
        List<String> l = copy();
        l.set(2, l.get(2).replace("user-3", "user-X"));
        assertFails(verify(l), "line 3: altered: ");
        assertTrue(verify(l).err().contains("10 events, 1 failed"));
    }

    @Test
    void aFieldOutsideTheSmartLogsHashAlteredIsNamed() throws Exception {
        List<String> l = copy();
        l.set(5, edit(l.get(5), o -> ((ObjectNode) o.get("details")).put("amount", 1_000_000)));
        CliRun r = verify(l);
        assertFails(r, "line 6: altered: ");
        assertFalse(r.err().contains("line 5:") || r.err().contains("line 7:"), r::toString);
    }

    @Test
    void aDeletedEventIsNamed() {
        List<String> l = copy();
        l.remove(5);
        assertFails(verify(l), "line 6: deleted: ");
    }

    @Test
    void anInsertedEventIsNamed() {
        List<String> l = copy();
        l.add(2, l.get(1));
        assertFails(verify(l), "line 3: inserted: ");
    }

    @Test
    void twoSwappedEventsAreNamed() {
        List<String> l = copy();
        String five = l.get(4);
        l.set(4, l.get(5));
        l.set(5, five);
        assertFails(verify(l), "line 6: reordered: ");
    }

    @Test
    void theLastBatchRemovedIsFoundOnlyWithTheCheckpoint() {
        List<String> l = copy().subList(0, 8);
        CliRun without = verify(l);
        assertEquals(0, without.exit(), "cut at a batch boundary, a shorter log is valid: " + without);
        CliRun with = verifyWithCheckpoint(l);
        assertFails(with, "line 9 (the end of the log): truncated: ");
        assertTrue(with.err().contains("8 events, 0 failed; the end of the log failed"), with::toString);
    }

    @Test
    void eventsOfAnotherLogSplicedInAreNamed() {
        CliRun other = CliRun.run(ENV, events("b", 1, 8), "audit", "seal", "--batch", "4");
        assertEquals(0, other.exit(), other::toString);
        List<String> l = copy();
        l.addAll(4, other.outLines().subList(4, 8)); // batch 1 of the other log, between batch 0 and 1 of this one
        assertFails(verify(l), "line 5: foreign (spliced from another log): ");
    }

    @Test
    void oneEventExtractedVerifiesAlone() {
        CliRun r = verify(List.of(sealed.get(5)));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().contains("1 event, 0 failed"), r::toString);
        List<String> altered = List.of(sealed.get(5).replace("\"amount\":60", "\"amount\":61"));
        assertFails(verify(altered), "line 1: altered: ");
    }

    @Test
    void smartLogsAndBatchLinesInOneFileVerify() {
        CliRun smart = AuditHmacCommandTest.seal(ENV, events("m", 1, 2));
        List<String> l = new ArrayList<>(smart.outLines());
        l.addAll(sealed);
        CliRun r = verifyWithCheckpoint(l);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().contains("12 events, 0 failed"), r::toString);
        List<String> bad = new ArrayList<>(l);
        bad.set(0, bad.get(0).replace("user-1", "user-X"));
        assertFails(verify(bad), "line 1: the hash does not match");
    }

    @Test
    void aResumedChainVerifiesAsOneLog(@TempDir Path tmp) {
        Path cp = tmp.resolve("chain.checkpoint");
        CliRun one = CliRun.run(ENV, events("r", 1, 5), "audit", "seal", "--batch", "2", "--checkpoint", cp.toString());
        assertEquals(0, one.exit(), one::toString);
        assertFalse(one.err().contains("resuming"), one::toString);
        CliRun two = CliRun.run(ENV, events("r", 6, 9), "audit", "seal", "--batch", "2", "--checkpoint", cp.toString());
        assertEquals(0, two.exit(), two::toString);
        assertTrue(two.err().contains("resuming the chain of " + cp + " after batch 2 (5 events)"), two::toString);
        assertTrue(two.err().contains("4 events sealed in 2 batches (2 signatures)"), two::toString);
        List<String> all = new ArrayList<>(one.outLines());
        all.addAll(two.outLines());
        CliRun v = verify(all, "--checkpoint", cp.toString());
        assertEquals(0, v.exit(), v::toString);
        assertTrue(v.err().contains("9 events, 0 failed"), v::toString);
        assertFails(verify(two.outLines(), "--checkpoint", cp.toString()), "line 1: deleted: ");
    }

    @Test
    void aCheckpointOfAnotherKeyIsNotResumed(@TempDir Path tmp) throws Exception {
        Path cp = tmp.resolve("other.checkpoint");
        Files.copy(checkpoint, cp);
        Map<String, String> other = Map.of("AUDIT_CRYPTO_SECRET", "another-secret-0123456789abcdefgh");
        CliRun r = CliRun.run(other, events("k", 1, 2), "audit", "seal", "--batch", "2", "--checkpoint", cp.toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("--checkpoint " + cp), r::toString);
        assertEquals("", r.out());
        assertEquals(Files.readString(checkpoint), Files.readString(cp), "left as it was");
    }

    @Test
    void inputTextInFindingsIsEscaped() throws Exception {
        List<String> l = copy();
        l.set(0, edit(l.get(0), o -> ((ObjectNode) o.get("seal")).put("keyId", "evil\u001b[2K\rkey")));
        CliRun r = verify(l);
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("line 1: "), r::toString);
        assertFalse(r.err().contains("\u001b"), r::toString);
    }

    @Test
    void anInvalidEventSealsTheOnesBeforeItAndStops(@TempDir Path tmp) throws Exception {
        Path cp = tmp.resolve("stop.checkpoint");
        String input = events("x", 1, 3) + "{\"action\":\"no timestamp\"}\n" + events("x", 5, 6);
        CliRun r = CliRun.run(ENV, input, "audit", "seal", "--batch", "2", "--checkpoint", cp.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("line 4: cannot seal: "), r::toString);
        assertTrue(r.err().contains("the 3 events before it were written, nothing after"), r::toString);
        assertEquals(3, r.outLines().size());
        assertTrue(Files.readString(cp).contains("\"count\":3"), "the checkpoint ends where the output ends");
        CliRun v = verify(r.outLines(), "--checkpoint", cp.toString());
        assertEquals(0, v.exit(), v::toString);
    }

    @Test
    void aMissingOrUnreadableCheckpointIsNamed(@TempDir Path tmp) throws Exception {
        CliRun missing = verify(sealed, "--checkpoint", tmp.resolve("none").toString());
        assertEquals(2, missing.exit(), missing::toString);
        assertTrue(missing.err().contains("no such file"), missing::toString);
        Path junk = Files.writeString(tmp.resolve("junk"), "not a checkpoint");
        CliRun bad = verify(sealed, "--checkpoint", junk.toString());
        assertEquals(1, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("not a checkpoint"), bad::toString);
        CliRun resume = CliRun.run(ENV, events("j", 1, 1), "audit", "seal", "--batch", "1", "--checkpoint",
                junk.toString());
        assertEquals(1, resume.exit(), resume::toString);
        assertEquals("", resume.out());
    }

    @Test
    void aCheckpointOfAnotherLogFailsAtTheEnd(@TempDir Path tmp) {
        Path cp = tmp.resolve("b.checkpoint");
        CliRun other = CliRun.run(ENV, events("b", 1, 4), "audit", "seal", "--batch", "4", "--checkpoint",
                cp.toString());
        assertEquals(0, other.exit(), other::toString);
        assertFails(verify(sealed, "--checkpoint", cp.toString()), "line 11 (the end of the log): foreign");
    }
}
