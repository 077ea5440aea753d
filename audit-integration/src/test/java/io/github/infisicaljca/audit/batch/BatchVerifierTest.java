package io.github.infisicaljca.audit.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.Secret;
import io.github.infisicaljca.audit.AuditCrypto;
import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.FallbackPolicy;
import io.github.infisicaljca.audit.HmacEventSigner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a verifier is built from (batch keys, a smart-logs verifier, or both), how a smart-logs
 * line fails, and the mode for one event extracted from its log. 10 events in batches of 4.
 */
class BatchVerifierTest {
    private static final String SMART_SECRET = "smart-logs-test-secret";
    private static final AuditCrypto SMART_LOGS = AuditCrypto.builder()
            .hmac(HmacEventSigner.of(Secret.of(SMART_SECRET))).policy(FallbackPolicy.HMAC_WHEN_KMS_DISABLED).build();
    private static final BatchVerifier VERIFIER = BatchFixture.verifier(BatchFixture.HMAC);

    private static BatchFixture.Sealed log;

    @BeforeAll
    static void seal() throws Exception {
        log = BatchFixture.seal(BatchFixture.HMAC, BatchFixture.events("v", 10), 4);
    }

    private static String smartLogsLine(int i) throws Exception {
        return SMART_LOGS.seal(BatchFixture.event("s", i)).toJson();
    }

    @Test
    void aBuilderWithNeitherKeysNorSmartLogsFails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchVerifier.builder().build());
        assertTrue(e.getMessage().contains("batch key") && e.getMessage().contains("smart-logs"), e.getMessage());
    }

    @Test
    void aSmartLogsOnlyVerifierChecksSmartLogsLinesAndHoldsNoBatchKey() throws Exception {
        BatchVerifier v = BatchVerifier.builder().smartLogs(SMART_LOGS).build();
        List<String> lines = new ArrayList<>(List.of(smartLogsLine(1), smartLogsLine(2)));
        assertEquals(List.of(), v.verifyLines(lines, null).findings());
        lines.addAll(log.lines());
        List<Finding> f = v.verifyLines(lines, null).findings();
        assertEquals(10, f.size(), f.toString());
        assertTrue(f.stream().allMatch(x -> x.problem() == Problem.UNKNOWN_KEY && x.line() > 2), f.toString());
        assertEquals(Problem.UNKNOWN_KEY, v.verifyCheckpoint(log.checkpoint()).orElseThrow().problem());
        assertFalse(v.toString().contains(SMART_SECRET), v::toString);
    }

    @Test
    void aSmartLogsLineThatFailsIsSmartLogsInvalidWithTheSmartLogsReason() throws Exception {
        BatchVerifier v = BatchVerifier.builder().key(BatchFixture.HMAC).smartLogs(SMART_LOGS).build();
        String altered = smartLogsLine(1).replace("user-1", "user-X");
        String expected = SMART_LOGS.verify(AuditEvent.parse(altered)).reason();
        List<String> lines = new ArrayList<>(List.of(altered));
        lines.addAll(log.lines());
        List<Finding> f = v.verifyLines(lines, log.checkpoint()).findings();
        assertEquals(List.of(new Finding(1, Problem.SMART_LOGS_INVALID, expected)), f);
        assertFalse(expected.contains("smart-logs event"), expected);
        // and one signed with another secret: the signature, not the hash, fails
        AuditCrypto other = AuditCrypto.builder().hmac(HmacEventSigner.of(Secret.of("another-secret")))
                .policy(FallbackPolicy.HMAC_WHEN_KMS_DISABLED).build();
        Finding g = v.verifyLines(List.of(other.seal(BatchFixture.event("s", 1)).toJson()), null).findings().get(0);
        assertEquals(Problem.SMART_LOGS_INVALID, g.problem(), g::toString);
        assertFalse(g.reason().contains("another-secret") || g.reason().contains(SMART_SECRET), g::toString);
    }

    @Test
    void withoutASmartLogsVerifierASmartLogsLineIsNotBatchSealed() throws Exception {
        List<Finding> f = VERIFIER.verifyLines(List.of(smartLogsLine(1)), null).findings();
        assertEquals(List.of(Problem.NOT_BATCH_SEALED), f.stream().map(Finding::problem).toList());
    }

    @Test
    void oneEventExtractedIsCheckedAloneNotAsALog() throws Exception {
        for (String line : log.lines()) {
            assertEquals(List.of(), VERIFIER.verifyLogOrEvent(List.of("", line, " "), null).findings(), line);
        }
        // the same line as a whole log lacks the events around it
        List<Finding> asLog = VERIFIER.verifyLines(List.of(log.lines().get(4)), null).findings();
        assertEquals(List.of(Problem.DELETED, Problem.TRUNCATED), asLog.stream().map(Finding::problem).toList());
    }

    @Test
    void oneEventAloneStillFailsOnItsSealProofOrSignature() throws Exception {
        String altered = log.lines().get(5).replace("\"currency\":\"EUR\"", "\"currency\":\"USD\"");
        Report r = VERIFIER.verifyLogOrEvent(List.of(altered), null);
        Optional<Finding> alone = VERIFIER.verifyEvent(AuditEvent.parse(altered));
        assertEquals(List.of(alone.orElseThrow()), r.findings());
        assertEquals(Problem.ALTERED, r.findings().get(0).problem());
        BatchVerifier otherKey = BatchFixture.verifier(BatchSigner.hmac(Secret.of("batch-test-secret"), "other-id"));
        assertEquals(List.of(Problem.UNKNOWN_KEY), otherKey.verifyLogOrEvent(List.of(log.lines().get(5)), null)
                .findings().stream().map(Finding::problem).toList());
    }

    @Test
    void moreThanOneEventOrACheckpointIsALog() throws Exception {
        List<String> two = List.of(log.lines().get(5), log.lines().get(6));
        assertEquals(VERIFIER.verifyLines(two, null), VERIFIER.verifyLogOrEvent(two, null));
        assertFalse(VERIFIER.verifyLogOrEvent(two, null).valid());
        List<String> one = List.of(log.lines().get(8)); // the first of the 2 events of the last batch
        Report withCheckpoint = VERIFIER.verifyLogOrEvent(one, log.checkpoint());
        assertEquals(VERIFIER.verifyLines(one, log.checkpoint()), withCheckpoint);
        assertEquals(List.of(Problem.DELETED, Problem.TRUNCATED), withCheckpoint.findings().stream().map(Finding::problem).toList());
        List<String> whole = log.lines();
        assertEquals(VERIFIER.verifyLines(whole, log.checkpoint()), VERIFIER.verifyLogOrEvent(whole, log.checkpoint()));
    }
}
